package io.gatehouse.jwt;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Verifies strictly parsed compact JWS tokens: algorithm allow-list, key selection by {@code kid} among
 * trusted keys only, signature with the key's ready-made verifier, then {@code exp}, {@code nbf},
 * {@code iat} and {@code aud}. Issuer routing and claim mapping belong to the callers.
 *
 * <p>Order: the signature is checked before any claim is judged, so that an attacker cannot learn from the
 * error which claims a forged token got right.
 *
 * <p>Immutable and thread-safe; build once, use from any thread.
 */
public final class JwtVerifier {

    private final KeySource keys;
    private final Set<JwtAlgorithm> algorithms;
    private final Clock clock;
    private final boolean requireExpiration;
    private final Duration expirationLeeway;
    private final Duration notBeforeLeeway;
    private final Duration issuedAtLeeway;
    private final Set<String> audiences;

    private JwtVerifier(Builder b) {
        this.keys = b.keys;
        this.algorithms = EnumSet.copyOf(b.algorithms);
        this.clock = b.clock;
        this.requireExpiration = b.requireExpiration;
        this.expirationLeeway = b.expirationLeeway;
        this.notBeforeLeeway = b.notBeforeLeeway;
        this.issuedAtLeeway = b.issuedAtLeeway;
        this.audiences = Set.copyOf(b.audiences);
    }

    /**
     * A builder with Kubernetes' OIDC defaults: exp required without leeway, nbf with 1 minute, iat unchecked.
     *
     * @return a new builder; {@link Builder#keys} must be set
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Verifies the signature and then the claims.
     *
     * @param jws the parsed token; not null
     * @return the verified token with its algorithm, key, claims and {@code exp}
     * @throws JwtException saying what failed; never for a valid token
     */
    public VerifiedJwt verify(CompactJws jws) throws JwtException {
        return verifyClaims(verifySignature(jws));
    }

    /**
     * The claim checks of {@link #verify} (the configured audiences, then exp, nbf and iat with their leeways)
     * for a token whose signature {@link #verifySignature} has verified, for callers whose own checks come in
     * between (Kubernetes' service account authenticator judges audiences before times).
     *
     * @param signed the result of {@link #verifySignature} for the token; not null
     * @return a verified token with its claims and {@code exp}
     * @throws JwtException saying which claim failed
     */
    public VerifiedJwt verifyClaims(VerifiedJwt signed) throws JwtException {
        CompactJws jws = signed.jws();
        JwtClaims claims = jws.claims();
        Instant now = clock.instant();
        if (!audiences.isEmpty()) {
            List<String> tokenAudiences = claims.audiences();
            boolean match = false;
            for (String a : tokenAudiences) {
                if (audiences.contains(a)) {
                    match = true;
                    break;
                }
            }
            if (!match) {
                throw JwtException.audience(tokenAudiences);
            }
        } else {
            claims.audiences(); // still refuse a mistyped aud
        }
        Instant exp = claims.numericDate("exp");
        if (exp == null) {
            if (requireExpiration) {
                throw JwtException.time(JwtException.Kind.EXPIRED, "token has no exp", null, now);
            }
        } else if (now.isAfter(exp.plus(expirationLeeway))) {
            throw JwtException.time(JwtException.Kind.EXPIRED, "token expired at " + exp, exp, now);
        }
        Instant nbf = claims.numericDate("nbf");
        if (nbf != null && now.plus(notBeforeLeeway).isBefore(nbf)) {
            throw JwtException.time(JwtException.Kind.NOT_YET_VALID, "token not valid before " + nbf, nbf, now);
        }
        Instant iat = claims.numericDate("iat");
        if (iat != null && issuedAtLeeway != null && now.plus(issuedAtLeeway).isBefore(iat)) {
            throw JwtException.time(JwtException.Kind.ISSUED_IN_FUTURE, "token issued in the future at " + iat, iat, now);
        }
        return new VerifiedJwt(jws, claims, signed.algorithm(), signed.key(), exp);
    }

    /**
     * Verifies only the signature (algorithm allow-list, key selection, cryptography); claims untouched.
     *
     * @param jws the parsed token; not null
     * @return the token with the algorithm and key that verified it; claims not yet parsed or checked
     * @throws JwtException of kind UNSUPPORTED_ALGORITHM, KEYS_UNAVAILABLE, UNKNOWN_KEY or BAD_SIGNATURE
     */
    public VerifiedJwt verifySignature(CompactJws jws) throws JwtException {
        JwtAlgorithm alg = JwtAlgorithm.fromName(jws.algorithm());
        if (alg == null || !algorithms.contains(alg)) {
            throw JwtException.algorithm(jws.algorithm());
        }
        List<VerificationKey> candidates = keys.lookup(jws.keyId());
        boolean anyFits = false;
        for (VerificationKey key : candidates) {
            if (key.accepts(alg)) {
                anyFits = true;
                if (key.verify(alg, jws)) {
                    return new VerifiedJwt(jws, null, alg, key, null);
                }
            }
        }
        if (!anyFits) {
            throw JwtException.of(JwtException.Kind.UNKNOWN_KEY, "no keys matches jwk keyid");
        }
        throw JwtException.of(JwtException.Kind.BAD_SIGNATURE, "failed to verify id token signature");
    }

