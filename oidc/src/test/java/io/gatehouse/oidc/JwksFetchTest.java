package io.gatehouse.oidc;

import io.gatehouse.core.AuthenticationResult.Authenticated;
import io.gatehouse.core.AuthenticationResult.Rejected;
import io.gatehouse.core.AuthenticationResult;
import io.gatehouse.core.ConfigurationException;
import io.gatehouse.core.RejectionReason;
import io.gatehouse.core.testing.MutableClock;
import io.gatehouse.core.testing.RecordingListener;
import io.gatehouse.testing.JwtFixtures;
import io.gatehouse.testing.ScriptedIdp;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Discovery and JWKS over real HTTPS against {@link ScriptedIdp} on 127.0.0.1: the TestToken discovery
 * cases, startup with the provider down, rotation, unknown-kid storms, outages, slow, garbage, oversized
 * and redirected responses.
 */
class JwksFetchTest {

    static final Instant NOW = Instant.parse("2009-11-10T23:00:00Z");
    final MutableClock clock = new MutableClock(NOW);
    final RecordingListener listener = new RecordingListener();
    final KeyPair k1 = JwtFixtures.k8sKey("rsa_1");
    final KeyPair k2 = JwtFixtures.k8sKey("rsa_2");
    final List<AutoCloseable> closeMe = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : closeMe) {
            c.close();
        }
    }

    ScriptedIdp idp() throws Exception {
        ScriptedIdp idp = new ScriptedIdp();
        closeMe.add(idp);
        return idp;
    }

    OidcAuthenticator.Builder builder(JwtIssuer issuer) {
        return OidcAuthenticator.builder().issuer(issuer).clock(clock).listener(listener)
                .retryBackoff(Duration.ofMillis(20), Duration.ofMillis(100))
                .fetchTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(2));
    }

    OidcAuthenticator start(OidcAuthenticator.Builder b) {
        OidcAuthenticator a = b.build();
        closeMe.add(a);
        return a;
    }

    JwtIssuer.Builder issuer(String url) throws Exception {
        return JwtIssuer.builder(url).audiences("my-client").username("username", "").certificateAuthority(ScriptedIdp.caPem());
    }

    String token(String iss, KeyPair key, String kid) {
        return JwtFixtures.sign(key, "RS256", kid, "{\"iss\":\"" + iss + "\",\"aud\":\"my-client\",\"username\":\"jane\",\"exp\":"
                + (NOW.getEpochSecond() + 4 * 3600) + "}");
    }

    static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(10);
        }
    }

    static boolean healthy(OidcAuthenticator a) {
        return a.health().get(0).isHealthy();
    }

    /** TestToken 77 and 84-88: a discovery URL apart from the issuer, with and without paths and trailing slash. */
    @ParameterizedTest(name = "issuer {0}, discovery {1}")
    @CsvSource({
        "https://auth.example.com, /.well-known/openid-configuration",
        "https://auth.example.com/a/b/foo, /.well-known/openid-configuration",
        "https://auth.example.com, /c/d/bar/.well-known/openid-configuration",
        "https://auth.example.com/a/b/foo, /c/d/bar/.well-known/openid-configuration",
        "https://auth.example.com/a/b/foo/, /c/d/bar/.well-known/openid-configuration"})
    void discoveryUrlCases(String iss, String path) throws Exception {
        ScriptedIdp idp = idp().keys(Map.of("k1", k1)).discovery(path, iss);
        OidcAuthenticator auth = start(builder(issuer(iss).discoveryUrl(idp.url() + path).build()));
        await(() -> healthy(auth), "keys");
        Authenticated a = assertInstanceOf(Authenticated.class, auth.authenticate(token(iss, k1, "k1"), List.of()));
        assertEquals("jane", a.user().name());
        assertTrue(listener.events().contains("keysRefreshed " + idp.url() + "/jwks 1"), listener.events().toString());
    }

    @Test
    void discoveryIssuerMismatchIsAnError() throws Exception {
        ScriptedIdp idp = idp().keys(Map.of("k1", k1)).discovery("/other/.well-known/openid-configuration", "https://evil.example.com");
        OidcAuthenticator auth = start(builder(issuer("https://auth.example.com")
                .discoveryUrl(idp.url() + "/other/.well-known/openid-configuration").build()));
        await(() -> auth.health().get(0).lastError() != null, "a failed discovery");
        assertEquals("oidc: authenticator for issuer \"https://auth.example.com\" is not healthy: oidc: issuer did not match the "
                + "issuer returned by provider, expected \"https://auth.example.com\" got \"https://evil.example.com\"",
                auth.health().get(0).problem());
    }

    /** Quarkus #56170 / Kubernetes #65785 done right: start degraded, retry with backoff, heal by itself. */
    @Test
    void startupWithProviderDownRejectsAsNotInitializedThenHeals() throws Exception {
        ScriptedIdp idp = idp().answer("/jwks", new ScriptedIdp.Answer(503, "down", Map.of(), Duration.ZERO));
        OidcAuthenticator auth = start(builder(issuer(idp.url()).build()));
        String token = token(idp.url(), k1, "k1");
        Rejected r = assertInstanceOf(Rejected.class, auth.authenticate(token, List.of()));
        assertEquals(RejectionReason.NOT_INITIALIZED, r.reason());
        assertEquals("oidc: authenticator not initialized", r.message());
        await(() -> idp.hits("/jwks") >= 3, "retries");
        IssuerHealth h = auth.health().get(0);
        assertEquals(IssuerHealth.State.INITIALIZING, h.state());
        assertEquals("oidc: authenticator for issuer \"" + idp.url() + "\" is not healthy: Get \"" + idp.url() + "/jwks\": status 503",
                h.problem());
        idp.keys(Map.of("k1", k1));
        await(() -> healthy(auth), "healing");
        assertInstanceOf(Authenticated.class, auth.authenticate(token, List.of()));
    }

    @Test
    void closedPortGivesKubernetesHealthText() throws Exception {
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            port = s.getLocalPort();
        }
        String url = "https://127.0.0.1:" + port;
        OidcAuthenticator auth = start(builder(issuer(url).build()));
        await(() -> auth.health().get(0).lastError() != null, "a failed fetch");
        assertTrue(auth.health().get(0).problem().startsWith("oidc: authenticator for issuer \"" + url
                + "\" is not healthy: Get \"" + url + "/.well-known/openid-configuration\""), auth.health().get(0).problem());
    }

    /** N concurrent tokens with unknown kids cost at most one fetch per window. */
    @Test
    void unknownKidStormCollapsesIntoOneFetchPerWindow() throws Exception {
        ScriptedIdp idp = idp().keys(Map.of("k1", k1));
        OidcAuthenticator auth = start(builder(issuer(idp.url()).build()).unknownKidRefetchWindow(Duration.ofMinutes(1)));
        await(() -> healthy(auth), "keys");
        int before = idp.hits("/jwks");
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<AuthenticationResult>> results = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                String forged = token(idp.url(), k2, "forged-" + i);
                results.add(pool.submit(() -> {
                    go.await();
                    return auth.authenticate(forged, List.of());
                }));
            }
            go.countDown();
            for (Future<AuthenticationResult> f : results) {
                Rejected r = assertInstanceOf(Rejected.class, f.get());
                assertEquals(RejectionReason.UNKNOWN_KEY, r.reason());
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(1, idp.hits("/jwks") - before, "one refetch for 64 unknown kids");
        auth.authenticate(token(idp.url(), k2, "forged-again"), List.of());
        assertEquals(1, idp.hits("/jwks") - before, "the window is still closed");
        clock.advance(Duration.ofMinutes(1));
        auth.authenticate(token(idp.url(), k2, "forged-later"), List.of());
        assertEquals(2, idp.hits("/jwks") - before, "next window, one more fetch");
    }

    /** Rotation: a token signed by a new key triggers the refetch that finds it; removed keys stop verifying. */
    @Test
    void rotationIsPickedUpOnTheFirstTokenWithTheNewKid() throws Exception {
        ScriptedIdp idp = idp().keys(Map.of("k1", k1));
        OidcAuthenticator auth = start(builder(issuer(idp.url()).build()));
        await(() -> healthy(auth), "keys");
        assertInstanceOf(Authenticated.class, auth.authenticate(token(idp.url(), k1, "k1"), List.of()));
        idp.keys(Map.of("k2", k2));
        assertInstanceOf(Authenticated.class, auth.authenticate(token(idp.url(), k2, "k2"), List.of()));
        Rejected old = assertInstanceOf(Rejected.class, auth.authenticate(token(idp.url(), k1, "k1"), List.of()));
        assertEquals(RejectionReason.UNKNOWN_KEY, old.reason());
    }

    /** Keys are kept through an outage for the configured time, then dropped; the issuer heals afterwards. */
    @Test
    void outageKeepsKeysForABoundedTime() throws Exception {
        ScriptedIdp idp = idp().keys(Map.of("k1", k1));
        OidcAuthenticator auth = start(builder(issuer(idp.url()).build())
                .keyRefresh(Duration.ofMillis(50), Duration.ofMillis(50), Duration.ofSeconds(1))
                .keepKeysThroughOutage(Duration.ofHours(1)));
        await(() -> healthy(auth), "keys");
        String token = token(idp.url(), k1, "k1");
        idp.answer("/jwks", new ScriptedIdp.Answer(500, "oops", Map.of(), Duration.ZERO));
        await(() -> auth.health().get(0).state() == IssuerHealth.State.DEGRADED, "a failed refresh");
        clock.advance(Duration.ofMinutes(59));
        AuthenticationResult during = auth.authenticate(token, List.of());
        assertInstanceOf(Authenticated.class, during, during.toString());
        clock.advance(Duration.ofMinutes(2));
        Rejected r = assertInstanceOf(Rejected.class, auth.authenticate(token, List.of()));
        assertEquals(RejectionReason.NOT_INITIALIZED, r.reason());
        assertEquals(IssuerHealth.State.UNAVAILABLE, auth.health().get(0).state());
        idp.keys(Map.of("k1", k1));
        await(() -> auth.health().get(0).state() == IssuerHealth.State.HEALTHY, "recovery");
        assertInstanceOf(Authenticated.class, auth.authenticate(token, List.of()));
    }

    /** Cache-Control max-age sets the next refresh, clamped to the configured bounds. */
    @Test
    void cacheControlMaxAgeIsHonouredWithinBounds() throws Exception {
        ScriptedIdp often = idp().answer("/jwks", new ScriptedIdp.Answer(200, "{\"keys\":[" + JwtFixtures.publicJwk(k1.getPublic(), "k1")
                .toJSONString() + "]}", Map.of("Cache-Control", "public, max-age=0"), Duration.ZERO));
        ScriptedIdp rarely = idp().answer("/jwks", new ScriptedIdp.Answer(200, "{\"keys\":[" + JwtFixtures.publicJwk(k1.getPublic(), "k1")
                .toJSONString() + "]}", Map.of("Cache-Control", "max-age=86400"), Duration.ZERO));
        start(builder(issuer(often.url()).build()).keyRefresh(Duration.ofSeconds(10), Duration.ofMillis(50), Duration.ofSeconds(10)));
        OidcAuthenticator slow = start(builder(issuer(rarely.url()).build())
                .keyRefresh(Duration.ofMillis(50), Duration.ofMillis(50), Duration.ofSeconds(10)));
        await(() -> often.hits("/jwks") >= 4, "refreshes at the 50 ms lower bound despite max-age=0");
        await(() -> healthy(slow), "keys");
        Thread.sleep(300);
        assertEquals(1, rarely.hits("/jwks"), "max-age=86400 clamps to 10 s, so no second fetch yet");
    }

    @Test
    void slowGarbageOversizedAndRedirectedResponsesFailTheFetch() throws Exception {
        ScriptedIdp idp = idp();
        String url = idp.url();
        // Timeouts far from any scheduling delay: the slow answer comes 20 s late against a 2 s timeout; the other
        // cases answer at once and get 10 s, so that a loaded machine never turns them into timeouts.
        Map<ScriptedIdp.Answer, String> cases = new LinkedHashMap<>();
        cases.put(new ScriptedIdp.Answer(200, "{\"keys\":[]}", Map.of(), Duration.ofSeconds(20)), "timed out after 2000 ms");
        cases.put(ScriptedIdp.Answer.json("<html>"), "oidc: failed to decode keys: JWKS is not a JSON object");
        cases.put(ScriptedIdp.Answer.json("{\"keys\":[],\"pad\":\"" + "x".repeat(5000) + "\"}"), "response larger than 2048 bytes");
        cases.put(new ScriptedIdp.Answer(302, "", Map.of("Location", url + "/elsewhere"), Duration.ZERO), "status 302");
        for (Map.Entry<ScriptedIdp.Answer, String> c : cases.entrySet()) {
            idp.answer("/jwks", c.getKey());
            RecordingListener events = new RecordingListener();
            OidcAuthenticator auth = start(OidcAuthenticator.builder().issuer(issuer(url).build()).clock(clock).listener(events)
                    .fetchTimeouts(timeout(c.getValue()), timeout(c.getValue())).maxResponseBytes(2048)
                    .retryBackoff(Duration.ofSeconds(30), Duration.ofSeconds(30)));
            await(() -> auth.health().get(0).lastError() != null, c.getValue());
            assertTrue(auth.health().get(0).lastError().contains(c.getValue()), auth.health().get(0).lastError());
            assertTrue(events.events().stream().anyMatch(e -> e.startsWith("keyRefreshFailed ")), events.events().toString());
            auth.close();
        }
        assertEquals(0, idp.hits("/elsewhere"), "redirects are never followed");
    }

    private static Duration timeout(String expected) {
        return expected.startsWith("timed out") ? Duration.ofSeconds(2) : Duration.ofSeconds(10);
    }

    @Test
    void serverNotSignedByTheConfiguredCaIsRefused() throws Exception {
        ScriptedIdp idp = idp().keys(Map.of("k1", k1));
        OidcAuthenticator auth = start(builder(JwtIssuer.builder(idp.url()).audiences("my-client").username("username", "").build()));
        await(() -> auth.health().get(0).lastError() != null, "a TLS failure");
        assertEquals(IssuerHealth.State.INITIALIZING, auth.health().get(0).state());
        assertEquals(0, idp.hits("/jwks"));
    }

    @Test
    void plainHttpIsRefusedAtConfiguration() {
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> JwtIssuer.builder("https://auth.example.com")
                .discoveryUrl("http://127.0.0.1:1/.well-known/openid-configuration").audiences("a").username("sub", "").build());
        assertTrue(e.getMessage().contains("issuer.discoveryURL: Invalid value: \"http://127.0.0.1:1/.well-known/openid-configuration\": "
                + "URL scheme must be https"), e.getMessage());
    }
}
