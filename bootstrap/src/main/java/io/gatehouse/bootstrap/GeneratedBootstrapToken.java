package io.gatehouse.bootstrap;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A new bootstrap token from {@link BootstrapTokenGenerator}: the bearer token to hand to a joining node and the
 * Secret that makes it valid (store it with {@link BootstrapTokenDirectory#write} or
 * {@link InMemoryBootstrapTokenStore#put}).
 *
 * <p>Immutable and thread-safe. {@link #toString()} shows the token id, never the secret.
 */
public final class GeneratedBootstrapToken {

    private final String token;
    private final BootstrapTokenSecret secret;
    private final Instant expiresAt;

    GeneratedBootstrapToken(String token, BootstrapTokenSecret secret, Instant expiresAt) {
        this.token = Objects.requireNonNull(token, "token");
        this.secret = Objects.requireNonNull(secret, "secret");
        this.expiresAt = expiresAt;
    }

    /**
     * The bearer token {@code <id>.<secret>}: a credential, to be given only to whom it is for.
     *
     * @return the bearer token, never null
     */
    public String token() {
        return token;
    }

    /**
     * The token id, the public half of the token.
     *
     * @return the token id, the part before the dot
     */
    public String id() {
        return token.substring(0, BootstrapTokens.ID_LENGTH);
    }

    /**
     * The Secret {@code kube-system/bootstrap-token-<id>} to store.
     *
     * @return the Secret, never null
     */
    public BootstrapTokenSecret secret() {
        return secret;
    }

    /**
     * When the token stops authenticating (whole seconds, as written to the Secret); empty if it never expires.
     *
     * @return the expiry instant, or empty for a zero TTL
     */
    public Optional<Instant> expiresAt() {
        return Optional.ofNullable(expiresAt);
    }

    @Override
    public String toString() {
        return "GeneratedBootstrapToken[id=" + id() + ", expiresAt=" + (expiresAt == null ? "never" : expiresAt) + "]";
    }
}
