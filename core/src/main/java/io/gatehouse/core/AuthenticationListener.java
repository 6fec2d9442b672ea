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

    /** The default listener: logs through SLF4J under {@code io.gatehouse.events}. */
    static AuthenticationListener logging() {
        return Slf4jAuthenticationListener.INSTANCE;
    }

    /** A request was authenticated as {@code user}. */
    default void authenticated(UserInfo user, Duration latency) {
    }

    /** A request presented a credential that was refused. */
    default void rejected(Rejected rejection, Duration latency) {
    }

    /** No authenticator recognised anything in a request. */
    default void abstained(Duration latency) {
    }

    /** The token cache answered for the token with {@code fingerprint}. */
    default void cacheHit(String fingerprint) {
    }

    /** The token cache did not know the token with {@code fingerprint}; it was verified. */
    default void cacheMiss(String fingerprint) {
    }

    /** A file-backed input ({@code source} names it) was loaded anew; {@code summary} says what it holds. */
    default void reloaded(String source, String summary) {
    }

    /** A new version of {@code source} could not be used; the last good version stays in force. */
    default void reloadFailed(String source, String error) {
    }

    /** Keys from {@code source} (a JWKS URL, a key file) were refreshed; {@code keyCount} are now known. */
    default void keysRefreshed(String source, int keyCount) {
    }

    /** Keys from {@code source} could not be refreshed; the keys already known stay in use. */
    default void keyRefreshFailed(String source, String error) {
    }

    /** Something a server operator should know that is not a verdict, for example a stale token in use. */
    default void warning(String source, String message) {
    }
}
