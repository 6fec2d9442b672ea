package io.gatehouse.examples.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gatehouse.core.testing.LogCapture;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gateway's {@code /metrics} (Prometheus text format, parsed strictly here) and {@code /healthz}, {@code /livez},
 * {@code /readyz} as kube-apiserver answers them: counts that follow the requests made, probes without credentials,
 * metrics only for an authenticated caller, readiness failing while an OIDC issuer has no keys, reasons withheld.
 */
class MetricsGatewayTest {

    @TempDir
    Path dir;

    /** One sample line of the text format: name, optional labels, value. */
    private static final Pattern SAMPLE = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)\\})? (\\S+)");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\",?");

    /** Parses the text exposition format strictly: every line a comment or a well-formed sample. */
    static Map<String, Double> parse(String text) {
        Map<String, Double> samples = new HashMap<>();
        for (String line : text.split("\n")) {
            if (line.isEmpty() || line.startsWith("# HELP ") || line.startsWith("# TYPE ") || line.equals("# EOF")) {
                continue;
            }
            Matcher m = SAMPLE.matcher(line);
            assertTrue(m.matches(), "not a sample line: " + line);
            StringBuilder key = new StringBuilder(m.group(1));
            if (m.group(3) != null && !m.group(3).isEmpty()) {
                Matcher l = LABEL.matcher(m.group(3));
                int end = 0;
                Map<String, String> labels = new java.util.TreeMap<>();
                while (l.lookingAt()) {
                    labels.put(l.group(1), l.group(2));
                    end = l.end();
                    l.region(end, m.group(3).length());
                }
                assertEquals(m.group(3).length(), end, "malformed labels: " + line);
                key.append(labels);
            }
            samples.put(key.toString(), Double.parseDouble(m.group(4)));
        }
        return samples;
    }

    private static HttpResponse<String> get(HttpClient client, String url, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).GET();
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void metricsFollowTheRequestsAndProbesNeedNoCredential() throws Exception {
        DemoEnvironment demo = DemoEnvironment.create(dir, Instant.now());
        String token = LogCapture.secret(Files.readString(demo.tokenValueFile));
        try (GatewayMain.Running gateway = GatewayMain.start(GatewayFlags.parse(List.of("--bind-address=127.0.0.1",
                "--secure-port=0", "--tls-cert-file=" + demo.servingCert, "--tls-private-key-file=" + demo.servingKey,
                "--token-auth-file=" + demo.tokenFile), Set.of(), new LinkedHashMap<>()))) {
            String base = "https://127.0.0.1:" + gateway.port();
            HttpClient client = TestClients.trusting(demo.caFile);
            assertEquals(200, get(client, base + "/version", token).statusCode());
            assertEquals(200, get(client, base + "/version", token).statusCode());
            assertEquals(401, get(client, base + "/version", "wrong").statusCode());
            assertEquals(401, get(client, base + "/version", null).statusCode());
            assertEquals(401, get(client, base + "/metrics", null).statusCode(), "metrics need a credential");

            HttpResponse<String> scrape = get(client, base + "/metrics", token);
            assertEquals(200, scrape.statusCode());
            assertTrue(scrape.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"));
            Map<String, Double> m = parse(scrape.body());
            // The scrape itself was authenticated before it was served: three successes.
            assertEquals(3.0, m.get("authentication_attempts_total{result=success}"), m::toString);
            assertEquals(1.0, m.get("authentication_attempts_total{result=error}"), "Bearer wrong: invalid bearer token");
            assertEquals(2.0, m.get("authentication_attempts_total{result=failure}"), "no credential, twice");
            assertEquals(3.0, m.get("authentication_duration_seconds_count{result=success}"));
            assertTrue(m.containsKey("authentication_duration_seconds_bucket{le=0.001, result=success}"), m.keySet()::toString);
            assertTrue(m.get("authentication_token_cache_request_total{status=hit}") >= 2.0);
            assertFalse(scrape.body().contains(token), "no credential in the metrics");

            HttpResponse<String> ready = get(client, base + "/readyz", null);
            assertEquals(200, ready.statusCode());
            assertEquals("ok", ready.body());
            assertEquals("[+]ping ok\n[+]shutdown ok\nreadyz check passed\n", get(client, base + "/readyz?verbose", null).body());
            assertEquals("ok", get(client, base + "/livez", null).body());
            assertEquals("ok", get(client, base + "/healthz", token).body());
            assertEquals(401, get(client, base + "/readyz", "wrong").statusCode(), "a bad credential is still refused");
        }
    }

    @Test
    void readinessFailsWhileAnIssuerHasNoKeysAndWithholdsWhy() throws Exception {
        DemoEnvironment demo = DemoEnvironment.create(dir, Instant.now());
        try (GatewayMain.Running gateway = GatewayMain.start(GatewayFlags.parse(List.of("--bind-address=127.0.0.1",
                "--secure-port=0", "--tls-cert-file=" + demo.servingCert, "--tls-private-key-file=" + demo.servingKey,
                "--token-auth-file=" + demo.tokenFile, "--oidc-issuer-url=https://127.0.0.1:9/silent",
                "--oidc-client-id=gateway"), Set.of(), new LinkedHashMap<>()))) {
            String base = "https://127.0.0.1:" + gateway.port();
            HttpClient client = TestClients.trusting(demo.caFile);
            HttpResponse<String> ready = get(client, base + "/readyz?verbose", null);
            assertEquals(500, ready.statusCode());
            assertEquals("[+]ping ok\n[-]oidc-issuers failed: reason withheld\n[+]shutdown ok\nreadyz check failed\n", ready.body());
            assertFalse(ready.body().contains("127.0.0.1:9"), "no issuer URL to the caller");
            assertEquals("ok", get(client, base + "/livez", null).body(), "alive, though not ready");
        }
    }
}
