package io.gatehouse.core;

/**
 * An authenticator that reads identity from request headers which must not travel further once a request is
 * authenticated (Kubernetes' request-header authenticator). The chain gathers these from its members and strips
 * them on every success, whichever member authenticated, as Kubernetes' authentication filter does (see
 * {@link AuthenticationChain#consumedHeaders(AuthenticationRequest, AuthenticationResult)}).
 */
public interface HeaderConsumer {

    /**
     * The headers this authenticator reads now; never null. Return the same instance while they do not change (a
     * reloaded configuration may change them): the chain combines them again only when an instance changes. Must be
     * fast and thread-safe.
     *
     * @return the headers
     */
    ConsumedHeaders consumedHeaders();
}
