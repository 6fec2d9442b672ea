package io.gatehouse.jwt;

import java.util.List;

/**
 * Where a verifier finds trusted keys. A static {@link VerificationKeySet} is one; the OIDC module's remote
 * JWKS source is another. The {@code kid} is only ever a lookup key into keys that are already trusted.
 *
 * <p>Implementations are thread-safe. A lookup may block briefly (a collapsed, rate-limited refetch on an
 * unknown kid) but never for longer than the source's fetch timeout.
 */
@FunctionalInterface
public interface KeySource {

    /**
     * The candidate keys for a token.
     *
     * @param keyId the header's {@code kid}; null means the token names no key, so every key is a candidate
     * @return the candidates, possibly empty (an unknown kid); never null
     * @throws JwtException of kind KEYS_UNAVAILABLE when the source has no usable keys at all
     */
    List<VerificationKey> lookup(String keyId) throws JwtException;
}
