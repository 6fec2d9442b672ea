package io.gatehouse.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.gatehouse.core.AuthenticationResult.Authenticated;
import io.gatehouse.core.AuthenticationResult.Rejected;
import io.gatehouse.core.testing.MetricEventsListener;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Gatehouse's webhook events: one per call attempt with its HTTP status (each retry is one), {@code -1} when no
 * status arrived; cached answers make none; the webhook's own answer cache reports as the token cache does.
 */
class WebhookRequestEventsTest {

    @TempDir
    Path dir;
    private ReviewServer server;
    private volatile int code;
    private final MetricEventsListener events = new MetricEventsListener();

    @BeforeEach
    void start() throws Exception {
        server = Fixture.server();
        server.script(r -> code == 200
                ? Fixture.review("v1", "{\"authenticated\":true,\"user\":{\"username\":\"someone\"}}")
                : ReviewServer.Answer.json(code, "{}"));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private WebhookTokenAuthenticator webhook(Path kubeconfig) {
        return WebhookTokenAuthenticator.builder(kubeconfig).version("v1").cacheTtl(Duration.ofMinutes(1))
                .retryBackoff(Fixture.FAST).listener(events).build();
    }

    @Test
    void eachAttemptIsReportedWithItsStatus() throws Exception {
        WebhookTokenAuthenticator webhook = webhook(Fixture.kubeconfig(server, dir));
        code = 200;
        assertInstanceOf(Authenticated.class, webhook.authenticate("t1", List.of()));
        assertInstanceOf(Authenticated.class, webhook.authenticate("t1", List.of()));   // cached: no call
        code = 404;
        assertInstanceOf(Rejected.class, webhook.authenticate("t2", List.of()));        // not retried
        code = 500;
        assertInstanceOf(Rejected.class, webhook.authenticate("t3", List.of()));        // retried: every attempt
        int attempts = Fixture.FAST.steps();
        List<String> expected = new java.util.ArrayList<>(List.of("webhookRequest 200", "webhookRequest 404"));
        for (int i = 0; i < attempts; i++) {
            expected.add("webhookRequest 500");
        }
        assertEquals(expected, events.eventsStartingWith("webhookRequest"));
        assertEquals(List.of("tokenCacheRequest miss", "tokenCacheRequest hit", "tokenCacheRequest miss",
                "tokenCacheRequest miss"), events.eventsStartingWith("tokenCacheRequest"));
    }

    @Test
    void noStatusIsMinusOne() throws Exception {
        Path kubeconfig = Fixture.kubeconfig(server, dir);
        server.close();   // nobody listens any more: connection refused, not retried
        WebhookTokenAuthenticator webhook = webhook(kubeconfig);
        assertInstanceOf(Rejected.class, webhook.authenticate("t", List.of()));
        assertEquals(List.of("webhookRequest -1"), events.eventsStartingWith("webhookRequest"));
    }
}
