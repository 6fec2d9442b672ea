package io.gatehouse.serviceaccount;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.util.JSONObjectUtils;
import io.gatehouse.core.ConfigurationException;

import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PublicKey;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * Mints bound service account tokens as the TokenRequest API does ({@code pkg/serviceaccount/claims.go}
 * and the token subresource): {@code iss} the signing issuer, {@code sub}
 * {@code system:serviceaccount:<ns>:<name>}, {@code aud} the requested audiences (default the API audiences),
 * {@code iat} = {@code nbf} = now, {@code exp} = now + lifetime, {@code jti} a random UUID, and the
 * {@code kubernetes.io} claim. RSA keys sign RS256, EC keys ES256/ES384/ES512 by curve; the header's
 * {@code kid} is {@link ServiceAccountKeys#keyId}.
 *
 * <p>Lifetimes: requests are validated by {@link TokenRequest} (at least 600 s, at most 2^32 s); a configured
 * {@linkplain Builder#maxExpiration maximum} shortens longer requests with Kubernetes' warning; with
 * {@linkplain Builder#extendExpiration extended expiration} (on by default, as
 * {@code --service-account-extend-token-expiration}) a pod-bound request for exactly
 * {@value #WARN_ONLY_EXPIRATION_SECONDS} s whose audiences are all API audiences gets a one-year {@code exp} and
 * {@code warnafter} at the requested lifetime.
 *
 * <p>Immutable and thread-safe. The private key never appears in a message or {@link #toString()}.
 */
public final class ServiceAccountTokenIssuer {

    /** The kubelet's default projected-token lifetime, which Kubernetes treats as "extend, but warn". */
    public static final long WARN_ONLY_EXPIRATION_SECONDS = 3607;

    /** The extended lifetime: one year ({@code ExpirationExtensionSeconds}). */
    public static final long EXTENDED_EXPIRATION_SECONDS = 24L * 365 * 60 * 60;

    private final JWSSigner signer;
    private final JWSHeader header;
    private final String issuer;
    private final List<String> apiAudiences;
    private final Clock clock;
    private final long maxExpirationSeconds;
    private final boolean extendExpiration;

    private ServiceAccountTokenIssuer(Builder b, JWSSigner signer, JWSHeader header) {
        this.signer = signer;
        this.header = header;
        this.issuer = b.issuer;
        this.apiAudiences = List.copyOf(b.apiAudiences == null ? List.of(b.issuer) : b.apiAudiences);
        this.clock = b.clock;
        this.maxExpirationSeconds = b.maxExpiration == null ? 0 : b.maxExpiration.getSeconds();
        this.extendExpiration = b.extendExpiration;
    }

    /**
     * A builder; {@code signingKey} and {@code issuer} are required.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The issuer tokens name ({@code iss}).
     *
     * @return the issuer URL
     */
    public String issuer() {
        return issuer;
    }

    /**
     * The signing key's id, the {@code kid} of every token.
     *
     * @return the key id, derived from the public key as kube-apiserver derives it
     */
    public String keyId() {
        return header.getKeyID();
    }

    /**
     * Mints a token.
     *
     * @param request what the token is for: service account, audiences, lifetime, bound object
     * @return the signed token with its expiry and credential id
     * @throws IllegalStateException if signing fails (a broken crypto provider; never for a valid request)
     */
    public IssuedToken issue(TokenRequest request) {
        Objects.requireNonNull(request, "request");
        List<String> warnings = new ArrayList<>(0);
        long seconds = request.expirationSeconds();
        if (maxExpirationSeconds > 0 && seconds > maxExpirationSeconds) {
            warnings.add("requested expiration of " + seconds + " seconds shortened to " + maxExpirationSeconds + " seconds");
            seconds = maxExpirationSeconds;
        }
        List<String> audiences = request.audiences().isEmpty() ? apiAudiences : request.audiences();
        BoundObjectReference bound = request.boundObject();
        boolean podBound = bound != null && bound.kind() == BoundObjectReference.Kind.POD;
        long exp = seconds;
        Long warnAfter = null;
        if (extendExpiration && podBound && seconds == WARN_ONLY_EXPIRATION_SECONDS && apiAudiences.containsAll(audiences)) {
            warnAfter = seconds;
            exp = EXTENDED_EXPIRATION_SECONDS;
        }
        long now = clock.instant().getEpochSecond();
        String jti = UUID.randomUUID().toString();

        // Member order as Kubernetes' tokens have it (go-jose merges claims into a map: sorted keys).
        Map<String, Object> k8s = new LinkedHashMap<>();
        k8s.put("namespace", request.namespace());
        if (podBound && request.podNode() != null) {
            k8s.put("node", ref(request.podNode()));
        } else if (bound != null && bound.kind() == BoundObjectReference.Kind.NODE) {
            k8s.put("node", ref(bound));
        }
        if (podBound) {
            k8s.put("pod", ref(bound));
        }
        if (bound != null && bound.kind() == BoundObjectReference.Kind.SECRET) {
            k8s.put("secret", ref(bound));
        }
        k8s.put("serviceaccount", ref(request.serviceAccountName(), request.serviceAccountUid()));
        if (warnAfter != null) {
            k8s.put("warnafter", now + warnAfter);
        }
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("aud", audiences);
        claims.put("exp", now + exp);
        claims.put("iat", now);
        claims.put("iss", issuer);
        claims.put("jti", jti);
        claims.put(BoundTokenValidator.PRIVATE_CLAIM, k8s);
        claims.put("nbf", now);
        claims.put("sub", ServiceAccountNames.username(request.namespace(), request.serviceAccountName()));

        // Serialised here: Payload(Map) would copy into a hash map and lose the order.
        JWSObject jws = new JWSObject(header, new Payload(JSONObjectUtils.toJSONString(claims)));
        try {
            jws.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalStateException("signing a service account token failed: " + e.getClass().getSimpleName(), e);
        }
        return new IssuedToken(jws.serialize(), Instant.ofEpochSecond(now + seconds), "JTI=" + jti, warnings);
    }

    private static Map<String, Object> ref(BoundObjectReference r) {
        return ref(r.name(), r.uid());
    }

    private static Map<String, Object> ref(String name, String uid) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        m.put("uid", uid);
        return m;
    }

    /** The JWS algorithm Kubernetes signs with for {@code key}: RS256 for RSA, ES256/384/512 by curve. */
    static JWSAlgorithm algorithmFor(PublicKey key) {
        if (key instanceof RSAPublicKey) {
            return JWSAlgorithm.RS256;
        }
        if (key instanceof ECPublicKey ec) {
            return switch (ec.getParams().getCurve().getField().getFieldSize()) {
                case 256 -> JWSAlgorithm.ES256;
                case 384 -> JWSAlgorithm.ES384;
                case 521 -> JWSAlgorithm.ES512;
                default -> throw new IllegalArgumentException("unsupported EC curve; only P-256, P-384 and P-521");
            };
        }
        throw new IllegalArgumentException("unsupported key type " + key.getAlgorithm() + "; only RSA and EC keys sign");
    }

    @Override
    public String toString() {
        return "ServiceAccountTokenIssuer{issuer=" + issuer + ", kid=" + keyId() + ", alg=" + header.getAlgorithm() + "}";
    }

    /** Configures a {@link ServiceAccountTokenIssuer}. Not thread-safe; {@link #build()} validates. */
    public static final class Builder {
        private KeyPair signingKey;
        private Path signingKeyFile;
        private String issuer;
        private List<String> apiAudiences;
        private Clock clock = Clock.systemUTC();
        private Duration maxExpiration;
        private boolean extendExpiration = true;

        private Builder() {
        }

        /**
         * The signing key pair (RSA of at least 2048 bits, or EC P-256/384/521).
         *
         * @param pair the private key and its public key
         * @return this builder
         */
        public Builder signingKey(KeyPair pair) {
            this.signingKey = Objects.requireNonNull(pair, "signingKey");
            return this;
        }

        /**
         * A PEM file holding the signing key, as {@code --service-account-signing-key-file}; read by {@link #build()}.
         *
         * @param file the PEM file
         * @return this builder
         */
        public Builder signingKeyFile(Path file) {
            this.signingKeyFile = Objects.requireNonNull(file, "signingKeyFile");
            return this;
        }

        /**
         * The issuer ({@code iss}): the first {@code --service-account-issuer}; required.
         *
         * @param iss the issuer URL
         * @return this builder
         */
        public Builder issuer(String iss) {
            this.issuer = iss;
            return this;
        }

        /**
         * The API audiences, the default {@code aud}; default: the issuer.
         *
         * @param audiences the audiences, in order
         * @return this builder
         */
        public Builder apiAudiences(List<String> audiences) {
            this.apiAudiences = List.copyOf(audiences);
            return this;
        }

        /**
         * The clock for {@code iat}, {@code nbf} and {@code exp}; default the system UTC clock.
         *
         * @param c the clock; not null
         * @return this builder
         */
        public Builder clock(Clock c) {
            this.clock = Objects.requireNonNull(c, "clock");
            return this;
        }

        /**
         * The longest lifetime granted ({@code --service-account-max-token-expiration}): between one hour and
         * 2^32 s; default none.
         *
         * @param max the longest lifetime; between one hour and 2^32 seconds
         * @return this builder
         */
        public Builder maxExpiration(Duration max) {
            this.maxExpiration = max;
            return this;
        }

        /**
         * Kubernetes' extended-expiration rule ({@code --service-account-extend-token-expiration}); default true.
         *
         * @param extend whether to apply it
         * @return this builder
         */
        public Builder extendExpiration(boolean extend) {
            this.extendExpiration = extend;
            return this;
        }

        /**
         * Validates and builds.
         *
         * @return the issuer
         * @throws ConfigurationException naming the setting at fault
         */
        public ServiceAccountTokenIssuer build() {
            if (issuer == null || issuer.isEmpty()) {
                throw invalid("issuer", "is required");
            }
            ServiceAccountTokenAuthenticator.Builder.validateIssuers(List.of(issuer));
            if (apiAudiences != null && apiAudiences.stream().anyMatch(String::isEmpty)) {
                throw invalid("apiAudiences", "an audience must not be empty");
            }
            if (maxExpiration != null && (maxExpiration.compareTo(Duration.ofHours(1)) < 0
                    || maxExpiration.getSeconds() > 1L << 32)) {
                throw invalid("maxExpiration", "must be between 1h and 2^32 seconds, was " + maxExpiration);
            }
            if ((signingKey == null) == (signingKeyFile == null)) {
                throw invalid("signingKey", "exactly one of signingKey and signingKeyFile is required");
            }
            KeyPair pair = signingKey != null ? signingKey : ServiceAccountKeys.readSigningKey(signingKeyFile);
            JWSSigner signer;
            JWSAlgorithm alg;
            try {
                alg = algorithmFor(pair.getPublic());
                if (pair.getPrivate() instanceof RSAPrivateKey rsa) {
                    signer = new RSASSASigner(rsa);
                } else if (pair.getPrivate() instanceof ECPrivateKey ec) {
                    signer = new ECDSASigner(ec);
                } else {
                    throw new IllegalArgumentException("the private key does not match the public key's type");
                }
            } catch (IllegalArgumentException | JOSEException e) {
                throw invalid("signingKey", e.getMessage());
            }
            JWSHeader header = new JWSHeader.Builder(alg).keyID(ServiceAccountKeys.keyId(pair.getPublic())).build();
            return new ServiceAccountTokenIssuer(this, signer, header);
        }

        private static ConfigurationException invalid(String setting, String problem) {
            return new ConfigurationException(null, null, setting, problem, null);
        }
    }
}
