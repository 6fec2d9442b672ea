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

    /**
     * The chain reached its verdict on one request; called once per {@link AuthenticationChain#authenticate} call,
     * after {@link #authenticated}, {@link #rejected} or {@link #abstained}. A token cache hit names the member that
     * reached the cached verdict.
     *
     * @param authenticator the chain name of the member whose verdict decided: the one that authenticated (also
     *                      when the chain then refused its audiences), else the first that rejected; null when every
     *                      member abstained (the result is then an abstention, Kubernetes' {@code invalid bearer
     *                      token} rejection of a token nobody recognised, or {@code system:anonymous} when
     *                      anonymous requests are enabled)
     * @param result        the chain's verdict, as returned to the caller
     * @param latency       how long the chain took (the same value as the verdict event's)
     */
    default void decided(String authenticator, AuthenticationResult result, Duration latency) {
    }

    /**
     * One lookup in the token cache ended: a hit returned a verdict already known; a miss verified the token or
     * waited for a concurrent verification of the same token (as Kubernetes counts it, recorded after that wait).
     *
     * @param hit   whether the verdict was already known
     * @param nanos how long the lookup took, waits and verification included. The chain's own lookup, when nothing
     *              ran in the chain before it, is timed by the chain's clock reads (from the chain's start to the
     *              next member's start or the chain's end, a few nanoseconds of the chain's dispatch more than the
     *              lookup) and reported at the chain's end, just before the verdict event
     */
    default void tokenCacheRequest(boolean hit, long nanos) {
    }

    /**
     * The token cache ran its delegate once for a missed token (concurrent misses of one token share one run).
     *
     * @param ok false when the delegate rejected the token or failed (Kubernetes' delegate error), true when it
     *           authenticated or abstained
     */
    default void tokenCacheFetch(boolean ok) {
    }

    /**
     * A caller of the token cache began ({@code +1}) or ended ({@code -1}) waiting for a verdict it missed, the
     * caller that runs the verification included.
     *
     * @param delta {@code +1} or {@code -1}
     */
    default void tokenCacheBlocked(int delta) {
    }

    /**
     * A verification run by the token cache began ({@code +1}) or ended ({@code -1}).
     *
     * @param delta {@code +1} or {@code -1}
     */
    default void tokenCacheInFlight(int delta) {
    }

    /**
     * A JWT authenticator judged a token of one of its issuers (a token of no configured issuer is not reported, as
     * Kubernetes). Reached only on token cache misses.
     *
     * @param issuerHash the issuer as Kubernetes' hash label ({@code "sha256:"} and hex), never the URL
     * @param success    whether the token authenticated
     * @param nanos      how long the authenticator took
     */
    default void jwtAuthenticatorLatency(String issuerHash, boolean success, long nanos) {
    }

    /**
     * A request for an issuer's JWKS document (its discovered or configured {@code jwks_uri}) ended.
     *
     * @param issuerHash  the issuer as Kubernetes' hash label, never the URL
     * @param success     whether a JWKS document arrived and decoded; false for a transport error, a status other
     *                    than 200 or a body that is not a JWKS
     * @param keySetHash  on success, the hash label of the exact body; null on failure
     */
    default void jwksFetched(String issuerHash, boolean success, String keySetHash) {
    }

    /**
     * A client certificate was presented to the client-certificate authenticator (not to the front-proxy check),
     * before it was verified.
     *
     * @param remainingMillis how long until the leaf certificate's {@code notAfter}; negative once it has passed
     */
    default void clientCertificateLifetime(long remainingMillis) {
    }

    /**
     * A service account token of {@code kind} was seen where Kubernetes counts it.
     *
     * @param kind what was seen
     */
    default void serviceAccountToken(ServiceAccountTokenKind kind) {
    }

    /**
     * One attempt to call the token review webhook ended (each retry is an attempt).
     *
     * @param code  the HTTP status, or {@code -1} when no status arrived (connection failure, timeout)
     * @param nanos how long the attempt took
     */
    default void webhookRequest(int code, long nanos) {
    }

    /** The service account token uses Kubernetes counts ({@code serviceaccount_*_total}). */
    enum ServiceAccountTokenKind {
        /** A verified token without {@code aud}: a legacy token, whatever the lookup setting. */
        LEGACY,
        /** A bound token past its {@code warnafter}. */
        STALE,
        /** A bound token with a {@code warnafter} not yet passed. */
        VALID,
        /** A legacy token from a Secret the service account lists (auto-generated), accepted by the lookup. */
        LEGACY_AUTO,
        /** A legacy token from a Secret the service account does not list (made by hand), accepted by the lookup. */
        LEGACY_MANUAL,
        /** A legacy token whose Secret is marked invalid ({@code kubernetes.io/legacy-token-invalid-since}). */
        INVALID_LEGACY_AUTO
    }
}
