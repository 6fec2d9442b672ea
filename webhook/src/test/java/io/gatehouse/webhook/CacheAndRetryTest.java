package io.gatehouse.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gatehouse.core.AuthenticationResult;
import io.gatehouse.core.AuthenticationResult.Authenticated;
import io.gatehouse.core.AuthenticationResult.Rejected;
import io.gatehouse.core.RejectionReason;
import io.gatehouse.core.testing.LogCapture;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kubernetes' {@code TestV1WebhookCacheAndRetry} row by row (500 retried five times, 404 not retried, 429 retried,
 * then cached verdicts with no calls), and the webhook cache's rules: errors and {@code status.error} refusals are
 * never kept; concurrent identical reviews make one call.
 */
class CacheAndRetryTest {

    @TempDir
    Path dir;
    private ReviewServer server;
    private volatile int code;
    private volatile boolean allow;

    @BeforeEach
    void start() throws Exception {
        server = Fixture.server();
        server.script(r -> code == 200
                ? Fixture.review("v1", "{\"authenticated\":" + allow + ",\"user\":{\"username\":\"someone\"}}")
                : ReviewServer.Answer.json(code, "{}"));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private WebhookTokenAuthenticator webhook(Duration ttl) throws Exception {
        return WebhookTokenAuthenticator.builder(Fixture.kubeconfig(server, dir)).version("v1").cacheTtl(ttl)
                .retryBackoff(Fixture.FAST).build();
    }

    private record Row(String description, String token, boolean allow, int code, Class<?> expected, int expectCalls) {
    }

    @Test
    void kubernetesCacheAndRetryTable() throws Exception {
        WebhookTokenAuthenticator webhook = webhook(Duration.ofMinutes(1));
        List<Row> rows = List.of(
                new Row("t0k3n, 500 error, retries and fails", "t0k3n", false, 500, Rejected.class, 5),
                new Row("t0k3n, 404 error, fails (but no retry)", "t0k3n", false, 404, Rejected.class, 1),
                new Row("t0k3n, 200, allowed, succeeds", "t0k3n", true, 200, Authenticated.class, 1),
                new Row("t0k3n, 500 error, cached success", "t0k3n", false, 500, Authenticated.class, 0),
                new Row("t0k3n, 429 error, cached success", "t0k3n", false, 429, Authenticated.class, 0),
                new Row("t0k3n, 404 error, cached success", "t0k3n", false, 404, Authenticated.class, 0),
                new Row("t0k3n, 200, allowed, cached success", "t0k3n", true, 200, Authenticated.class, 0),
                new Row("t0k3n, 200, forbidden, cached success", "t0k3n", false, 200, Authenticated.class, 0),
                new Row("fake, 429 error, retries and fails", "fake", false, 429, Rejected.class, 5),
                new Row("fake, 200 forbidden, succeeds", "fake", false, 200, Rejected.class, 1),
                new Row("fake, 200 allowed, cached failure", "fake", true, 200, Rejected.class, 0),
                new Row("fake, 429 error, cached failure", "fake", false, 429, Rejected.class, 0),
                new Row("fake, 500 error, cached failure", "fake", false, 500, Rejected.class, 0));
        for (Row row : rows) {
            code = row.code();
            allow = row.allow();
            int before = server.calls();
            AuthenticationResult r = webhook.authenticate(row.token(), List.of());
            assertInstanceOf(row.expected(), r, row.description());
            assertEquals(row.expectCalls(), server.calls() - before, row.description());
        }
    }

    @Test
    void errorsNamedAsClientGoNamesThem() throws Exception {
        WebhookTokenAuthenticator webhook = webhook(Duration.ofMinutes(1));
        code = 404;
        Rejected r = assertInstanceOf(Rejected.class, webhook.authenticate("a", List.of()));
        assertEquals(RejectionReason.INTERNAL_ERROR, r.reason());
        assertEquals("the server could not find the requested resource", r.message());
        code = 503;
        int before = server.calls();
        assertEquals("the server is currently unable to handle the request",
                ((Rejected) webhook.authenticate("b", List.of())).message());
        assertEquals(1, server.calls() - before, "503 without Retry-After is not retried");
    }

    @Test
    void retryAfterMakesAnyStatusRetryable() throws Exception {
        WebhookTokenAuthenticator webhook = webhook(Duration.ofMinutes(1));
        server.script(r -> new ReviewServer.Answer(503, new byte[0], Map.of("Retry-After", "1"), false));
        assertInstanceOf(Rejected.class, webhook.authenticate("t", List.of()));
        assertEquals(5, server.calls());
    }

    @Test
    void statusErrorIsTheReasonAndIsNotCached() throws Exception {
        LogCapture.secret("s3cr3t-value");
        WebhookTokenAuthenticator webhook = webhook(Duration.ofMinutes(1));
        server.script(r -> Fixture.review("v1", "{\"authenticated\":false,\"error\":\"token revoked: "
                + r.body().get("spec").get("token").asText() + "\"}"));
        Rejected first = assertInstanceOf(Rejected.class, webhook.authenticate("s3cr3t-value", List.of()));
        assertEquals(RejectionReason.INVALID_CREDENTIAL, first.reason());
        assertTrue(first.message().startsWith("token revoked: sha256:"), first.message());
        assertTrue(!first.message().contains("s3cr3t-value"), "the echoed token is replaced by its fingerprint");
        webhook.authenticate("s3cr3t-value", List.of());
        assertEquals(2, server.calls(), "a refusal with status.error is not cached");
        assertEquals(0, webhook.cachedVerdicts());
    }

    @Test
    void zeroTtlKeepsNothing() throws Exception {
        WebhookTokenAuthenticator webhook = webhook(Duration.ZERO);
        code = 200;
        allow = true;
        webhook.authenticate("t", List.of());
        webhook.authenticate("t", List.of());
        assertEquals(2, server.calls());
    }

    @Test
    void audiencesAreOnePartOfTheKey() throws Exception {
        WebhookTokenAuthenticator webhook = WebhookTokenAuthenticator.builder(Fixture.kubeconfig(server, dir))
                .version("v1").apiAudiences(List.of("a", "b")).build();
        code = 200;
        allow = true;
        webhook.authenticate("t", List.of("a"));
        webhook.authenticate("t", List.of("b"));
        webhook.authenticate("t", List.of("a"));
        assertEquals(2, server.calls());
    }

    @Test
    void concurrentIdenticalTokensMakeOneCall() throws Exception {
        WebhookTokenAuthenticator webhook = webhook(Duration.ZERO);
        CountDownLatch proceed = new CountDownLatch(1);
        server.script(r -> {
            try {
                proceed.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return Fixture.review("v1", "{\"authenticated\":true,\"user\":{\"username\":\"shared\"}}");
        });
        List<Thread> threads = new ArrayList<>();
        List<AuthenticationResult> results = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int i = 0; i < 8; i++) {
            Thread t = new Thread(() -> results.add(webhook.authenticate("same-token", List.of())));
            threads.add(t);
            t.start();
        }
        // Every caller is parked (one on the HTTP call, the others on its verdict) before the server answers.
        long bound = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!threads.stream().allMatch(t -> t.getState() == Thread.State.WAITING
                || t.getState() == Thread.State.TIMED_WAITING) || server.calls() < 1) {
            assertTrue(System.nanoTime() < bound, "callers did not park");
            Thread.onSpinWait();
        }
        proceed.countDown();
        for (Thread t : threads) {
            t.join(30_000);
        }
        assertEquals(8, results.size());
        results.forEach(r -> assertEquals("shared", ((Authenticated) r).user().name()));
        assertEquals(1, server.calls());
    }
}
