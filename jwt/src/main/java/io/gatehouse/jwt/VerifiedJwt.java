package io.gatehouse.jwt;

import java.time.Instant;

/**
 * A token whose signature verified and whose time and audience claims passed.
 *
 * @param jws       the parsed token
 * @param claims    its claims (from the same bytes that were verified)
 * @param algorithm the algorithm it was verified with
 * @param key       the key that verified it
 * @param expiresAt its {@code exp}, or null when the verifier does not require one and it has none
 */
public record VerifiedJwt(CompactJws jws, JwtClaims claims, JwtAlgorithm algorithm, VerificationKey key,
                          Instant expiresAt) {
}
