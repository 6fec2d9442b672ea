package io.gatehouse.webhook;

import static org.junit.jupiter.api.Assertions.assertFalse;

import io.gatehouse.core.AuthenticationResult;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Whatever a hostile server answers, short of a well-formed success, {@code authenticate} returns a verdict (never
 * throws) and never authenticates: error statuses with any body, any bytes with a success status, and TokenReviews
 * whose {@code authenticated} is anything but the JSON literal {@code true}.
 */
class HostileAnswerProperties {

    private static ReviewServer server;
    private static WebhookTokenAuthenticator webhook;

    @BeforeContainer
    static void start() throws Exception {
        server = Fixture.server();
        Path dir = Files.createTempDirectory("webhook-props");
        webhook = WebhookTokenAuthenticator.builder(Fixture.kubeconfig(server, dir)).version("v1").cacheTtl(Duration.ZERO)
                .retryBackoff(new WebhookTokenAuthenticator.Backoff(Duration.ZERO, 1, 0, 2)).build();
    }

    @AfterContainer
    static void stop() {
        server.close();
    }

    @Property(tries = 60)
    void errorStatusesNeverAuthenticate(@ForAll("errorStatuses") int status, @ForAll("bodies") String body) {
        server.script(r -> new ReviewServer.Answer(status, body.getBytes(StandardCharsets.UTF_8), Map.of(), false));
        assertNotAuthenticated(webhook.authenticate("t", List.of()));
    }

    @Property(tries = 60)
    void anyBytesWithASuccessStatusNeverAuthenticate(@ForAll("bodies") String body) {
        server.script(r -> new ReviewServer.Answer(200, body.getBytes(StandardCharsets.UTF_8), Map.of(), false));
        assertNotAuthenticated(webhook.authenticate("t", List.of("api")));
    }

    @Property(tries = 60)
    void onlyTheLiteralTrueAuthenticates(@ForAll("notTrue") String authenticated, @ForAll("users") String user) {
        server.script(r -> ReviewServer.Answer.json(200, "{\"apiVersion\":\"authentication.k8s.io/v1\",\"kind\":\"TokenReview\","
                + "\"status\":{\"authenticated\":" + authenticated + ",\"user\":" + user + "}}"));
        assertNotAuthenticated(webhook.authenticate("t", List.of()));
    }

    private static void assertNotAuthenticated(AuthenticationResult r) {
        assertFalse(r.isAuthenticated(), r.toString());
    }

    @Provide
    Arbitrary<Integer> errorStatuses() {
        return Arbitraries.oneOf(Arbitraries.integers().between(300, 599).filter(s -> s != 304),
                Arbitraries.of(400, 401, 403, 404, 429, 500, 502, 503, 504));
    }

    @Provide
    Arbitrary<String> bodies() {
        return Arbitraries.oneOf(
                Arbitraries.strings().ofMaxLength(200),
                Arbitraries.of("", "{", "null", "[]", "\"x\"", "{\"status\":[]}", "{\"status\":{\"authenticated\":1}}",
                        "<html>502 Bad Gateway</html>", "{\"kind\":\"Status\",\"status\":\"Failure\",\"code\":500}",
                        "{\"status\":{\"user\":{\"username\":\"root\"}}}",
                        "{\"apiVersion\":\"authentication.k8s.io/v1\",\"kind\":\"TokenReview\",\"status\":{\"authenticated\":true}"),
                Arbitraries.integers().between(1, 40).map(n -> "[".repeat(n * 2) + "]".repeat(n * 2)));
    }

    @Provide
    Arbitrary<String> notTrue() {
        return Arbitraries.of("false", "null", "\"true\"", "1", "0", "[true]", "{\"value\":true}", "\"\"", "\"yes\"", "1.0");
    }

    @Provide
    Arbitrary<String> users() {
        return Arbitraries.of("{\"username\":\"admin\",\"groups\":[\"system:masters\"]}", "null", "{}", "{\"username\":7}",
                "{\"username\":\"a\",\"extra\":{\"K\":[\"v\"]}}", "[]");
    }
}
