package io.gatehouse.micrometer;

import io.gatehouse.core.AuthenticationListener;
import io.gatehouse.core.AuthenticationResult.Rejected;
import io.gatehouse.core.AuthenticationResult;
import io.gatehouse.core.UserInfo;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Binds Gatehouse's authentication events to a Micrometer {@link MeterRegistry}: give the listener it returns to the
 * chain ({@code AuthenticationChain.Builder.listener}) and to the authenticators that report reloads and key
 * refreshes. One listener per registry; it is thread-safe, and the per-request events allocate nothing: their meters
 * are registered up front, or on a member's, issuer's or status's first event and then found with one map or array
 * read. The per-request counts (the histograms on a Prometheus registry, the decisions) are kept per thread and
 * summed when the registry is read, so that concurrent requests write no shared memory.
 *
 * <p>Meters, as the Prometheus registry exposes them:
 * <ul>
 *   <li>{@code authentication_attempts_total{result}} and {@code authentication_duration_seconds{result}} (histogram,
 *       Kubernetes' buckets: 1 ms doubling to 16.384 s), one per request the chain judges: {@code success};
 *       {@code error} when an authenticator refused the credential (Kubernetes' union then returns its error);
 *       {@code failure} when none recognised anything.</li>
 *   <li>{@code authentication_token_cache_request_total{status}} and
 *       {@code authentication_token_cache_request_duration_seconds{status}} (Prometheus' default buckets, the duration
 *       truncated to whole milliseconds as Kubernetes does): {@code hit} or {@code miss} per token-cache lookup, a
 *       wait for a concurrent verification of the same token counting as a miss;
 *       {@code authentication_token_cache_fetch_total{status}} ({@code ok}, or {@code error} when the verification
 *       rejected or failed) and {@code authentication_token_cache_active_fetch_count{status}} ({@code blocked}
 *       callers, {@code in_flight} verifications). The webhook's own answer cache writes into the same series, as
 *       Kubernetes' does.</li>
 *   <li>{@code apiserver_client_certificate_expiration_seconds} (histogram, Kubernetes' buckets from 1800 s to 360
 *       days): the remaining lifetime of each presented client certificate, before verification. Micrometer allows
 *       no bucket at 0, Kubernetes' first: an expired certificate is recorded as 0 (in the 1800 s bucket) and also
 *       counted by Gatehouse's {@code gatehouse_client_certificate_expired_total}.</li>
 *   <li>{@code apiserver_authentication_jwt_authenticator_latency_seconds{result, jwt_issuer_hash}} (Kubernetes'
 *       buckets 1 ms to 10 s), {@code apiserver_authentication_jwt_authenticator_jwks_fetch_last_timestamp_seconds
 *       {result, jwt_issuer_hash}} and {@code apiserver_authentication_jwt_authenticator_jwks_fetch_last_key_set_info
 *       {jwt_issuer_hash, hash}} (value 1, one series per issuer). Kubernetes' {@code apiserver_id_hash} label is
 *       left out: an embedded authenticator has no API server identity. At most {@value #MAX_ISSUERS} issuers get
 *       their own series.</li>
 *   <li>{@code serviceaccount_legacy_tokens_total}, {@code serviceaccount_stale_tokens_total},
 *       {@code serviceaccount_valid_tokens_total}, {@code serviceaccount_legacy_auto_token_uses_total},
 *       {@code serviceaccount_legacy_manual_token_uses_total} and
 *       {@code serviceaccount_invalid_legacy_auto_token_uses_total}.</li>
 *   <li>Gatehouse's own, where Kubernetes has none: {@code gatehouse_authentication_decisions_total{authenticator,
 *       result}} (the chain member that decided each verdict, {@code <none>} when all abstained; at most
 *       {@value #MAX_ISSUERS} members), {@code gatehouse_webhook_requests_total{code}} and
 *       {@code gatehouse_webhook_request_duration_seconds{code}} (each call to the token review webhook by HTTP
 *       status or {@code <error>}; the buckets of Kubernetes' {@code apiserver_delegated_authn_request_duration_seconds}).</li>
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

    /** The most JWT issuers, and the most chain members, tracked one by one; the rest share {@code "other"}. */
    public static final int MAX_ISSUERS = 64;

    /**
     * Per-request count slots: three duration histograms of 15 buckets, +Inf and a sum, two cache-duration ones of 11
     * buckets, +Inf and a sum, and three decision counts for each member, "other" and none.
     */
    private static final int MAX_SLOTS = 3 * 17 + 2 * 13 + 3 * (MAX_ISSUERS + 2);

    /** The slots a thread's cells start with: the histograms' and a few members'. */
    private static final int INITIAL_SLOTS = 3 * 17 + 2 * 13 + 3 * 8;

    /** Prometheus' default buckets, Kubernetes' for {@code authentication_token_cache_request_duration_seconds}. */
    static final Duration[] CACHE_BUCKETS = seconds(.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10);

    /** Kubernetes' {@code apiserver_authentication_jwt_authenticator_latency_seconds} buckets. */
    static final Duration[] JWT_BUCKETS = seconds(.001, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10);

    /** Kubernetes' {@code apiserver_delegated_authn_request_duration_seconds} buckets, for the webhook. */
    static final Duration[] WEBHOOK_BUCKETS = seconds(.25, .5, .7, 1, 1.5, 3, 5, 10);

    /** Kubernetes' {@code apiserver_client_certificate_expiration_seconds} buckets but its first, 0 (Micrometer allows none). */
    static final double[] CERTIFICATE_BUCKETS = {1800, 3600, 7200, 21600, 43200, 86400, 172800, 345600, 604800,
            2592000, 7776000, 15552000, 31104000};

    /** Kubernetes' {@code authentication_duration_seconds} buckets: 0.001 s doubling, 15 buckets. */
    static final Duration[] DURATION_BUCKETS = new Duration[15];

    static {
        for (int i = 0; i < DURATION_BUCKETS.length; i++) {
            DURATION_BUCKETS[i] = Duration.ofMillis(1L << i);
        }
    }

    private GatehouseMetrics() {
    }

    private static double[] secondsOf(Duration[] d) {
        double[] s = new double[d.length];
        for (int i = 0; i < d.length; i++) {
            s[i] = d[i].toNanos() / 1e9;
        }
        return s;
    }

    private static Duration[] seconds(double... s) {
        Duration[] d = new Duration[s.length];
        for (int i = 0; i < s.length; i++) {
            d[i] = Duration.ofNanos(Math.round(s[i] * 1e9));
        }
        return d;
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
        private final LatencyRecorder successTime;
        private final LatencyRecorder failureTime;
        private final LatencyRecorder errorTime;
        private final Map<String, SourceMeters> sources = new ConcurrentHashMap<>();
        private final LatencyRecorder cacheHitTime;
        private final LatencyRecorder cacheMissTime;
        /** Native histograms on a Prometheus registry; null on any other registry (Micrometer timers then). */
        private final PrometheusHistograms prometheus;
        private final Counter fetchOk;
        private final Counter fetchError;
        private final AtomicLong blocked = new AtomicLong();
        private final AtomicLong inFlight = new AtomicLong();
        private final DistributionSummary certificateExpiration;
        private final Counter certificatesExpired;
        private final Counter[] serviceAccountTokens;
        private final Map<String, IssuerMeters> issuers = new ConcurrentHashMap<>();
        /** The per-request counts: the native histograms' and the decisions'. */
        private final ThreadCounts counts = new ThreadCounts(INITIAL_SLOTS, MAX_SLOTS);
        /** Each member's first decision slot (success, error, failure follow); at most {@link #MAX_ISSUERS}. */
        private final Map<String, Integer> decisions = new ConcurrentHashMap<>();
        private final int undecided;
        /** Per HTTP status 100..599 at its index, {@code <error>} at 0; registered on first use. */
        private final AtomicReferenceArray<WebhookMeters> webhook = new AtomicReferenceArray<>(600);

        Recorder(MeterRegistry registry, AuthenticationListener next, Clock clock) {
            this.registry = Objects.requireNonNull(registry, "registry");
            this.next = next;
            this.clock = clock;
            this.prometheus = PrometheusHistograms.of(registry, counts);
            this.successTime = duration("success");
            this.failureTime = duration("failure");
            this.errorTime = duration("error");
            // Each counter reads its timer's count: one update per event instead of two.
            countOf("authentication_attempts", "result", "success", successTime, "Counter of authenticated attempts.");
            countOf("authentication_attempts", "result", "failure", failureTime, "Counter of authenticated attempts.");
            countOf("authentication_attempts", "result", "error", errorTime, "Counter of authenticated attempts.");
            this.cacheHitTime = cacheDuration("hit");
            this.cacheMissTime = cacheDuration("miss");
            countOf("authentication_token_cache_request", "status", "hit", cacheHitTime, null);
            countOf("authentication_token_cache_request", "status", "miss", cacheMissTime, null);
            this.fetchOk = Counter.builder("authentication_token_cache_fetch").tag("status", "ok").register(registry);
            this.fetchError = Counter.builder("authentication_token_cache_fetch").tag("status", "error").register(registry);
            Gauge.builder("authentication_token_cache_active_fetch_count", blocked, AtomicLong::doubleValue)
                    .tag("status", "blocked").register(registry);
            Gauge.builder("authentication_token_cache_active_fetch_count", inFlight, AtomicLong::doubleValue)
                    .tag("status", "in_flight").register(registry);
            this.certificateExpiration = DistributionSummary.builder("apiserver_client_certificate_expiration")
                    .baseUnit("seconds").description("Distribution of the remaining lifetime on the certificate used "
                            + "to authenticate a request.")
                    .serviceLevelObjectives(CERTIFICATE_BUCKETS).register(registry);
            this.certificatesExpired = Counter.builder("gatehouse_client_certificate_expired")
                    .description("Presented client certificates already expired (Kubernetes' le=\"0\" bucket; "
                            + "Gatehouse's).").register(registry);
            AuthenticationListener.ServiceAccountTokenKind[] kinds = AuthenticationListener.ServiceAccountTokenKind.values();
            this.serviceAccountTokens = new Counter[kinds.length];
            for (AuthenticationListener.ServiceAccountTokenKind k : kinds) {
                serviceAccountTokens[k.ordinal()] = Counter.builder(serviceAccountMeter(k)).register(registry);
            }
            this.undecided = decisionCounters(registry, counts, "<none>");
        }

        private LatencyRecorder cacheDuration(String status) {
            if (prometheus != null) {
                return prometheus.histogram("authentication_token_cache_request_duration_seconds", "",
                        "status", status, secondsOf(CACHE_BUCKETS));
            }
            return LatencyRecorder.of(Timer.builder("authentication_token_cache_request_duration").tag("status", status)
                    .serviceLevelObjectives(CACHE_BUCKETS).register(registry));
        }

        private IssuerMeters issuer(String issuerHash) {
            String key = issuerHash == null ? "" : issuerHash;
            IssuerMeters m = issuers.get(key);
            if (m != null) {
                return m;
            }
            boolean full = issuers.size() >= MAX_ISSUERS;
            // A hash label is the only issuer value a tag may hold; anything else is not Kubernetes' and is lumped.
            String tag = full || !HASH.matcher(key).matches() ? "other" : key;
            return issuers.computeIfAbsent(full ? "\0other" : key, k -> new IssuerMeters(registry, tag));
        }

        /** The first decision slot of {@code member}, registering its counters on its first decision. */
        private int decision(String member) {
            Integer c = decisions.get(member);
            if (c != null) {
                return c;
            }
            boolean full = decisions.size() >= MAX_ISSUERS;
            return decisions.computeIfAbsent(full ? "\0other" : member,
                    m -> decisionCounters(registry, counts, full ? "other" : member));
        }

        private WebhookMeters webhook(int code) {
            int i = code >= 100 && code < 600 ? code : 0;
            WebhookMeters m = webhook.get(i);
            if (m == null) {
                webhook.compareAndSet(i, null, new WebhookMeters(registry, i == 0 ? "<error>" : Integer.toString(i)));
                m = webhook.get(i);
            }
            return m;
        }

        private void countOf(String name, String key, String value, LatencyRecorder timer, String description) {
            FunctionCounter.builder(name, timer, LatencyRecorder::count).description(description).tag(key, value)
                    .register(registry);
        }

        private LatencyRecorder duration(String result) {
            if (prometheus != null) {
                return prometheus.histogram("authentication_duration_seconds",
                        "Authentication duration in seconds broken out by result.", "result", result,
                        secondsOf(DURATION_BUCKETS));
            }
            return LatencyRecorder.of(Timer.builder("authentication_duration")
                    .description("Authentication duration in seconds broken out by result.")
                    .tag("result", result).serviceLevelObjectives(DURATION_BUCKETS)
                    .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofMillis(16_384))
                    .register(registry));
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
            successTime.record(latency.toNanos());
            next.authenticated(user, latency);
        }

        @Override
        public void rejected(Rejected rejection, Duration latency) {
            errorTime.record(latency.toNanos());
            next.rejected(rejection, latency);
        }

        @Override
        public void abstained(Duration latency) {
            failureTime.record(latency.toNanos());
            next.abstained(latency);
        }

        @Override
        public void cacheHit(String fingerprint) {
            // Counted, with its duration, by tokenCacheRequest: a wait for a concurrent verification is a miss there.
            next.cacheHit(fingerprint);
        }

        @Override
        public void cacheMiss(String fingerprint) {
            next.cacheMiss(fingerprint);
        }

        @Override
        public void tokenCacheRequest(boolean hit, long nanos) {
            // Kubernetes truncates the duration to whole milliseconds before converting it to seconds.
            (hit ? cacheHitTime : cacheMissTime).record(nanos / 1_000_000 * 1_000_000);
            next.tokenCacheRequest(hit, nanos);
        }

        @Override
        public void tokenCacheFetch(boolean ok) {
            (ok ? fetchOk : fetchError).increment();
            next.tokenCacheFetch(ok);
        }

        @Override
        public void tokenCacheBlocked(int delta) {
            blocked.addAndGet(delta);
            next.tokenCacheBlocked(delta);
        }

        @Override
        public void tokenCacheInFlight(int delta) {
            inFlight.addAndGet(delta);
            next.tokenCacheInFlight(delta);
        }

        @Override
        public void decided(String authenticator, AuthenticationResult result, Duration latency) {
            ThreadCounts.Cells cells = counts.cells();
            int first;
            if (authenticator == null) {
                first = undecided;
            } else if (authenticator == cells.lastKey) {
                // A chain names its members with the same strings every time: most lookups end here.
                first = cells.lastSlot;
            } else {
                first = decision(authenticator);
                cells.lastKey = authenticator;
                cells.lastSlot = first;
            }
            cells.add(first + resultIndex(result), 1);
            next.decided(authenticator, result, latency);
        }

        @Override
        public void jwtAuthenticatorLatency(String issuerHash, boolean success, long nanos) {
            IssuerMeters m = issuer(issuerHash);
            (success ? m.latencySuccess : m.latencyFailure).record(nanos, TimeUnit.NANOSECONDS);
            next.jwtAuthenticatorLatency(issuerHash, success, nanos);
        }

        @Override
        public void jwksFetched(String issuerHash, boolean success, String keySetHash) {
            IssuerMeters m = issuer(issuerHash);
            (success ? m.fetchSuccessAt : m.fetchFailureAt).set(clock.millis());
            if (success) {
                m.keySet(registry, keySetHash);
            }
            next.jwksFetched(issuerHash, success, keySetHash);
        }

        @Override
        public void clientCertificateLifetime(long remainingMillis) {
            // Micrometer drops negative amounts; an expired certificate belongs in Kubernetes' first bucket (le 0).
            certificateExpiration.record(Math.max(0, remainingMillis) / 1000.0);
            if (remainingMillis <= 0) {
                certificatesExpired.increment();
            }
            next.clientCertificateLifetime(remainingMillis);
        }

        @Override
        public void serviceAccountToken(ServiceAccountTokenKind kind) {
            serviceAccountTokens[kind.ordinal()].increment();
            next.serviceAccountToken(kind);
        }

        @Override
        public void webhookRequest(int code, long nanos) {
            WebhookMeters m = webhook(code);
            m.requests.increment();
            m.duration.record(nanos, TimeUnit.NANOSECONDS);
            next.webhookRequest(code, nanos);
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

    private static final java.util.regex.Pattern HASH = java.util.regex.Pattern.compile("sha256:[0-9a-f]{64}|");

    private static int resultIndex(AuthenticationResult r) {
        return r instanceof AuthenticationResult.Authenticated ? 0 : r instanceof Rejected ? 1 : 2;
    }

    /**
     * {@code gatehouse_authentication_decisions_total{authenticator, result}}: success, error, failure, counted in
     * three consecutive slots of {@code counts}.
     *
     * @return the first slot
     */
    private static int decisionCounters(MeterRegistry registry, ThreadCounts counts, String member) {
        int first = counts.allocate(3);
        String[] results = {"success", "error", "failure"};
        for (int i = 0; i < 3; i++) {
            int slot = first + i;
            FunctionCounter.builder("gatehouse_authentication_decisions", counts, c -> c.sum(slot))
                    .description("Verdicts by the chain member that reached them (Gatehouse's).")
                    .tag("authenticator", member).tag("result", results[i]).register(registry);
        }
        return first;
    }

    private static String serviceAccountMeter(AuthenticationListener.ServiceAccountTokenKind kind) {
        return switch (kind) {
            case LEGACY -> "serviceaccount_legacy_tokens";
            case STALE -> "serviceaccount_stale_tokens";
            case VALID -> "serviceaccount_valid_tokens";
            case LEGACY_AUTO -> "serviceaccount_legacy_auto_token_uses";
            case LEGACY_MANUAL -> "serviceaccount_legacy_manual_token_uses";
            case INVALID_LEGACY_AUTO -> "serviceaccount_invalid_legacy_auto_token_uses";
        };
    }

    /** The meters of one JWT issuer, registered together the first time the issuer reports. */
    private static final class IssuerMeters {
        static final String KEY_SET_INFO = "apiserver_authentication_jwt_authenticator_jwks_fetch_last_key_set_info";
        final String issuerHash;
        final Timer latencySuccess;
        final Timer latencyFailure;
        final AtomicLong fetchSuccessAt = new AtomicLong();
        final AtomicLong fetchFailureAt = new AtomicLong();
        private Gauge keySet;

        IssuerMeters(MeterRegistry registry, String issuerHash) {
            this.issuerHash = issuerHash;
            latencySuccess = latency(registry, "success", issuerHash);
            latencyFailure = latency(registry, "failure", issuerHash);
            fetchTimestamp(registry, "success", issuerHash, fetchSuccessAt);
            fetchTimestamp(registry, "failure", issuerHash, fetchFailureAt);
        }

        private static Timer latency(MeterRegistry registry, String result, String issuerHash) {
            return Timer.builder("apiserver_authentication_jwt_authenticator_latency")
                    .description("Latency of jwt authentication operations in seconds. This is the time spent "
                            + "authenticating a token for cache miss only (i.e. when the token is not found in the cache).")
                    .tag("result", result).tag("jwt_issuer_hash", issuerHash)
                    .serviceLevelObjectives(JWT_BUCKETS).register(registry);
        }

        private static void fetchTimestamp(MeterRegistry registry, String result, String issuerHash, AtomicLong millis) {
            Gauge.builder("apiserver_authentication_jwt_authenticator_jwks_fetch_last_timestamp_seconds", millis,
                            m -> m.get() / 1000.0)
                    .description("Timestamp of the last successful or failed JWKS fetch split by result, jwt issuer "
                            + "hash.")
                    .tag("result", result).tag("jwt_issuer_hash", issuerHash).register(registry);
        }

        /** Replaces the key-set series with one for {@code hash}: one series per issuer, as Kubernetes. */
        synchronized void keySet(MeterRegistry registry, String hash) {
            String h = hash == null || !HASH.matcher(hash).matches() ? "" : hash;
            if (keySet != null && h.equals(keySet.getId().getTag("hash"))) {
                return;
            }
            if (keySet != null) {
                registry.remove(keySet);
            }
            keySet = Gauge.builder(KEY_SET_INFO, () -> 1).description("Information about the last JWKS fetched by the "
                            + "JWT authenticator with hash as label, split by jwt issuer hash.")
                    .tag("jwt_issuer_hash", issuerHash).tag("hash", h).register(registry);
        }
    }

    /** Gatehouse's webhook meters for one status code (Kubernetes has none for its own webhook). */
    private static final class WebhookMeters {
        final Counter requests;
        final Timer duration;

        WebhookMeters(MeterRegistry registry, String code) {
            requests = Counter.builder("gatehouse_webhook_requests").description("Token review webhook calls by "
                    + "HTTP status (Gatehouse's).").tag("code", code).register(registry);
            duration = Timer.builder("gatehouse_webhook_request_duration").description("Token review webhook call "
                    + "duration by HTTP status (Gatehouse's).").tag("code", code)
                    .serviceLevelObjectives(WEBHOOK_BUCKETS).register(registry);
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
