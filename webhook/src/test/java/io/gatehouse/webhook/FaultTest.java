package io.gatehouse.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gatehouse.core.AuthenticationChain;
import io.gatehouse.core.AuthenticationListener;
import io.gatehouse.core.AuthenticationRequest;
import io.gatehouse.core.AuthenticationResult;
import io.gatehouse.core.AuthenticationResult.Authenticated;
import io.gatehouse.core.AuthenticationResult.Rejected;
import io.gatehouse.core.RejectionReason;
import io.gatehouse.core.UserInfo;
import io.gatehouse.core.testing.LogCapture;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The remote side misbehaving: HTML, oversized bodies, the wrong kind or version, redirects, hangs, a burst while
 * it hangs; each a bounded rejection with a reason, never an abstention, never an exception.
 */
class FaultTest {

    @TempDir
    Path dir;
    private ReviewServer server;

    @BeforeEach
    void start() throws Exception {
        server = Fixture.server();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private WebhookTokenAuthenticator.Builder builder() throws Exception {
        return WebhookTokenAuthenticator.builder(Fixture.kubeconfig(server, dir)).version("v1")
                .retryBackoff(Fixture.FAST);
    }

    private Rejected error(AuthenticationResult r) {
        Rejected rejected = assertInstanceOf(Rejected.class, r);
        assertEquals(RejectionReason.INTERNAL_ERROR, rejected.reason(), rejected.message());
        return rejected;
    }

    @Test
    void anEchoedTokenNeverReachesTheLogs() throws Exception {
        LogCapture.secret("echoed-s3cret");
        server.script(r -> ReviewServer.Answer.json(500, r.body().toString()));
        error(builder().build().authenticate("echoed-s3cret", List.of()));
        assertEquals(5, server.calls());
    }

    @Test
    void aFailingWebhookNeverLetsAnonymousIn() throws Exception {
        server.script(r -> ReviewServer.Answer.json(500, "{}"));
        try (AuthenticationChain chain = AuthenticationChain.builder().listener(AuthenticationListener.NONE).anonymous(true)
                .addToken("webhook", builder().build()).build()) {
            Rejected r = error(chain.authenticate(AuthenticationRequest.bearer("t")));
            assertEquals("an error on the server (status 500) has prevented the request from succeeding", r.message());
        }
    }

    @Test
    void htmlIsAnError() throws Exception {
        server.script(r -> new ReviewServer.Answer(200, "<html><body>login</body></html>".getBytes(StandardCharsets.UTF_8),
                Map.of("Content-Type", "text/html"), false));
        assertEquals("unable to decode the webhook's TokenReview: the response is not JSON",
                error(builder().build().authenticate("t", List.of())).message());
        assertEquals(1, server.calls(), "a decoding error is not retried");
    }

    @Test
    void anOversizedBodyIsRefusedWhileReading() throws Exception {
        byte[] huge = new byte[50 << 20];
        java.util.Arrays.fill(huge, (byte) ' ');
        server.script(r -> new ReviewServer.Answer(200, huge, Map.of(), false));
        Rejected r = error(builder().build().authenticate("t", List.of()));
        assertTrue(r.message().contains("response larger than " + WebhookTokenAuthenticator.MAX_RESPONSE_BYTES + " bytes"),
                r.message());
    }

    @Test
    void wrongKindOrVersionIsAnError() throws Exception {
        WebhookTokenAuthenticator webhook = builder().build();
        server.script(r -> Fixture.review("v1beta1", "{\"authenticated\":true,\"user\":{\"username\":\"x\"}}"));
        assertEquals("unable to decode the webhook's TokenReview: the response is apiVersion "
                        + "\"authentication.k8s.io/v1beta1\", expected authentication.k8s.io/v1",
                error(webhook.authenticate("t", List.of())).message());
        server.script(r -> ReviewServer.Answer.json(200, "{\"apiVersion\":\"v1\",\"kind\":\"Status\",\"status\":\"Success\"}"));
        error(webhook.authenticate("u", List.of()));
        server.script(r -> ReviewServer.Answer.json(200, "{\"kind\":\"TokenReview\",\"status\":"
                + "{\"authenticated\":\"true\",\"user\":{\"username\":\"x\"}}}"));
        assertEquals("unable to decode the webhook's TokenReview: status.authenticated must be a boolean",
                error(webhook.authenticate("v", List.of())).message());
    }

    @Test
    void missingTypeMetaIsDefaultedAsClientGoDoes() throws Exception {
        server.script(r -> ReviewServer.Answer.json(201, "{\"status\":{\"authenticated\":true,\"user\":{\"username\":\"x\"}}}"));
        assertEquals("x", assertInstanceOf(Authenticated.class, builder().build().authenticate("t", List.of())).user().name());
    }

    @Test
    void redirectsAreNotFollowed() throws Exception {
        server.script(r -> new ReviewServer.Answer(307, new byte[0], Map.of("Location", "https://127.0.0.1:1/elsewhere"), false));
        Rejected r = error(builder().build().authenticate("t", List.of()));
        assertTrue(r.message().endsWith("the webhook answered with a redirect (status 307), which is not followed"), r.message());
        assertEquals(1, server.calls());
    }

    @Test
    void anEmptyUserNameIsRefusedWhereKubernetesWouldPassItOn() throws Exception {
        server.script(r -> Fixture.review("v1", "{\"authenticated\":true,\"user\":{\"username\":\"\"}}"));
        assertEquals("the webhook authenticated a user without a name",
                error(builder().build().authenticate("t", List.of())).message());
    }

    @Test
    void upperCaseExtraKeysAreRefused() throws Exception {
        server.script(r -> Fixture.review("v1", "{\"authenticated\":true,\"user\":{\"username\":\"x\",\"extra\":{\"Scopes\":[\"a\"]}}}"));
        assertEquals("the webhook returned extra key \"Scopes\", which is not lower case",
                error(builder().build().authenticate("t", List.of())).message());
    }

    @Test
    void nullsReadAsGoZeroValues() throws Exception {
        server.script(r -> Fixture.review("v1", "{\"authenticated\":true,\"user\":{\"username\":\"x\",\"uid\":null,"
                + "\"groups\":[\"g\",null],\"extra\":{\"k\":null}}}"));
        Authenticated a = assertInstanceOf(Authenticated.class, builder().build().authenticate("t", List.of()));
        assertEquals(new UserInfo("x", "", List.of("g", ""), Map.of("k", List.of())), a.user());
    }

    @Test
    void aHangEndsAtTheTimeout() throws Exception {
        server.script(r -> ReviewServer.Answer.hanging());
        Rejected r = error(builder().timeout(Duration.ofMillis(300)).build().authenticate("t", List.of()));
        assertTrue(r.message().endsWith(": context deadline exceeded"), r.message());
        assertEquals(1, server.calls());
    }

    @Test
    void aBurstWhileTheRemoteHangsIsRefusedBeyondTheBound() throws Exception {
        server.script(r -> ReviewServer.Answer.hanging());
        WebhookTokenAuthenticator webhook = builder().timeout(Duration.ofSeconds(20)).maxInFlight(2).build();
        List<Thread> stuck = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            String token = "stuck-" + i;
            Thread t = new Thread(() -> webhook.authenticate(token, List.of()));
            t.setDaemon(true);
            stuck.add(t);
            t.start();
        }
        long bound = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (server.hanging() < 2) {
            assertTrue(System.nanoTime() < bound, "the first two reviews did not reach the server");
            Thread.onSpinWait();
        }
        int refused = 0;
        for (int i = 0; i < 50; i++) {
            Rejected r = error(webhook.authenticate("burst-" + i, List.of()));
            assertTrue(r.message().startsWith(WebhookTokenAuthenticator.TOO_MANY_IN_FLIGHT + " (2)"), r.message());
            refused++;
        }
        assertEquals(50, refused);
        assertEquals(2, server.calls(), "refused reviews never reach the server");
        server.close();
        for (Thread t : stuck) {
            t.join(30_000);
        }
    }

    @Test
    void aRefusedConnectionIsAnError() throws Exception {
        Path config = Fixture.kubeconfig(server, dir);
        server.close();
        Rejected r = error(WebhookTokenAuthenticator.builder(config).retryBackoff(Fixture.FAST).build()
                .authenticate("t", List.of()));
        assertTrue(r.message().startsWith("Post \"" + server.url() + "\": "), r.message());
    }
}