    /**
     * The allowed algorithms.
     *
     * @return a new copy of the allowed algorithms, never empty
     */
    public Set<JwtAlgorithm> algorithms() {
        return EnumSet.copyOf(algorithms);
    }

    /**
     * Configures a {@link JwtVerifier}. Not thread-safe; {@link #build()} validates and copies.
     */
    public static final class Builder {
        private KeySource keys;
        private Set<JwtAlgorithm> algorithms = EnumSet.of(JwtAlgorithm.RS256);
        private Clock clock = Clock.systemUTC();
        private boolean requireExpiration = true;
        private Duration expirationLeeway = Duration.ZERO;
        private Duration notBeforeLeeway = Duration.ofMinutes(1);
        private Duration issuedAtLeeway;
        private Set<String> audiences = Set.of();

        private Builder() {
        }

        /**
         * The trusted keys; required.
         *
         * @param keySource where the keys for a token's {@code kid} are found; not null
         * @return this builder
         */
        public Builder keys(KeySource keySource) {
            this.keys = Objects.requireNonNull(keySource, "keys");
            return this;
        }

        /**
         * The allowed algorithms; default RS256. Must not be empty.
         *
         * @param allowed the algorithms a token may use, copied; not empty, no element null
         * @return this builder
         * @throws IllegalArgumentException if {@code allowed} is empty
         */
        public Builder algorithms(Collection<JwtAlgorithm> allowed) {
            if (allowed.isEmpty()) {
                throw new IllegalArgumentException("algorithms must not be empty");
            }
            this.algorithms = EnumSet.copyOf(allowed);
            return this;
        }

        /**
         * The clock time checks read; default the system UTC clock.
         *
         * @param c the clock; not null
         * @return this builder
         */
        public Builder clock(Clock c) {
            this.clock = Objects.requireNonNull(c, "clock");
            return this;
        }

        /**
         * Whether a token without {@code exp} is refused as expired; default true.
         *
         * @param require true to refuse tokens without {@code exp}
         * @return this builder
         */
        public Builder requireExpiration(boolean require) {
            this.requireExpiration = require;
            return this;
        }

        /**
         * How long after {@code exp} a token is still accepted; default zero.
         *
         * @param leeway the grace after {@code exp}; not null nor negative
         * @return this builder
         */
        public Builder expirationLeeway(Duration leeway) {
            this.expirationLeeway = nonNegative(leeway, "expirationLeeway");
            return this;
        }

        /**
         * How long before {@code nbf} a token is already accepted; default one minute.
         *
         * @param leeway the grace before {@code nbf}; not null nor negative
         * @return this builder
         */
        public Builder notBeforeLeeway(Duration leeway) {
            this.notBeforeLeeway = nonNegative(leeway, "notBeforeLeeway");
            return this;
        }

        /**
         * Refuse tokens whose {@code iat} is more than {@code leeway} ahead; default null: iat is not checked.
         *
         * @param leeway the most {@code iat} may be ahead of the clock, not negative; or null not to check {@code iat}
         * @return this builder
         */
        public Builder issuedAtLeeway(Duration leeway) {
            this.issuedAtLeeway = leeway == null ? null : nonNegative(leeway, "issuedAtLeeway");
            return this;
        }

        /**
         * Accept a token when any of its audiences is one of these; empty (default): aud is not checked.
         *
         * @param accepted the accepted audiences, copied; not null, no element null
         * @return this builder
         */
        public Builder audiences(Collection<String> accepted) {
            this.audiences = Set.copyOf(accepted);
            return this;
        }

        /**
         * Builds the verifier.
         *
         * @return a new verifier with this builder's settings
         * @throws IllegalStateException if no key source was set
         */
        public JwtVerifier build() {
            if (keys == null) {
                throw new IllegalStateException("keys is required");
            }
            return new JwtVerifier(this);
        }

        private static Duration nonNegative(Duration d, String name) {
            if (Objects.requireNonNull(d, name).isNegative()) {
                throw new IllegalArgumentException(name + " must not be negative: " + d);
            }
            return d;
        }
    }
}
