package io.gatehouse.core.internal;

import io.gatehouse.core.AuthenticationListener;
import io.gatehouse.core.AuthenticationResult;
import io.gatehouse.core.AuthenticationResult.Rejected;
import io.gatehouse.core.UserInfo;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Shields request threads from a listener that throws: the event is dropped and the failure logged. Gatehouse's
 * one such wrapper; every module that reports events wraps its listener with {@link #wrap}.
 */
public final class SafeListener implements AuthenticationListener {

    private static final Logger LOG = LoggerFactory.getLogger(SafeListener.class);

    private final AuthenticationListener delegate;

    private SafeListener(AuthenticationListener delegate) {
        this.delegate = delegate;
    }

    /** The listener, shielded; a listener that is already shielded, or {@link AuthenticationListener#NONE}, as it is. */
    public static AuthenticationListener wrap(AuthenticationListener listener) {
        return listener instanceof SafeListener || listener == NONE ? listener : new SafeListener(listener);
    }

    private void dropped(RuntimeException e) {
        LOG.warn("authentication listener {} threw; event dropped", delegate.getClass().getName(), e);
    }

    @Override
    public void authenticated(UserInfo user, Duration latency) {
        try {
            delegate.authenticated(user, latency);
        } catch (RuntimeException e) {
            dropped(e);
        }
    }

    @Override
    public void rejected(Rejected rejection, Duration latency) {
        try {
            delegate.rejected(rejection, latency);
        } catch (RuntimeException e) {
            dropped(e);
        }
    }

    @Override
    public void abstained(Duration latency) {
        try {
            delegate.abstained(latency);
        } catch (RuntimeException e) {
            dropped(e);
        }
    }

    @Override
    public void cacheHit(String fingerprint) {
        try {
            delegate.cacheHit(fingerprint);
        } catch (RuntimeException e) {
            dropped(e);
        }
    }

    @Override
    public void cacheMiss(String fingerprint) {
        try {
            delegate.cacheMiss(fingerprint);
        } catch (RuntimeException e) {
            dropped(e);
        }
    }

    @Override
    public void reloaded(String source, String summary) {
        try {
            delegate.reloaded(source, summary);
        } catch (RuntimeException e) {
            dropped(e);
        }
    }

    @Override
    public void reloadFailed(String source, String error) {
        try {
            delegate.reloadFailed(source, error);
        } catch (RuntimeException e) {
            dropped(e);
        }
    }

    @Override
    public void keysRefreshed(String source, int keyCount) {
        try {
            delegate.keysRefreshed(source, keyCount);
        } catch (RuntimeException e) {
            dropped(e);
        }
    }

    @Override
    public void keyRefreshFailed(String source, String error) {
        try {
            delegate.keyRefreshFailed(source, error);
        } catch (RuntimeException e) {
            dropped(e);
        }
    }

    @Override
    public void warning(String source, String message) {
        try {
            delegate.warning(source, message);
        } catch (RuntimeException e) {
            dropped(e);
        }
    }

    @Override
    public void decided(String authenticator, AuthenticationResult result, Duration latency) {
        try {
            delegate.decided(authenticator, result, latency);
        } catch (RuntimeException e) {
            dropped(e);
        }
    }

    @Override
    public void tokenCacheRequest(boolean hit, long nanos) {
        try {
            delegate.tokenCacheRequest(hit, nanos);
        } catch (RuntimeException e) {
            dropped(e);
        }
    }

    @Override
    public void tokenCacheFetch(boolean ok) {
        try {
            delegate.tokenCacheFetch(ok);
        } catch (RuntimeException e) {
            dropped(e);
        }
    }

    @Override
    public void tokenCacheBlocked(int delta) {
        try {
            delegate.tokenCacheBlocked(delta);
        } catch (RuntimeException e) {
            dropped(e);
        }
    }

    @Override
    public void tokenCacheInFlight(int delta) {
        try {
            delegate.tokenCacheInFlight(delta);
        } catch (RuntimeException e) {
            dropped(e);
        }
    }

    @Override
    public void jwtAuthenticatorLatency(String issuerHash, boolean success, long nanos) {
        try {
            delegate.jwtAuthenticatorLatency(issuerHash, success, nanos);
        } catch (RuntimeException e) {
            dropped(e);
        }
    }

    @Override
    public void jwksFetched(String issuerHash, boolean success, String keySetHash) {
        try {
            delegate.jwksFetched(issuerHash, success, keySetHash);
        } catch (RuntimeException e) {
            dropped(e);
        }
    }

    @Override
    public void clientCertificateLifetime(long remainingMillis) {
        try {
            delegate.clientCertificateLifetime(remainingMillis);
        } catch (RuntimeException e) {
            dropped(e);
        }
    }

    @Override
    public void serviceAccountToken(ServiceAccountTokenKind kind) {
        try {
            delegate.serviceAccountToken(kind);
        } catch (RuntimeException e) {
            dropped(e);
        }
    }

    @Override
    public void webhookRequest(int code, long nanos) {
        try {
            delegate.webhookRequest(code, nanos);
        } catch (RuntimeException e) {
            dropped(e);
        }
    }
}
