package io.gatehouse.bootstrap;

import io.gatehouse.core.AuthenticationResult;
import io.gatehouse.core.AuthenticationResult.Abstained;
import io.gatehouse.core.AuthenticationResult.Authenticated;
import io.gatehouse.core.AuthenticationResult.Rejected;
import io.gatehouse.core.RejectionReason;
import io.gatehouse.core.TokenAuthenticator;
import io.gatehouse.core.UserInfo;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kubernetes' bootstrap token authenticator ({@code --enable-bootstrap-token-auth}): a bearer token
 * {@code <id>.<secret>} ({@code \A[a-z0-9]{6}\.[a-z0-9]{16}\z}) is checked against the Secret
 * {@code kube-system/bootstrap-token-<id>} from a {@link BootstrapTokenStore}.
 *
 * <p>A token of another shape abstains, so that other token authenticators get their turn. Otherwise the checks
 * run in Kubernetes' order, and the first that fails rejects the token with Kubernetes' log text as the message:
 * the Secret exists ({@code NOT_FOUND}); it is not being deleted ({@code NOT_FOUND}); its type is
 * {@value BootstrapTokenSecret#TYPE} and it has data ({@code INVALID_CREDENTIAL}); {@code token-secret} equals
 * the presented secret, compared in constant time ({@code INVALID_CREDENTIAL}); {@code token-id} equals the id
 * ({@code INVALID_CREDENTIAL}); {@code expiration}, when set, is a parseable RFC 3339 time after now
 * ({@code EXPIRED}); {@code usage-bootstrap-authentication} is exactly {@code "true"} ({@code INVALID_CREDENTIAL});
 * every {@code auth-extra-groups} entry matches {@code \Asystem:bootstrappers:[a-z0-9:-]{0,255}[a-z0-9]\z}
 * ({@code INVALID_CLAIMS}). A store failure rejects with {@code INTERNAL_ERROR}.
 *
 * <p>The user is {@code system:bootstrap:<id>} with no uid and no extra, in {@code system:bootstrappers} and the
 * extra groups, sorted and de-duplicated. The result expires when the token does.
 *
 * <p>Audience-agnostic, as Kubernetes' is: {@link #isAudienceAware()} is false and the chain scopes the answer to
 * the API audiences. Messages and logs name the token id, never the secret (Kubernetes logs the presented secret
 * when it does not match; this does not). Thread-safe; {@link #authenticate} never throws.
 */
public final class BootstrapTokenAuthenticator implements TokenAuthenticator, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(BootstrapTokenAuthenticator.class);

    private final BootstrapTokenStore store;
    private final Clock clock;

    private BootstrapTokenAuthenticator(Builder builder) {
        this.store = builder.store;
        this.clock = builder.clock;
    }

    /**
     * A builder; {@link Builder#store} must be set.
     *
     * @return a new builder with no store and the system UTC clock
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Judges {@code token}; {@code audiences} are ignored (see {@link #isAudienceAware()}).
     *
     * @return {@link Abstained} for a token not of the bootstrap shape, {@link Rejected} for a bootstrap token that
     *         fails a check, else {@link Authenticated}; never null
     */
    @Override
    public AuthenticationResult authenticate(String token, List<String> audiences) {
        if (token == null || !BootstrapTokens.isValidToken(token)) {
            return Abstained.instance();
        }
        String tokenId = token.substring(0, BootstrapTokens.ID_LENGTH);
        String secretName = BootstrapTokens.secretName(tokenId);
        Optional<BootstrapTokenSecret> found;
        try {
            found = store.find(secretName);
        } catch (RuntimeException e) {
            String message = "looking up bootstrap token Secret " + BootstrapTokens.NAMESPACE + "/" + secretName
                    + " failed: " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage());
            LOG.warn("{}", message);
            return Rejected.of(RejectionReason.INTERNAL_ERROR, message);
        }
        if (found == null || found.isEmpty()) {
            return reject(RejectionReason.NOT_FOUND,
                    "No secret of name " + secretName + " to match bootstrap bearer token");
        }
        return check(found.get(), tokenId, token);
    }

    private AuthenticationResult check(BootstrapTokenSecret secret, String tokenId, String token) {
        if (secret.deleted()) {
            return tokenError(RejectionReason.NOT_FOUND, secret, "is deleted and awaiting removal");
        }
        Map<String, String> data = secret.data();
        if (!BootstrapTokenSecret.TYPE.equals(secret.type()) || data == null) {
            return tokenError(RejectionReason.INVALID_CREDENTIAL, secret,
                    "has invalid type, expected " + BootstrapTokenSecret.TYPE + ".");
        }
        byte[] expected = secret.get(BootstrapTokenSecret.TOKEN_SECRET).getBytes(StandardCharsets.UTF_8);
        byte[] presented = token.substring(BootstrapTokens.ID_LENGTH + 1).getBytes(StandardCharsets.US_ASCII);
        // MessageDigest.isEqual runs in time independent of where the bytes differ, like Go's ConstantTimeCompare.
        if (!MessageDigest.isEqual(expected, presented)) {
            // Kubernetes prints the presented secret here; a credential never reaches a Gatehouse message.
            return tokenError(RejectionReason.INVALID_CREDENTIAL, secret,
                    "has invalid value for key " + BootstrapTokenSecret.TOKEN_SECRET + ".");
        }
        if (!tokenId.equals(secret.get(BootstrapTokenSecret.TOKEN_ID))) {
            return tokenError(RejectionReason.INVALID_CREDENTIAL, secret,
                    "has invalid value for key " + BootstrapTokenSecret.TOKEN_ID + ", expected " + tokenId + ".");
        }
        Instant expiresAt = null;
        String expiration = secret.get(BootstrapTokenSecret.EXPIRATION);
        if (!expiration.isEmpty()) {
            try {
                expiresAt = GoTime.parseRfc3339(expiration);
            } catch (IllegalArgumentException e) {
                return reject(RejectionReason.EXPIRED, "Unparseable expiration time (" + expiration + ") in "
                        + secret.namespace() + "/" + secret.name() + " Secret: " + e.getMessage()
                        + ". Treating as expired.");
            }
            if (!expiresAt.isAfter(clock.instant())) {
                return reject(RejectionReason.EXPIRED, "Expired bootstrap token in " + secret.namespace() + "/"
                        + secret.name() + " Secret: " + expiration);
            }
        }
        if (!"true".equals(secret.get(BootstrapTokenSecret.USAGE_AUTHENTICATION))) {
            return tokenError(RejectionReason.INVALID_CREDENTIAL, secret,
                    "not marked " + BootstrapTokenSecret.USAGE_AUTHENTICATION + "=true.");
        }
        List<String> groups;
        try {
            groups = BootstrapTokens.groups(secret.get(BootstrapTokenSecret.AUTH_EXTRA_GROUPS));
        } catch (IllegalArgumentException e) {
            return tokenError(RejectionReason.INVALID_CLAIMS, secret,
                    "has invalid value for key " + BootstrapTokenSecret.AUTH_EXTRA_GROUPS + ": " + e.getMessage()
                            + ".");
        }
        UserInfo user = new UserInfo(BootstrapTokens.USER_PREFIX + tokenId, "", groups, Map.of());
        return Authenticated.of(user, expiresAt);
    }

    /** Kubernetes' {@code tokenErrorf}: the message starts with the Secret it is about. */
    private static Rejected tokenError(RejectionReason reason, BootstrapTokenSecret secret, String detail) {
        return reject(reason, "Bootstrap secret " + secret.namespace() + "/" + secret.name() + " matching bearer token "
                + detail);
    }

    private static Rejected reject(RejectionReason reason, String message) {
        // Kubernetes logs these at V(3); the chain reports the rejection itself, so this is debug detail only.
        LOG.debug("{}", message);
        return Rejected.of(reason, message);
    }

    /** Always false: bootstrap tokens carry no audience, and the chain scopes them to the API audiences. */
    @Override
    public boolean isAudienceAware() {
        return false;
    }

    /** Closes the store if it is {@link AutoCloseable} (a watched directory stops watching). */
    @Override
    public void close() {
        if (store instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception e) {
                LOG.warn("closing the bootstrap token store failed: {}", e.getClass().getSimpleName());
            }
        }
    }

    @Override
    public String toString() {
        return "BootstrapTokenAuthenticator[" + store + "]";
    }

    /**
     * Configures a {@link BootstrapTokenAuthenticator}. Not thread-safe; {@link #build()} may be called more than
     * once, and each authenticator shares the store.
     */
    public static final class Builder {

        private BootstrapTokenStore store;
        private Clock clock = Clock.systemUTC();

        private Builder() {
        }

        /**
         * Where Secrets are looked up; required. The authenticator owns the store from now on and closes it, when
         * it is {@link AutoCloseable}, on {@link BootstrapTokenAuthenticator#close()}.
         *
         * @param store the store of bootstrap token Secrets; not null
         * @return this builder
         * @throws NullPointerException if {@code store} is null
         */
        public Builder store(BootstrapTokenStore store) {
            this.store = Objects.requireNonNull(store, "store");
            return this;
        }

        /**
         * The clock expirations are compared with; the system UTC clock by default.
         *
         * @param clock the clock that decides whether a token has expired; not null
         * @return this builder
         * @throws NullPointerException if {@code clock} is null
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Builds the authenticator.
         *
         * @return a new authenticator that owns the store
         * @throws IllegalStateException if no store was set
         */
        public BootstrapTokenAuthenticator build() {
            if (store == null) {
                throw new IllegalStateException("store is required: set an InMemoryBootstrapTokenStore, a "
                        + "BootstrapTokenDirectory or another BootstrapTokenStore");
            }
            return new BootstrapTokenAuthenticator(this);
        }
    }
}
