package io.gatehouse.serviceaccount;

import io.gatehouse.core.AuthenticationListener;
import io.gatehouse.core.AuthenticationResult.Abstained;
import io.gatehouse.core.AuthenticationResult.Authenticated;
import io.gatehouse.core.AuthenticationResult.Rejected;
import io.gatehouse.core.AuthenticationResult;
import io.gatehouse.core.ConfigurationException;
import io.gatehouse.core.RejectionReason;
import io.gatehouse.core.TokenAuthenticator;
import io.gatehouse.core.internal.Audiences;
import io.gatehouse.core.internal.GoText;
import io.gatehouse.core.internal.SafeListener;
import io.gatehouse.jwt.CompactJws;
import io.gatehouse.jwt.JwtAlgorithm;
import io.gatehouse.jwt.JwtException;
import io.gatehouse.jwt.JwtVerifier;
import io.gatehouse.jwt.VerificationKey;
import io.gatehouse.jwt.VerificationKeySet;
import io.gatehouse.jwt.VerifiedJwt;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Authenticates Kubernetes service account tokens as kube-apiserver does ({@code pkg/serviceaccount/jwt.go}):
 * legacy secret-based tokens (issuer {@value #LEGACY_ISSUER}) and bound tokens from the TokenRequest API
 * (the configured {@code --service-account-issuer}s), verified against the public keys of
 * {@code --service-account-key-file}.
 *
 * <p>Flow: an issuer peek on the unverified payload (a token of another issuer, or not a compact JWS,
 * abstains without cryptography); strict parsing (failure abstains, as in Kubernetes); key selection by
 * {@code kid} (no kid tries every key) and signature, {@code exp}/{@code nbf}/{@code iat} with a 60 s leeway, all in
 * the jwt module's engine; then the audience intersection with the requested audiences (or the API
 * audiences); then the legacy or bound validator with its optional {@link ServiceAccountLookup}.
 *
 * <p>Audience-aware: {@link #isAudienceAware()} is true and the result's audiences are the intersection.
 * Stale bound tokens ({@code warnafter} passed) and legacy token use are reported through
 * {@link AuthenticationListener#warning}, where Kubernetes writes audit annotations.
 *
 * <p>Immutable and thread-safe; {@link #authenticate} never throws.
 */
public final class ServiceAccountTokenAuthenticator implements TokenAuthenticator, AutoCloseable {

    /** The source named in the warning events that carry Kubernetes' audit annotations. */
    static final String EVENT_SOURCE = "service-account";

    /** The issuer of legacy secret-based tokens. */
    public static final String LEGACY_ISSUER = "kubernetes/serviceaccount";

    /** Kubernetes' go-jose default leeway on {@code exp}, {@code nbf} and {@code iat}. */
    public static final Duration LEEWAY = Duration.ofMinutes(1);

    // go-jose's message for a signature that no candidate key verifies; Kubernetes aggregates one per key,
    // and identical messages collapse into one.
    static final String BAD_SIGNATURE = "square/go-jose: error in cryptographic primitive";
    static final String NO_KEYS = "invalid signature, no keys found";

    private final Set<String> issuers;
    private final boolean legacyAllowed;
    private final List<String> apiAudiences;
    private final Set<String> apiAudienceSet;
    private final JwtVerifier verifier;
    private final Clock clock;
    private final int maxTokenLength;
    private final AuthenticationListener events;
    private final LegacyTokenValidator legacy;
    private final BoundTokenValidator bound;
    private final ServiceAccountLookup lookup;

    private ServiceAccountTokenAuthenticator(Builder b, VerificationKeySet keys) {
        this.issuers = Set.copyOf(b.issuers);
        this.legacyAllowed = b.legacyTokensAllowed;
        this.apiAudiences = List.copyOf(b.apiAudiences == null ? b.issuers : b.apiAudiences);
        this.apiAudienceSet = Set.copyOf(apiAudiences);
        this.clock = b.clock;
        this.maxTokenLength = b.maxTokenLength;
        this.verifier = JwtVerifier.builder()
                .keys(keys)
                .algorithms(JwtAlgorithm.all())
                .clock(b.clock)
                .requireExpiration(false) // legacy tokens have none; Kubernetes does not require one
                .expirationLeeway(LEEWAY)
                .notBeforeLeeway(LEEWAY)
                .issuedAtLeeway(LEEWAY)
                .build();
        this.events = SafeListener.wrap(b.listener);
        this.lookup = b.lookup;
        this.legacy = new LegacyTokenValidator(b.legacyLookup ? b.lookup : ServiceAccountLookup.none(), events);
        this.bound = new BoundTokenValidator(b.lookup, events);
    }

    /**
     * A builder; {@code keys} (or {@code keyFiles}) and {@code issuers} are required.
     *
     * @return a new builder with Kubernetes' defaults
     */
    public static Builder builder() {
        return new Builder();
    }

    /** True: the audiences are intersected here, as Kubernetes' service account authenticator does. */
    @Override
    public boolean isAudienceAware() {
        return true;
    }

    /**
     * Closes the lookup if it is {@link AutoCloseable} (one opened from configuration owns a Kubernetes client);
     * a lookup that is not is left alone.
     */
    @Override
    public void close() {
        if (lookup instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception e) {
                // Nothing to recover at shutdown; the type says enough.
                System.getLogger(ServiceAccountTokenAuthenticator.class.getName()).log(System.Logger.Level.WARNING,
                        "closing the service account lookup failed: " + e.getClass().getSimpleName());
            }
        }
    }

    /**
     * The API audiences (the implicit audiences of legacy tokens and of requests that name none).
     *
     * @return the audiences, unmodifiable
     */
    public List<String> apiAudiences() {
        return apiAudiences;
    }

    @Override
    public AuthenticationResult authenticate(String token, List<String> audiences) {
        try {
            return verify(token, audiences);
        } catch (ObjectLookupException e) {
            // The lookup could not answer (its API is down): fail closed with its reason, which never holds a secret.
            return Rejected.of(RejectionReason.INTERNAL_ERROR,
                    "service account token could not be verified: " + e.getMessage());
        } catch (RuntimeException e) {
            // A bug or a failing lookup: fail closed, naming the failure but never the token.
            return Rejected.of(RejectionReason.INTERNAL_ERROR,
                    "service account token could not be verified: " + e.getClass().getSimpleName());
        }
    }

    private AuthenticationResult verify(String token, List<String> requested) {
        String issuer = CompactJws.untrustedIssuer(token, maxTokenLength);
        boolean isLegacy = LEGACY_ISSUER.equals(issuer);
        if (issuer == null || !(isLegacy || issuers.contains(issuer))) {
            return Abstained.instance();
        }
        if (isLegacy && !legacyAllowed) {
            return Rejected.of(RejectionReason.INVALID_CREDENTIAL, "legacy service account tokens are not accepted");
        }
        CompactJws jws;
        try {
            jws = CompactJws.parse(token, maxTokenLength);
        } catch (JwtException e) {
            // Kubernetes: a token go-jose cannot parse is not this authenticator's to judge.
            return Abstained.instance();
        }
        // Kubernetes' order: the signature, then the audiences, then the times (its validator).
        VerifiedJwt signed;
        List<String> tokenAudiences;
        String subject;
        try {
            signed = verifier.verifySignature(jws);
            tokenAudiences = jws.claims().audiences();
            subject = jws.claims().stringOrNull("sub");
        } catch (JwtException e) {
            return rejection(e);
        }
        if (tokenAudiences.isEmpty()) {
            // A legacy token: Kubernetes audits it and grants it the implicit audiences.
            events.warning(EVENT_SOURCE, "authentication.k8s.io/legacy-token: " + (subject == null ? "" : subject));
            events.serviceAccountToken(AuthenticationListener.ServiceAccountTokenKind.LEGACY);
            tokenAudiences = apiAudiences;
        }
        List<String> wanted = requested.isEmpty() ? apiAudiences : requested;
        // Kubernetes' Audiences(tokenAudiences).Intersect(requested): the requested audiences' order.
        List<String> granted = Audiences.intersect(wanted, tokenAudiences);
        if (granted.isEmpty() && !apiAudiences.isEmpty()) {
            return Rejected.of(RejectionReason.WRONG_AUDIENCE, "token audiences " + GoText.quoteList(tokenAudiences)
                    + " is invalid for the target audiences " + GoText.quoteList(wanted));
        }
        VerifiedJwt verified;
        try {
            verified = verifier.verifyClaims(signed);
        } catch (JwtException e) {
            return rejection(e);
        }
        Instant now = clock.instant();
        List<String> warnings = new ArrayList<>(0);
        ServiceAccountInfo info;
        try {
            info = isLegacy ? legacy.validate(token, verified.claims(), now, warnings) : bound.validate(verified.claims(), now);
        } catch (Refusal r) {
            return r.toRejected();
        }
        return new Authenticated(info.toUserInfo(), granted, verified.expiresAt(), warnings);
    }

    /** The engine's failure in Kubernetes' words (claims.go and jwt.go). */
    private static Rejected rejection(JwtException e) {
        String message = switch (e.kind()) {
            case EXPIRED -> "service account token has expired";
            case NOT_YET_VALID -> "service account token is not valid yet";
            case ISSUED_IN_FUTURE -> "service account token is issued in the future";
            case UNKNOWN_KEY, KEYS_UNAVAILABLE -> NO_KEYS;
            case BAD_SIGNATURE, UNSUPPORTED_ALGORITHM -> BAD_SIGNATURE;
            default -> "service account token claims could not be validated: " + e.getMessage();
        };
        return Rejected.of(e.kind().reason(), message);
    }

    @Override
    public String toString() {
        return "ServiceAccountTokenAuthenticator{issuers=" + issuers + ", legacyTokensAllowed=" + legacyAllowed
                + ", apiAudiences=" + apiAudiences + "}";
    }

    /**
     * Configures a {@link ServiceAccountTokenAuthenticator}. Not thread-safe; {@link #build()} validates
     * everything and reads the key files, so a built authenticator never touches a file.
     */
    public static final class Builder {
        private final List<PublicKey> keys = new ArrayList<>();
        private final List<Path> keyFiles = new ArrayList<>();
        private List<String> issuers = List.of();
        private List<String> apiAudiences;
        private ServiceAccountLookup lookup = ServiceAccountLookup.none();
        private boolean legacyLookup = true;
        private boolean legacyTokensAllowed = true;
        private Clock clock = Clock.systemUTC();
        private AuthenticationListener listener = AuthenticationListener.logging();
        private int maxTokenLength = CompactJws.DEFAULT_MAX_LENGTH;

        private Builder() {
        }

        /**
         * Adds trusted public keys (RSA or EC P-256/384/521).
         *
         * @param more the keys
         * @return this builder
         */
        public Builder keys(Collection<? extends PublicKey> more) {
            for (PublicKey k : more) {
                keys.add(Objects.requireNonNull(k, "keys element"));
            }
            return this;
        }

        /**
         * Adds PEM key files, as {@code --service-account-key-file}; read by {@link #build()}.
         *
         * @param files PEM files of public keys, certificates or private keys (their public half), as {@link ServiceAccountKeys#readPublicKeys} reads them
         * @return this builder
         */
        public Builder keyFiles(Collection<Path> files) {
            for (Path f : files) {
                keyFiles.add(Objects.requireNonNull(f, "keyFiles element"));
            }
            return this;
        }

        /**
         * The accepted bound-token issuers, as {@code --service-account-issuer} (the first is the one that
         * signs); required, none empty or duplicated, each with a {@code :} a valid URL.
         *
         * @param accepted the issuers, in order
         * @return this builder
         */
        public Builder issuers(Collection<String> accepted) {
            this.issuers = new ArrayList<>(accepted);
            return this;
        }

        /**
         * The API audiences ({@code --api-audiences}); default: the issuers. An explicit empty list turns audience checks off.
         *
         * @param audiences the API audiences, in order
         * @return this builder
         */
        public Builder apiAudiences(Collection<String> audiences) {
            this.apiAudiences = List.copyOf(audiences);
            return this;
        }

        /**
         * Where objects are looked up; default {@link ServiceAccountLookup#none()}.
         *
         * @param objects the lookup; not null
         * @return this builder
         */
        public Builder lookup(ServiceAccountLookup objects) {
            this.lookup = Objects.requireNonNull(objects, "lookup");
            return this;
        }

        /**
         * Kubernetes' {@code --service-account-lookup}: whether legacy secret-based tokens are checked against the
         * {@link #lookup} (their secret and service account must exist and match); default true, as Kubernetes.
         * Bound tokens are always checked against the lookup, whatever this says, as in Kubernetes; with
         * {@link ServiceAccountLookup#none()} nothing is checked either way.
         *
         * @param enabled whether legacy tokens are checked against the lookup
         * @return this builder
         */
        public Builder legacyLookup(boolean enabled) {
            this.legacyLookup = enabled;
            return this;
        }

        /**
         * Whether legacy secret-based tokens are accepted; default true, as Kubernetes. When false they are
         * rejected ("legacy service account tokens are not accepted") without verification.
         *
         * @param allowed whether legacy tokens are accepted at all
         * @return this builder
         */
        public Builder legacyTokensAllowed(boolean allowed) {
            this.legacyTokensAllowed = allowed;
            return this;
        }

        /**
         * The clock for validity and deletion checks; default the system UTC clock.
         *
         * @param c the clock; not null
         * @return this builder
         */
        public Builder clock(Clock c) {
            this.clock = Objects.requireNonNull(c, "clock");
            return this;
        }

        /**
         * Receives stale-token and legacy-token reports; default {@link AuthenticationListener#logging()}.
         *
         * @param l the listener; not null
         * @return this builder
         */
        public Builder listener(AuthenticationListener l) {
            this.listener = Objects.requireNonNull(l, "listener");
            return this;
        }

        /**
         * The longest token judged, in characters; default {@link CompactJws#DEFAULT_MAX_LENGTH}.
         *
         * @param chars the limit; positive
         * @return this builder
         */
        public Builder maxTokenLength(int chars) {
            if (chars < 64) {
                throw new IllegalArgumentException("maxTokenLength must be at least 64, was " + chars);
            }
            this.maxTokenLength = chars;
            return this;
        }

        /**
         * Validates, reads the key files and builds.
         *
         * @return the authenticator
         * @throws ConfigurationException naming the setting at fault ({@code keyFiles}, {@code issuers},
         *                                {@code apiAudiences})
         */
        public ServiceAccountTokenAuthenticator build() {
            validateIssuers(issuers);
            if (apiAudiences != null) {
                for (String a : apiAudiences) {
                    if (a == null || a.isEmpty()) {
                        throw invalid("apiAudiences", "an audience must not be empty");
                    }
                }
            }
            List<PublicKey> all = new ArrayList<>(keys);
            for (Path f : keyFiles) {
                all.addAll(ServiceAccountKeys.readPublicKeys(f));
            }
            if (all.isEmpty()) {
                throw invalid("keyFiles", "at least one service account key is required");
            }
            // The same key may be listed twice (two files); one entry per kid keeps lookups exact.
            Map<String, VerificationKey> byKid = new LinkedHashMap<>();
            for (PublicKey k : all) {
                String kid = ServiceAccountKeys.keyId(k);
                if (!byKid.containsKey(kid)) {
                    try {
                        byKid.put(kid, VerificationKey.of(kid, k));
                    } catch (IllegalArgumentException e) {
                        throw invalid("keyFiles", "key " + kid + " is unusable: " + e.getMessage());
                    }
                }
            }
            return new ServiceAccountTokenAuthenticator(this, VerificationKeySet.of(byKid.values()));
        }

        static void validateIssuers(List<String> issuers) {
            if (issuers.isEmpty()) {
                throw invalid("issuers", "at least one issuer is required");
            }
            Set<String> seen = new HashSet<>();
            for (String i : issuers) {
                if (i == null || i.isEmpty()) {
                    throw invalid("issuers", "an issuer must not be empty");
                }
                if (!seen.add(i)) {
                    throw invalid("issuers", "duplicate issuer " + GoText.quote(i));
                }
                if (i.contains(":")) {
                    try {
                        URI u = new URI(i);
                        if (u.getScheme() == null) {
                            throw new URISyntaxException(i, "no scheme");
                        }
                    } catch (URISyntaxException e) {
                        throw invalid("issuers", "issuer " + GoText.quote(i) + " contains a ':' but is not a valid URL");
                    }
                }
            }
        }

        private static ConfigurationException invalid(String setting, String problem) {
            return new ConfigurationException(null, null, setting, problem, null);
        }
    }
}
