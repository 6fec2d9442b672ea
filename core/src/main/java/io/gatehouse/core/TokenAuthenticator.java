package io.gatehouse.core;

import java.util.List;

/**
 * Authenticates a bearer token (Kubernetes' {@code authenticator.Token}). The chain extracts the token
 * from the request, caches verdicts and hands the token to each token authenticator in order.
 *
 * <p>Implementations are thread-safe and never throw for any token: a token of another kind abstains
 * quickly (by its shape or issuer, without cryptography), a bad token of this kind is rejected.
 */
@FunctionalInterface
public interface TokenAuthenticator {

    /**
     * Judges {@code token}.
     *
     * @param token     the bearer token, non-empty; never null
     * @param audiences the audiences the caller requested, in order; empty when none were requested
     * @return the verdict; never null
     */
    AuthenticationResult authenticate(String token, List<String> audiences);

    /**
     * Whether this authenticator checks audiences itself (service account tokens do). The chain wraps
     * audience-agnostic authenticators so that they answer only for the API audiences, as Kubernetes'
     * {@code WrapAudienceAgnosticToken} does.
     *
     * @return whether it checks audiences itself
     */
    default boolean isAudienceAware() {
        return false;
    }
}
