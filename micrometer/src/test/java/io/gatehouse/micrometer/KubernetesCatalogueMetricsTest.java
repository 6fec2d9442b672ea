package io.gatehouse.micrometer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.gatehouse.core.AuthenticationChain;
import io.gatehouse.core.AuthenticationListener;
import io.gatehouse.core.AuthenticationListener.ServiceAccountTokenKind;
import io.gatehouse.core.AuthenticationRequest;
import io.gatehouse.core.AuthenticationResult;
import io.gatehouse.core.RejectionReason;
import io.gatehouse.core.TokenCachePolicy;
import io.gatehouse.core.UserInfo;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The meters of Kubernetes' metrics catalogue (and Gatehouse's own beside them) after a scripted sequence of events. */
class KubernetesCatalogueMetricsTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-05T12:00:00Z"), ZoneOffset.UTC);

    private static double value(MeterRegistry r, String name, String... tags) {
        var search = r.find(name).tags(tags);
        return search.counter() != null ? search.counter().count()
                : search.functionCounter() != null ? search.functionCounter().count()
                : search.timer() != null ? search.timer().count()
                : search.summary() != null ? search.summary().count()
                : search.gauge() != null ? search.gauge().value() : -1;
    }

    /** Cumulative counts by upper bound, as Prometheus' {@code _bucket{le}} lines. */
    private static Map<Double, Double> buckets(CountAtBucket[] counts, boolean seconds) {
        Map<Double, Double> out = new LinkedHashMap<>();
        for (CountAtBucket c : counts) {
            out.put(seconds ? c.bucket(TimeUnit.SECONDS) : c.bucket(), c.count());
        }
        return out;
    }

    @Test
    void aScriptedSequenceLeavesExactlyTheExpectedSeries() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        AuthenticationListener metrics = GatehouseMetrics.listener(registry, AuthenticationListener.NONE, CLOCK);
        try (AuthenticationChain chain = AuthenticationChain.builder()
                .add("front", request -> request.header("X-Test-User") == null
                        ? AuthenticationResult.Abstained.instance()
                        : AuthenticationResult.Authenticated.of(UserInfo.of(request.header("X-Test-User"), "")))
                .addToken("tokens", (t, a) -> t.startsWith("good-")
                        ? AuthenticationResult.Authenticated.of(UserInfo.of("alice", ""))
                        : AuthenticationResult.Abstained.instance())
                .addToken("revocations", (t, a) -> t.startsWith("revoked-")
                        ? AuthenticationResult.Rejected.of(RejectionReason.REVOKED, "revoked")
                        : AuthenticationResult.Abstained.instance())
                .tokenCache(TokenCachePolicy.DEFAULT).listener(metrics).build()) {
            chain.authenticate(AuthenticationRequest.bearer("good-1"));     // tokens: miss, fetch ok
            chain.authenticate(AuthenticationRequest.bearer("good-1"));     // tokens: hit, still named
            chain.authenticate(AuthenticationRequest.bearer("revoked-1"));  // revocations: miss, fetch error
            chain.authenticate(AuthenticationRequest.bearer("unknown"));    // nobody: miss, fetch ok (abstained)
            chain.authenticate(AuthenticationRequest.builder().header("X-Test-User", "bob").build()); // front
            chain.authenticate(AuthenticationRequest.builder().build());    // no credential, no lookup
        }
        assertEquals(2, value(registry, "gatehouse_authentication_decisions", "authenticator", "tokens", "result", "success"));
        assertEquals(1, value(registry, "gatehouse_authentication_decisions", "authenticator", "revocations", "result", "error"));
        assertEquals(1, value(registry, "gatehouse_authentication_decisions", "authenticator", "front", "result", "success"));
        // "unknown" is refused by the bearer step (Kubernetes' "invalid bearer token") with no member deciding.
        assertEquals(1, value(registry, "gatehouse_authentication_decisions", "authenticator", "<none>", "result", "error"));
        assertEquals(1, value(registry, "gatehouse_authentication_decisions", "authenticator", "<none>", "result", "failure"));
        assertEquals(1, value(registry, "authentication_token_cache_request", "status", "hit"));
        assertEquals(3, value(registry, "authentication_token_cache_request", "status", "miss"));
        assertEquals(1, value(registry, "authentication_token_cache_request_duration", "status", "hit"));
        assertEquals(3, value(registry, "authentication_token_cache_request_duration", "status", "miss"));
        assertEquals(2, value(registry, "authentication_token_cache_fetch", "status", "ok"));
        assertEquals(1, value(registry, "authentication_token_cache_fetch", "status", "error"));
        assertEquals(0, value(registry, "authentication_token_cache_active_fetch_count", "status", "blocked"));
        assertEquals(0, value(registry, "authentication_token_cache_active_fetch_count", "status", "in_flight"));

        String issuer = GatehouseMetrics.hash("https://issuer.example");
        metrics.jwtAuthenticatorLatency(issuer, true, 3_000_000);     // 3 ms: in le=0.005 and above
        metrics.jwtAuthenticatorLatency(issuer, false, 20_000_000);   // 20 ms: in le=0.025 and above
        metrics.jwksFetched(issuer, true, GatehouseMetrics.hash("{\"keys\":[1]}"));
        metrics.jwksFetched(issuer, false, null);
        metrics.jwksFetched(issuer, true, GatehouseMetrics.hash("{\"keys\":[2]}"));
        Timer ok = registry.find("apiserver_authentication_jwt_authenticator_latency")
                .tags("result", "success", "jwt_issuer_hash", issuer).timer();
        Map<Double, Double> okBuckets = buckets(ok.takeSnapshot().histogramCounts(), true);
        assertEquals(List.of(.001, .005, .01, .025, .05, .1, .25, .5, 1.0, 2.5, 5.0, 10.0), List.copyOf(okBuckets.keySet()));
        assertEquals(0, okBuckets.get(.001));
        assertEquals(1, okBuckets.get(.005));
        assertEquals(1, value(registry, "apiserver_authentication_jwt_authenticator_latency",
                "result", "failure", "jwt_issuer_hash", issuer));
        assertEquals(CLOCK.millis() / 1000.0, value(registry,
                "apiserver_authentication_jwt_authenticator_jwks_fetch_last_timestamp_seconds",
                "result", "success", "jwt_issuer_hash", issuer));
        assertEquals(CLOCK.millis() / 1000.0, value(registry,
                "apiserver_authentication_jwt_authenticator_jwks_fetch_last_timestamp_seconds",
                "result", "failure", "jwt_issuer_hash", issuer));
        String keySetInfo = "apiserver_authentication_jwt_authenticator_jwks_fetch_last_key_set_info";
        assertEquals(1, registry.find(keySetInfo).gauges().size(), "one key-set series per issuer");
        assertEquals(1, value(registry, keySetInfo, "jwt_issuer_hash", issuer, "hash", GatehouseMetrics.hash("{\"keys\":[2]}")));
        assertNull(registry.find(keySetInfo).tag("hash", GatehouseMetrics.hash("{\"keys\":[1]}")).gauge());

        metrics.clientCertificateLifetime(Duration.ofHours(2).toMillis());   // exactly 7200 s
        metrics.clientCertificateLifetime(Duration.ofDays(400).toMillis()); // beyond the last bucket
        metrics.clientCertificateLifetime(-1_000);                          // expired
        DistributionSummary certs = registry.find("apiserver_client_certificate_expiration").summary();
        Map<Double, Double> certBuckets = buckets(certs.takeSnapshot().histogramCounts(), false);
        assertEquals(1, certBuckets.get(1800.0));
        assertEquals(1, certBuckets.get(3600.0));
        assertEquals(2, certBuckets.get(7200.0));
        assertEquals(2, certBuckets.get(31104000.0));
        assertEquals(3, certs.count());
        assertEquals(1, value(registry, "gatehouse_client_certificate_expired"));

        metrics.serviceAccountToken(ServiceAccountTokenKind.LEGACY);
        metrics.serviceAccountToken(ServiceAccountTokenKind.LEGACY);
        metrics.serviceAccountToken(ServiceAccountTokenKind.STALE);
        metrics.serviceAccountToken(ServiceAccountTokenKind.VALID);
        metrics.serviceAccountToken(ServiceAccountTokenKind.LEGACY_AUTO);
        metrics.serviceAccountToken(ServiceAccountTokenKind.LEGACY_MANUAL);
        metrics.serviceAccountToken(ServiceAccountTokenKind.INVALID_LEGACY_AUTO);
        assertEquals(2, value(registry, "serviceaccount_legacy_tokens"));
        assertEquals(1, value(registry, "serviceaccount_stale_tokens"));
        assertEquals(1, value(registry, "serviceaccount_valid_tokens"));
        assertEquals(1, value(registry, "serviceaccount_legacy_auto_token_uses"));
        assertEquals(1, value(registry, "serviceaccount_legacy_manual_token_uses"));
        assertEquals(1, value(registry, "serviceaccount_invalid_legacy_auto_token_uses"));

        metrics.webhookRequest(200, 100_000_000);
        metrics.webhookRequest(200, 600_000_000);
        metrics.webhookRequest(503, 1_000_000);
        metrics.webhookRequest(-1, 1_000_000);
        assertEquals(2, value(registry, "gatehouse_webhook_requests", "code", "200"));
        assertEquals(1, value(registry, "gatehouse_webhook_requests", "code", "503"));
        assertEquals(1, value(registry, "gatehouse_webhook_requests", "code", "<error>"));
        Map<Double, Double> webhook = buckets(registry.find("gatehouse_webhook_request_duration").tag("code", "200")
                .timer().takeSnapshot().histogramCounts(), true);
        assertEquals(List.of(.25, .5, .7, 1.0, 1.5, 3.0, 5.0, 10.0), List.copyOf(webhook.keySet()));
        assertEquals(1, webhook.get(.25));
        assertEquals(2, webhook.get(.7));
    }

    @Test
    void cacheDurationsAreTruncatedToWholeMillisecondsInPrometheusDefaultBuckets() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        AuthenticationListener metrics = GatehouseMetrics.listener(registry);
        metrics.tokenCacheRequest(true, 5_999_999);   // 5.999999 ms counts as 5 ms: in le=0.005
        metrics.tokenCacheRequest(true, 6_000_000);
        Timer hit = registry.find("authentication_token_cache_request_duration").tag("status", "hit").timer();
        Map<Double, Double> b = buckets(hit.takeSnapshot().histogramCounts(), true);
        assertEquals(List.of(.005, .01, .025, .05, .1, .25, .5, 1.0, 2.5, 5.0, 10.0), List.copyOf(b.keySet()));
        assertEquals(1, b.get(.005));
        assertEquals(2, b.get(.01));
        assertEquals(0.011, hit.totalTime(TimeUnit.SECONDS), 1e-12);
    }

    @Test
    void activeFetchGaugesFollowTheDeltas() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        AuthenticationListener metrics = GatehouseMetrics.listener(registry);
        metrics.tokenCacheBlocked(1);
        metrics.tokenCacheBlocked(1);
        metrics.tokenCacheInFlight(1);
        assertEquals(2, value(registry, "authentication_token_cache_active_fetch_count", "status", "blocked"));
        assertEquals(1, value(registry, "authentication_token_cache_active_fetch_count", "status", "in_flight"));
        metrics.tokenCacheBlocked(-1);
        metrics.tokenCacheInFlight(-1);
        assertEquals(1, value(registry, "authentication_token_cache_active_fetch_count", "status", "blocked"));
        assertEquals(0, value(registry, "authentication_token_cache_active_fetch_count", "status", "in_flight"));
    }

    @Test
    void issuersBeyondTheCapShareOneSeries() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        AuthenticationListener metrics = GatehouseMetrics.listener(registry);
        for (int i = 0; i < GatehouseMetrics.MAX_ISSUERS + 10; i++) {
            metrics.jwtAuthenticatorLatency(GatehouseMetrics.hash("https://issuer-" + i), true, 1);
        }
        var series = registry.find("apiserver_authentication_jwt_authenticator_latency").tag("result", "success").timers();
        assertEquals(GatehouseMetrics.MAX_ISSUERS + 1, series.size());
        assertEquals(10, value(registry, "apiserver_authentication_jwt_authenticator_latency",
                "result", "success", "jwt_issuer_hash", "other"));
    }
}
