package io.gatehouse.core;

import io.gatehouse.core.AuthenticationResult.Rejected;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Logs events through SLF4J: verdicts at debug (rejections at info), reload trouble at warn. */
final class Slf4jAuthenticationListener implements AuthenticationListener {

    static final Slf4jAuthenticationListener INSTANCE = new Slf4jAuthenticationListener();

    private static final Logger LOG = LoggerFactory.getLogger("io.gatehouse.events");

    private Slf4jAuthenticationListener() {
    }

    @Override
    public void authenticated(UserInfo user, Duration latency) {
        LOG.debug("authenticated user={} groups={} in {}µs", user.name(), user.groups(), micros(latency));
    }

    @Override
    public void rejected(Rejected rejection, Duration latency) {
        LOG.info("Unable to authenticate the request: reason={} error={} in {}µs", rejection.reason(),
                rejection.message(), micros(latency));
    }

    @Override
    public void abstained(Duration latency) {
        LOG.debug("no credential recognised in {}µs", micros(latency));
    }

    @Override
    public void cacheHit(String fingerprint) {
        LOG.trace("token cache hit {}", fingerprint);
    }

    @Override
    public void cacheMiss(String fingerprint) {
        LOG.trace("token cache miss {}", fingerprint);
    }

    @Override
    public void reloaded(String source, String summary) {
        LOG.info("loaded {}: {}", source, summary);
    }

    @Override
    public void reloadFailed(String source, String error) {
        LOG.warn("keeping the last good version of {}: {}", source, error);
    }

    @Override
    public void keysRefreshed(String source, int keyCount) {
        LOG.info("refreshed keys from {}: {} keys", source, keyCount);
    }

    @Override
    public void keyRefreshFailed(String source, String error) {
        LOG.warn("could not refresh keys from {}, keeping the known keys: {}", source, error);
    }

    @Override
    public void warning(String source, String message) {
        LOG.warn("{}: {}", source, message);
    }

    @Override
    public void decided(String authenticator, AuthenticationResult result, Duration latency) {
        if (LOG.isDebugEnabled()) {
            LOG.debug("verdict {} decided by {} in {}µs", result.getClass().getSimpleName(),
                    authenticator == null ? "no authenticator" : authenticator, micros(latency));
        }
    }

    @Override
    public void jwksFetched(String issuerHash, boolean success, String keySetHash) {
        LOG.debug("JWKS fetch for issuer {}: {}", issuerHash, success ? "key set " + keySetHash : "failed");
    }

    @Override
    public void webhookRequest(int code, long nanos) {
        LOG.debug("token review webhook answered {} in {}µs", code < 0 ? "no status" : code, nanos / 1000);
    }

    private static long micros(Duration d) {
        return d.toNanos() / 1000;
    }
}
