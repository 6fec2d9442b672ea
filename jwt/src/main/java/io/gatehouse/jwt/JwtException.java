package io.gatehouse.jwt;

import io.gatehouse.core.RejectionReason;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Why a token failed strict parsing or verification. A value, not a crash: it carries a {@link Kind} for
 * callers that word their own messages (the OIDC module keeps Kubernetes' {@code oidc: ...} texts) and the
 * facts those messages need (the instant at fault, the token's audiences, the header's algorithm).
 *
 * <p>Messages never contain the token or any secret. Instances are immutable and carry no stack trace,
 * because they are expected outcomes on the request path, not bugs.
 */
public final class JwtException extends Exception {

    private static final long serialVersionUID = 1L;

    /** The failure classes of the engine. */
    public enum Kind {
        /** Not a strict compact JWS, or a header/claim is unusable. */
        MALFORMED(RejectionReason.MALFORMED),
        /** Longer than the configured cap; nothing was decoded. */
        TOO_LARGE(RejectionReason.MALFORMED),
        /** The header's {@code alg} is not allowed (never {@code none} or HMAC). */
        UNSUPPORTED_ALGORITHM(RejectionReason.DISALLOWED_ALGORITHM),
        /** No trusted key matches the header's {@code kid} and algorithm. */
        UNKNOWN_KEY(RejectionReason.UNKNOWN_KEY),
        /** A candidate key exists but the signature does not verify. */
        BAD_SIGNATURE(RejectionReason.BAD_SIGNATURE),
        /** The key source has no usable keys yet (or lost them in a long outage). */
        KEYS_UNAVAILABLE(RejectionReason.NOT_INITIALIZED),
        /** {@code exp} has passed (or is missing where required). */
        EXPIRED(RejectionReason.EXPIRED),
        /** {@code nbf} is still in the future. */
        NOT_YET_VALID(RejectionReason.NOT_YET_VALID),
        /** {@code iat} lies further in the future than the allowed skew. */
        ISSUED_IN_FUTURE(RejectionReason.NOT_YET_VALID),
        /** No configured audience is among the token's. */
        WRONG_AUDIENCE(RejectionReason.WRONG_AUDIENCE);

        private final RejectionReason reason;

        Kind(RejectionReason reason) {
            this.reason = reason;
        }

        /**
         * The core rejection reason this kind maps to.
         *
         * @return the reason, never null
         */
        public RejectionReason reason() {
            return reason;
        }
    }

    /** The failure class; serialized. */
    private final Kind kind;
    private final transient Instant instant;
    private final transient Instant now;
    private final transient List<String> tokenAudiences;
    /** The rejected {@code alg}, or null; serialized. */
    private final String algorithm;

    private JwtException(Kind kind, String message, Instant instant, Instant now, List<String> tokenAudiences,
                         String algorithm) {
        super(message, null, false, false);
        this.kind = Objects.requireNonNull(kind, "kind");
        this.instant = instant;
        this.now = now;
        this.tokenAudiences = tokenAudiences == null ? List.of() : List.copyOf(tokenAudiences);
        this.algorithm = algorithm;
    }

    /**
     * A failure with a message only.
     *
     * @param kind    the failure class; not null
     * @param message the detail message, naming no secret
     * @return a new exception with no instant, audiences or algorithm
     */
    public static JwtException of(Kind kind, String message) {
        return new JwtException(kind, message, null, null, null, null);
    }

    static JwtException time(Kind kind, String message, Instant instant, Instant now) {
        return new JwtException(kind, message, instant, now, null, null);
    }

    static JwtException audience(List<String> tokenAudiences) {
        return new JwtException(Kind.WRONG_AUDIENCE, "no expected audience among " + tokenAudiences, null, null,
                tokenAudiences, null);
    }

    static JwtException algorithm(String alg) {
        return new JwtException(Kind.UNSUPPORTED_ALGORITHM, "algorithm not allowed: " + alg, null, null, null, alg);
    }

    /**
     * The failure class; never null.
     *
     * @return the kind
     */
    public Kind kind() {
        return kind;
    }

    /**
     * The claim instant at fault ({@code exp}, {@code nbf}, {@code iat}); null when none, or when {@code exp} is missing.
     *
     * @return the instant at fault, or null
     */
    public Instant instant() {
        return instant;
    }

    /**
     * The verification time, for time failures; otherwise null.
     *
     * @return the time verification ran at, or null
     */
    public Instant now() {
        return now;
    }

    /**
     * The token's audiences, for {@link Kind#WRONG_AUDIENCE}; otherwise empty.
     *
     * @return the token's audiences, unmodifiable; never null
     */
    public List<String> tokenAudiences() {
        return tokenAudiences;
    }

    /**
     * The header's {@code alg}, for {@link Kind#UNSUPPORTED_ALGORITHM}; otherwise null.
     *
     * @return the rejected algorithm name, or null
     */
    public String algorithm() {
        return algorithm;
    }
}
