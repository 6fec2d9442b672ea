package io.gatehouse.micrometer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.gatehouse.core.AuthenticationListener;
import io.gatehouse.core.AuthenticationResult;
import io.gatehouse.core.RejectionReason;
import io.gatehouse.core.UserInfo;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * On a Prometheus registry the per-request histograms are native Prometheus histograms: the scrape carries
 * Kubernetes' names, labels and buckets with exact cumulative counts, counts and sums, and the attempt and cache
 * counters read the same counts.
 */
class PrometheusNativeHistogramTest {

    @Test
    void thePerRequestHistogramsScrapeAsKubernetesHistograms() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        AuthenticationListener l = GatehouseMetrics.listener(registry);
        UserInfo user = UserInfo.of("jane", "");
        for (int i = 0; i < 3; i++) {
            l.authenticated(user, Duration.ofNanos(500_000));
        }
        l.authenticated(user, Duration.ofMillis(3));
        l.rejected(AuthenticationResult.Rejected.of(RejectionReason.BAD_SIGNATURE, "no"), Duration.ofSeconds(20));
        l.abstained(Duration.ofMillis(1));
        l.tokenCacheRequest(true, 200_000);
        l.tokenCacheRequest(true, 999_999);
        l.tokenCacheRequest(false, 7_300_000);

        Map<String, Double> m = samples(registry.scrape());
        assertEquals(3.0, m.get("authentication_duration_seconds_bucket{result=\"success\",le=\"0.001\"}"));
        assertEquals(3.0, m.get("authentication_duration_seconds_bucket{result=\"success\",le=\"0.002\"}"));
        assertEquals(4.0, m.get("authentication_duration_seconds_bucket{result=\"success\",le=\"0.004\"}"));
        assertEquals(4.0, m.get("authentication_duration_seconds_bucket{result=\"success\",le=\"+Inf\"}"));
        assertEquals(4.0, m.get("authentication_duration_seconds_count{result=\"success\"}"));
        assertEquals(0.0045, m.get("authentication_duration_seconds_sum{result=\"success\"}"), 1e-12);
        assertEquals(1.0, m.get("authentication_duration_seconds_bucket{result=\"failure\",le=\"0.001\"}"),
                "an upper bound is inclusive");
        assertEquals(0.0, m.get("authentication_duration_seconds_bucket{result=\"error\",le=\"16.384\"}"));
        assertEquals(1.0, m.get("authentication_duration_seconds_bucket{result=\"error\",le=\"+Inf\"}"));
        assertEquals(4.0, m.get("authentication_attempts_total{result=\"success\"}"));
        assertEquals(1.0, m.get("authentication_attempts_total{result=\"error\"}"));
        assertEquals(1.0, m.get("authentication_attempts_total{result=\"failure\"}"));
        // The cache's durations are truncated to whole milliseconds first, as Kubernetes does.
        assertEquals(2.0, m.get("authentication_token_cache_request_duration_seconds_bucket{status=\"hit\",le=\"0.005\"}"));
        assertEquals(0.0, m.get("authentication_token_cache_request_duration_seconds_sum{status=\"hit\"}"));
        assertEquals(0.0, m.get("authentication_token_cache_request_duration_seconds_bucket{status=\"miss\",le=\"0.005\"}"));
        assertEquals(1.0, m.get("authentication_token_cache_request_duration_seconds_bucket{status=\"miss\",le=\"0.01\"}"));
        assertEquals(0.007, m.get("authentication_token_cache_request_duration_seconds_sum{status=\"miss\"}"), 1e-12);
        assertEquals(2.0, m.get("authentication_token_cache_request_total{status=\"hit\"}"));
        assertEquals(1.0, m.get("authentication_token_cache_request_total{status=\"miss\"}"));
        assertFalse(m.keySet().stream().anyMatch(k -> k.startsWith("authentication_duration_seconds_max")),
                "no _max series: Kubernetes has none");
    }

    @Test
    void bucketsAreFoundByInclusiveUpperBound() {
        BucketHistogram h = new BucketHistogram(new double[] {0.001, 0.002}, new ThreadCounts(8, 8));
        h.record(-5);
        h.record(1_000_000);
        h.record(1_000_001);
        h.record(2_000_000);
        h.record(Long.MAX_VALUE);
        assertEquals(List.of(2L, 2L, 1L), java.util.Arrays.stream(h.bucketCounts()).boxed().toList());
        assertEquals(5, h.count());
    }

    /** The scrape's samples by name and labels as printed. */
    private static Map<String, Double> samples(String scrape) {
        Map<String, Double> m = new LinkedHashMap<>();
        for (String line : scrape.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int space = line.lastIndexOf(' ');
            m.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
        }
        return m;
    }
}
