package io.gatehouse.core;

import io.gatehouse.core.AuthenticationResult.Rejected;
import java.time.Duration;

/**
 * Receives authentication events: verdicts with their latency, token-cache hits and misses, reloads of
 * file-backed inputs and key refreshes. Every method has an empty default, so a listener implements only
 * what it needs.
 *
 * <p>Listeners are called on request threads: they must be fast, thread-safe and must not throw (the
 * chain catches and drops what they throw). Events never carry a credential: where one must be
 * identified it appears as a {@link Fingerprint}.
 */
public interface AuthenticationListener {

    /** A listener that ignores every event. */
    AuthenticationListener NONE = new AuthenticationListener() {
    };

    /**
     * The default listener: logs through SLF4J under {@code io.gatehouse.events}.
     *
     * @return the shared logging listener
     */
    static AuthenticationListener logging() {
        return Slf4jAuthenticationListener.INSTANCE;
    }

    /**
     * A request was authenticated as {@code user}.
     *
     * @param user who the caller is
     * @param latency how long the chain took
     */
    default void authenticated(UserInfo user, Duration latency) {
    }

    /**
     * A request presented a credential that was refused.
     *
     * @param rejection the reason and message, never the credential
     * @param latency how long the chain took
     */
    default void rejected(Rejected rejection, Duration latency) {
    }

    /**
     * No authenticator recognised anything in a request.
     *
     * @param latency how long the chain took
     */
    default void abstained(Duration latency) {
    }

    /**
     * The token cache answered for the token with {@code fingerprint}.
     *
     * @param fingerprint a short fingerprint of the token, never the token
     */
    default void cacheHit(String fingerprint) {
    }

    /**
     * The token cache did not know the token with {@code fingerprint}; it was verified.
     *
     * @param fingerprint a short fingerprint of the token, never the token
     */
    default void cacheMiss(String fingerprint) {
    }

    /**
     * A file-backed input ({@code source} names it) was loaded anew; {@code summary} says what it holds.
     *
     * @param source the file or directory
     * @param summary what it now holds, e.g. {@code 12 tokens}
     */
    default void reloaded(String source, String summary) {
    }

    /**
     * A new version of {@code source} could not be used; the last good version stays in force.
     *
     * @param source the file or directory
     * @param error why, never a secret
     */
    default void reloadFailed(String source, String error) {
    }

    /**
     * Keys from {@code source} (a JWKS URL, a key file) were refreshed; {@code keyCount} are now known.
     *
     * @param source the JWKS URL or key file
     * @param keyCount the keys known now
     */
    default void keysRefreshed(String source, int keyCount) {
    }

    /**
     * Keys from {@code source} could not be refreshed; the keys already known stay in use.
     *
     * @param source the JWKS URL or key file
     * @param error why, never a secret
     */
    default void keyRefreshFailed(String source, String error) {
    }

    /**
     * Something a server operator should know that is not a verdict, for example a stale token in use.
     *
     * @param source what it concerns (a file, an issuer, an authenticator)
     * @param message the warning, never a secret
     */
    default void warning(String source, String message) {
    }
}
