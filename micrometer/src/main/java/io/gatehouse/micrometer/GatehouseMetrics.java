package io.gatehouse.micrometer;

import io.gatehouse.core.AuthenticationListener;
import io.gatehouse.core.AuthenticationResult.Rejected;
import io.gatehouse.core.UserInfo;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Binds Gatehouse's authentication events to a Micrometer {@link MeterRegistry}: give the listener it returns to the
 * chain ({@code AuthenticationChain.Builder.listener}) and to the authenticators that report reloads and key
 * refreshes. One listener per registry; it is thread-safe, and the per-request events touch only meters registered
 * up front (no lookup, no allocation).
 *
 * <p>Meters, as the Prometheus registry exposes them:
 * <ul>
 *   <li>{@code authentication_attempts_total{result}} and {@code authentication_duration_seconds{result}} (histogram,
 *       Kubernetes' buckets: 1 ms doubling to 16.384 s), one per request the chain judges: {@code success};
 *       {@code error} when an authenticator refused the credential (Kubernetes' union then returns its error);
 *       {@code failure} when none recognised anything.</li>
 *   <li>{@code authentication_token_cache_request_total{status}}: {@code hit} or {@code miss} per token-cache
 *       lookup.</li>
 *   <li>{@code gatehouse_reloads_total{status, source_hash}} and
 *       {@code gatehouse_reload_last_timestamp_seconds{status, source_hash}}: each reload of a file-backed input
 *       (token file, CA bundle, AuthenticationConfiguration, bootstrap Secrets), as Kubernetes'
 *       {@code apiserver_authentication_config_controller_automatic_reload*} do for its one file.</li>
 *   <li>{@code gatehouse_key_refreshes_total{result, source_hash}},
 *       {@code gatehouse_key_refresh_last_timestamp_seconds{result, source_hash}} and
 *       {@code gatehouse_keys{source_hash}}: JWKS and key-file refreshes (Kubernetes'
 *       {@code apiserver_authentication_jwt_authenticator_jwks_fetch_last_timestamp_seconds} is per issuer; these are
 *       per key source).</li>
 *   <li>{@code gatehouse_warnings_total{source_hash}}: what operators should know that is not a verdict (a stale
 *       service account token in use, a soft-failed revocation check, a duplicate token in a file).</li>
 * </ul>
 * Tags never carry a user name, a credential, its fingerprint or a raw URL or path: sources are tagged by
 * {@link #hash(String)}, as Kubernetes tags issuers, and at most {@value #MAX_SOURCES} distinct sources get their own
 * series (the rest share {@code source_hash="other"}), so the number of series is bounded whatever the traffic.
 */
public final class GatehouseMetrics {

    /** The most key or file sources tracked one by one. */
    public static final int MAX_SOURCES = 64;

    /** Kubernetes' {@code authentication_duration_seconds} buckets: 0.001 s doubling, 15 buckets. */
    static final Duration[] DURATION_BUCKETS = new Duration[15];

    static {
        for (int i = 0; i < DURATION_BUCKETS.length; i++) {
            DURATION_BUCKETS[i] = Duration.ofMillis(1L << i);
        }
    }

    private GatehouseMetrics() {
    }

    /**
     * A listener that records every event in {@code registry}.
     *
     * @param registry where the meters are registered; they are registered now
     * @return the listener to give the chain and the authenticators
     */
    public static AuthenticationListener listener(MeterRegistry registry) {
        return new Recorder(registry, AuthenticationListener.NONE, Clock.systemUTC());
    }

    /**
     * A listener that records every event in {@code registry} and then passes it to {@code next} (for example
     * {@link AuthenticationListener#logging()}, to keep the log as well).
     *
     * @param registry where the meters are registered; they are registered now
     * @param next     receives every event after it is recorded; not null
     * @return the listener to give the chain and the authenticators
     */
    public static AuthenticationListener listener(MeterRegistry registry, AuthenticationListener next) {
        return new Recorder(registry, Objects.requireNonNull(next, "next"), Clock.systemUTC());
    }

    /** As {@link #listener(MeterRegistry, AuthenticationListener)} with the clock the timestamp gauges read. */
    static AuthenticationListener listener(MeterRegistry registry, AuthenticationListener next, Clock clock) {
        return new Recorder(registry, next, clock);
    }

    /**
     * Kubernetes' hash label: {@code "sha256:"} and the lower-case hex SHA-256 of the UTF-8 bytes; the empty string
     * for an empty input.
     *
     * @param value what is identified (an issuer, a file, a URL)
     * @return the label value, never the input itself
     */
    public static String hash(String value) {
        if (value == null || value.isEmpty()) {
            return "";
        }
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
            return "sha256:" + HexFormat.of().formatHex(d);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
    }

    /** The listener: meters for the per-request events registered at construction, per-source ones on first use. */
    private static final class Recorder implements AuthenticationListener {
        private final MeterRegistry registry;
        private final AuthenticationListener next;
        private final Clock clock;
        private final Counter success;
        private final Counter failure;
        private final Counter error;
        private final Timer successTime;
        private final Timer failureTime;
        private final Timer errorTime;
        private final Counter cacheHit;
        private final Counter cacheMiss;
        private final Map<String, SourceMeters> sources = new ConcurrentHashMap<>();

        Recorder(MeterRegistry registry, AuthenticationListener next, Clock clock) {
            this.registry = Objects.requireNonNull(registry, "registry");
            this.next = next;
            this.clock = clock;
            this.success = attempts("success");
            this.failure = attempts("failure");
            this.error = attempts("error");
            this.successTime = duration("success");
            this.failureTime = duration("failure");
            this.errorTime = duration("error");
            this.cacheHit = cacheRequests("hit");
            this.cacheMiss = cacheRequests("miss");
        }

        private Counter attempts(String result) {
            return Counter.builder("authentication_attempts").description("Counter of authenticated attempts.")
                    .tag("result", result).register(registry);
        }

        private Timer duration(String result) {
            return Timer.builder("authentication_duration").description("Authentication duration in seconds broken out by result.")
                    .tag("result", result).serviceLevelObjectives(DURATION_BUCKETS)
                    .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofMillis(16_384))
                    .register(registry);
        }

        private Counter cacheRequests(String status) {
            return Counter.builder("authentication_token_cache_request").tag("status", status).register(registry);
        }

        private SourceMeters source(String source) {
            SourceMeters m = sources.get(source);
            if (m != null) {
                return m;
            }
            String tag = sources.size() >= MAX_SOURCES ? "other" : hash(source);
            return sources.computeIfAbsent(sources.size() >= MAX_SOURCES ? "\0other" : source,
                    s -> new SourceMeters(registry, tag));
        }

        @Override
        public void authenticated(UserInfo user, Duration latency) {
            success.increment();
            successTime.record(latency);
            next.authenticated(user, latency);
        }

        @Override
        public void rejected(Rejected rejection, Duration latency) {
            error.increment();
            errorTime.record(latency);
            next.rejected(rejection, latency);
        }

        @Override
        public void abstained(Duration latency) {
            failure.increment();
            failureTime.record(latency);
            next.abstained(latency);
        }

        @Override
        public void cacheHit(String fingerprint) {
            cacheHit.increment();
            next.cacheHit(fingerprint);
        }

        @Override
        public void cacheMiss(String fingerprint) {
            cacheMiss.increment();
            next.cacheMiss(fingerprint);
        }

        @Override
        public void reloaded(String source, String summary) {
            SourceMeters m = source(source);
            m.reloadSuccess.increment();
            m.reloadSuccessAt.set(clock.millis());
            next.reloaded(source, summary);
        }

        @Override
        public void reloadFailed(String source, String problem) {
            SourceMeters m = source(source);
            m.reloadFailure.increment();
            m.reloadFailureAt.set(clock.millis());
            next.reloadFailed(source, problem);
        }

        @Override
        public void keysRefreshed(String source, int keyCount) {
            SourceMeters m = source(source);
            m.keySuccess.increment();
            m.keySuccessAt.set(clock.millis());
            m.keys.set(keyCount);
            next.keysRefreshed(source, keyCount);
        }

        @Override
        public void keyRefreshFailed(String source, String problem) {
            SourceMeters m = source(source);
            m.keyFailure.increment();
            m.keyFailureAt.set(clock.millis());
            next.keyRefreshFailed(source, problem);
        }

        @Override
        public void warning(String source, String message) {
            source(source).warnings.increment();
            next.warning(source, message);
        }
    }

    /** The meters of one source, registered together the first time the source reports. */
    private static final class SourceMeters {
        final Counter reloadSuccess;
        final Counter reloadFailure;
        final AtomicLong reloadSuccessAt = new AtomicLong();
        final AtomicLong reloadFailureAt = new AtomicLong();
        final Counter keySuccess;
        final Counter keyFailure;
        final AtomicLong keySuccessAt = new AtomicLong();
        final AtomicLong keyFailureAt = new AtomicLong();
        final AtomicLong keys = new AtomicLong();
        final Counter warnings;

        SourceMeters(MeterRegistry registry, String sourceHash) {
            reloadSuccess = counter(registry, "gatehouse_reloads", "status", "success", sourceHash);
            reloadFailure = counter(registry, "gatehouse_reloads", "status", "failure", sourceHash);
            timestamp(registry, "gatehouse_reload_last_timestamp_seconds", "status", "success", sourceHash, reloadSuccessAt);
            timestamp(registry, "gatehouse_reload_last_timestamp_seconds", "status", "failure", sourceHash, reloadFailureAt);
            keySuccess = counter(registry, "gatehouse_key_refreshes", "result", "success", sourceHash);
            keyFailure = counter(registry, "gatehouse_key_refreshes", "result", "failure", sourceHash);
            timestamp(registry, "gatehouse_key_refresh_last_timestamp_seconds", "result", "success", sourceHash, keySuccessAt);
            timestamp(registry, "gatehouse_key_refresh_last_timestamp_seconds", "result", "failure", sourceHash, keyFailureAt);
            Gauge.builder("gatehouse_keys", keys, AtomicLong::doubleValue).description("Keys known from the source.")
                    .tag("source_hash", sourceHash).register(registry);
            warnings = Counter.builder("gatehouse_warnings").tag("source_hash", sourceHash).register(registry);
        }

        private static Counter counter(MeterRegistry registry, String name, String key, String value, String sourceHash) {
            return Counter.builder(name).tag(key, value).tag("source_hash", sourceHash).register(registry);
        }

        private static void timestamp(MeterRegistry registry, String name, String key, String value, String sourceHash,
                                      AtomicLong millis) {
            Gauge.builder(name, millis, m -> m.get() / 1000.0).tag(key, value).tag("source_hash", sourceHash)
                    .register(registry);
        }
    }
}
