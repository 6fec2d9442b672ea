package io.gatehouse.core;

/**
 * An authenticator that reads identity from request headers which must not travel further once a request is
 * authenticated (Kubernetes' request-header authenticator). The chain gathers these from its members and strips
 * them on every success, whichever member authenticated, as Kubernetes' authentication filter does.
 */
public interface HeaderConsumer {

    /** The headers this authenticator reads; constant for the authenticator's life, never null. */
    ConsumedHeaders consumedHeaders();
}
