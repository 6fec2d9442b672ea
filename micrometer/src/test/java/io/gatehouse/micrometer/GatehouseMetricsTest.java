package io.gatehouse.micrometer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gatehouse.core.AuthenticationChain;
import io.gatehouse.core.AuthenticationListener;
import io.gatehouse.core.AuthenticationRequest;
import io.gatehouse.core.AuthenticationResult;
import io.gatehouse.core.RejectionReason;
import io.gatehouse.core.TokenCachePolicy;
import io.gatehouse.statictoken.StaticTokenAuthenticator;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Gatehouse's events as meters: exact counts after a scripted sequence, Kubernetes' hash labels, bounded tags. */
class GatehouseMetricsTest {

    @TempDir
    Path dir;

    private static double count(MeterRegistry r, String name, String... tags) {
        var search = r.find(name).tags(tags);
        return search.counter() != null ? search.counter().count()
                : search.functionCounter() != null ? search.functionCounter().count()
                : search.timer() != null ? search.timer().count() : search.gauge() != null ? search.gauge().value() : -1;
    }

    private static void replace(Path file, String content) throws Exception {
        Path tmp = Files.writeString(file.resolveSibling(file.getFileName() + ".tmp"), content);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    @Test
    void aScriptedSequenceLeavesExactlyTheExpectedCounts() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        Clock clock = Clock.fixed(Instant.parse("2026-12-05T12:00:00Z"), ZoneOffset.UTC);
        AuthenticationListener metrics = GatehouseMetrics.listener(registry, AuthenticationListener.NONE, clock);
        Path tokens = Files.writeString(dir.resolve("tokens.csv"), "good-token,alice,1\n");
        String source = tokens.toString();
        try (StaticTokenAuthenticator file = StaticTokenAuthenticator.builder().file(tokens).reloadInterval(Duration.ZERO)
                .listener(metrics).build();
             AuthenticationChain chain = AuthenticationChain.builder().addToken("static-token", file)
                     .addToken("revocations", (t, a) -> t.startsWith("revoked-")
                             ? AuthenticationResult.Rejected.of(RejectionReason.REVOKED, "revoked")
                             : AuthenticationResult.Abstained.instance())
                     .tokenCache(TokenCachePolicy.DEFAULT).listener(metrics).build()) {
            chain.authenticate(AuthenticationRequest.bearer("good-token"));     // miss, success (cached)
            chain.authenticate(AuthenticationRequest.bearer("good-token"));     // hit, success
            chain.authenticate(AuthenticationRequest.bearer("revoked-1"));      // miss, error (failures not cached)
            chain.authenticate(AuthenticationRequest.bearer("revoked-1"));      // miss, error
            chain.authenticate(AuthenticationRequest.bearer("nobody-knows"));   // miss, error: Kubernetes' "invalid bearer token"
            chain.authenticate(AuthenticationRequest.builder().build());        // no credential: failure, no lookup

            assertEquals(2, count(registry, "authentication_attempts", "result", "success"));
            assertEquals(3, count(registry, "authentication_attempts", "result", "error"));
            assertEquals(1, count(registry, "authentication_attempts", "result", "failure"));
            assertEquals(2, count(registry, "authentication_duration", "result", "success"));
            assertEquals(1, count(registry, "authentication_token_cache_request", "status", "hit"));
            assertEquals(4, count(registry, "authentication_token_cache_request", "status", "miss"));

            String h = GatehouseMetrics.hash(source);
            assertEquals(1, count(registry, "gatehouse_reloads", "status", "success", "source_hash", h), "the first load");
            replace(tokens, "good-token,alice,1\nother-token,bob,2\n");
            assertTrue(file.reloadIfChanged());
            replace(tokens, "broken,row\n");
            assertFalse(file.reloadIfChanged());
            assertEquals(2, count(registry, "gatehouse_reloads", "status", "success", "source_hash", h));
            assertEquals(1, count(registry, "gatehouse_reloads", "status", "failure", "source_hash", h));
            assertEquals(clock.millis() / 1000.0,
                    count(registry, "gatehouse_reload_last_timestamp_seconds", "status", "failure", "source_hash", h));
        }
        metrics.keysRefreshed("https://issuer.example/keys", 3);
        metrics.keyRefreshFailed("https://issuer.example/keys", "status 500");
        String k = GatehouseMetrics.hash("https://issuer.example/keys");
        assertEquals(3, count(registry, "gatehouse_keys", "source_hash", k));
        assertEquals(1, count(registry, "gatehouse_key_refreshes", "result", "success", "source_hash", k));
        assertEquals(1, count(registry, "gatehouse_key_refreshes", "result", "failure", "source_hash", k));
        assertEquals(clock.millis() / 1000.0,
                count(registry, "gatehouse_key_refresh_last_timestamp_seconds", "result", "success", "source_hash", k));
    }

