package io.gatehouse.core.testing;

import io.gatehouse.core.AuthenticationListener;
import io.gatehouse.core.AuthenticationResult;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Records the events that carry metrics as lines of text, without their durations (tests count work, never time).
 * Thread-safe.
 */
public final class MetricEventsListener implements AuthenticationListener {

    private final List<String> events = new CopyOnWriteArrayList<>();

    public List<String> events() {
        return List.copyOf(events);
    }

    /** Events whose text starts with {@code prefix}. */
    public List<String> eventsStartingWith(String prefix) {
        return events.stream().filter(e -> e.startsWith(prefix)).toList();
    }

    public void clear() {
        events.clear();
    }

    @Override
    public void decided(String authenticator, AuthenticationResult result, Duration latency) {
        events.add("decided " + authenticator + " " + result.getClass().getSimpleName());
    }

    @Override
    public void tokenCacheRequest(boolean hit, long nanos) {
        events.add("tokenCacheRequest " + (hit ? "hit" : "miss"));
    }

    @Override
    public void tokenCacheFetch(boolean ok) {
        events.add("tokenCacheFetch " + (ok ? "ok" : "error"));
    }

    @Override
    public void tokenCacheBlocked(int delta) {
        events.add("tokenCacheBlocked " + delta);
    }

    @Override
    public void tokenCacheInFlight(int delta) {
        events.add("tokenCacheInFlight " + delta);
    }

    @Override
    public void jwtAuthenticatorLatency(String issuerHash, boolean success, long nanos) {
        events.add("jwtAuthenticatorLatency " + issuerHash + " " + (success ? "success" : "failure"));
    }

    @Override
    public void jwksFetched(String issuerHash, boolean success, String keySetHash) {
        events.add("jwksFetched " + issuerHash + " " + (success ? "success " + keySetHash : "failure"));
    }

    @Override
    public void clientCertificateLifetime(long remainingMillis) {
        events.add("clientCertificateLifetime " + remainingMillis);
    }

    @Override
    public void serviceAccountToken(ServiceAccountTokenKind kind) {
        events.add("serviceAccountToken " + kind);
    }

    @Override
    public void webhookRequest(int code, long nanos) {
        events.add("webhookRequest " + code);
    }
}
