/**
 * Gatehouse's one JWT engine: strict compact-JWS parsing, a per-key algorithm policy, trusted keys with
 * ready-made verifiers, and Kubernetes' time and audience checks. The OIDC and service account
 * authenticators both verify on it; nothing else in Gatehouse parses or verifies a JWT.
 *
 * <h2>Supported API</h2>
 * These public types are supported API, for modules that verify JWTs of their own kind (as {@code oidc} and
 * {@code serviceaccount} do) and follow semantic versioning with the rest of Gatehouse:
 * <ul>
 *   <li>{@link io.gatehouse.jwt.JwtVerifier}: the verification pipeline (parse, pick keys, check the signature,
 *       then {@code exp}/{@code nbf}/{@code iat} and audiences with an injectable clock);</li>
 *   <li>{@link io.gatehouse.jwt.VerificationKey}, {@link io.gatehouse.jwt.VerificationKeySet} and the
 *       {@link io.gatehouse.jwt.KeySource} interface: trusted keys, parsed and checked once, each with the
 *       algorithms it may verify;</li>
 *   <li>{@link io.gatehouse.jwt.JwtAlgorithm}: the asymmetric JWS algorithms Gatehouse accepts (never
 *       {@code none}, never HMAC);</li>
 *   <li>{@link io.gatehouse.jwt.CompactJws}, {@link io.gatehouse.jwt.JwtClaims},
 *       {@link io.gatehouse.jwt.VerifiedJwt}: the parsed token, its claims and the verification result;</li>
 *   <li>{@link io.gatehouse.jwt.JwtException}: why a token failed, with a
 *       {@link io.gatehouse.core.RejectionReason} and a message that never holds the token.</li>
 * </ul>
 * Everything else in the package (Base64url decoding, the ECDSA fast path, the ROCA check, JCA instance
 * pools) is package-private and may change at any time.
 *
 * <p>Header-supplied keys ({@code jwk}, {@code jku}, {@code x5u}, {@code x5c}) are ignored, JWE is rejected,
 * and every parse is bounded in size and depth. All public types are immutable or thread-safe as their
 * documentation says.
 */
package io.gatehouse.jwt;
