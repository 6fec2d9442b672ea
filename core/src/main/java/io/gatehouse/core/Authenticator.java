package io.gatehouse.core;

/**
 * Authenticates a whole request (Kubernetes' {@code authenticator.Request}): client certificates, or any
 * credential taken from headers.
 *
 * <p>Implementations are thread-safe, fast and never throw for anything a client can send: a bad
 * credential is a {@link AuthenticationResult.Rejected}, a missing or foreign one an
 * {@link AuthenticationResult.Abstained}. They throw only for their own misconfiguration, at build time.
 */
@FunctionalInterface
public interface Authenticator {

    /**
     * Judges the credential in {@code request}.
     *
     * @param request the request; never null
     * @return the verdict; never null
     */
    AuthenticationResult authenticate(AuthenticationRequest request);
}