    @Test
    void durationsUseKubernetesBuckets() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        GatehouseMetrics.listener(registry);
        var buckets = registry.find("authentication_duration").tag("result", "success").timer().takeSnapshot()
                .histogramCounts();
        assertEquals(15, buckets.length);
        assertEquals(0.001, buckets[0].bucket(java.util.concurrent.TimeUnit.SECONDS), 1e-12);
        assertEquals(16.384, buckets[14].bucket(java.util.concurrent.TimeUnit.SECONDS), 1e-9);
    }

    @Test
    void hashLabelsAreKubernetes() {
        assertEquals("sha256:29b34beedc55b972f2428f21bc588f9d38e5e8f7a7af825486e7bb4fd9caa2ad",
                GatehouseMetrics.hash("testIssuer"));
        assertEquals("sha256:14f9d63e669337ac6bfda2e2162915ee6a6067743eddd4e5c374b572f951ff37",
                GatehouseMetrics.hash("testAPIServerID"));
        assertEquals("", GatehouseMetrics.hash(""));
    }

    private static final Pattern ALLOWED = Pattern.compile(
            "success|failure|error|hit|miss|ok|blocked|in_flight|other|echo|<none>|<error>|[1-5][0-9][0-9]|sha256:[0-9a-f]{64}|");
    /** The histogram's bucket bounds, a fixed set. */
    private static final Pattern BUCKET = Pattern.compile("[0-9.]+|\\+Inf");

    @Property(tries = 100)
    void noTagEverCarriesATokenOrAnUnboundedValue(@ForAll @Size(max = 200) List<String> hostile) {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        AuthenticationListener metrics = GatehouseMetrics.listener(registry);
        try (AuthenticationChain chain = AuthenticationChain.builder()
                .addToken("echo", (t, a) -> t.length() % 2 == 0
                        ? AuthenticationResult.Rejected.of(RejectionReason.BAD_SIGNATURE, "bad " + t)
                        : AuthenticationResult.Authenticated.of(io.gatehouse.core.UserInfo.of("user " + t, "")))
                .listener(metrics).build()) {
            for (String s : hostile) {
                chain.authenticate(AuthenticationRequest.builder().header("Authorization", "Bearer " + s).build());
                metrics.reloaded(s, s);
                metrics.keyRefreshFailed(s, s);
                metrics.warning(s, s);
                // A raw issuer URL or a token where a hash belongs, a body where a key-set hash belongs, any status.
                metrics.jwtAuthenticatorLatency(s, s.length() % 2 == 0, s.length());
                metrics.jwksFetched(s, true, s);
                metrics.jwksFetched(GatehouseMetrics.hash(s), true, s);
                metrics.webhookRequest(s.hashCode(), s.length());
            }
        }
        Set<String> sourceHashes = new HashSet<>();
        Set<String> issuerHashes = new HashSet<>();
        for (Meter m : registry.getMeters()) {
            for (Tag t : m.getId().getTags()) {
                assertTrue((t.getKey().equals("le") ? BUCKET : ALLOWED).matcher(t.getValue()).matches(), t.toString());
                if (t.getKey().equals("source_hash")) {
                    sourceHashes.add(t.getValue());
                }
                if (t.getKey().equals("jwt_issuer_hash")) {
                    issuerHashes.add(t.getValue());
                }
            }
        }
        assertTrue(sourceHashes.size() <= GatehouseMetrics.MAX_SOURCES + 1, sourceHashes.size() + " sources");
        assertTrue(issuerHashes.size() <= GatehouseMetrics.MAX_ISSUERS + 1, issuerHashes.size() + " issuers");
    }
}
