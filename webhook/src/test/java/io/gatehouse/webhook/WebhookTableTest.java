package io.gatehouse.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatehouse.core.AuthenticationResult;
import io.gatehouse.core.AuthenticationResult.Abstained;
import io.gatehouse.core.AuthenticationResult.Authenticated;
import io.gatehouse.core.AuthenticationResult.Rejected;
import io.gatehouse.core.RejectionReason;
import io.gatehouse.core.UserInfo;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Kubernetes' {@code TestV1WebhookTokenAuthenticator} and {@code TestV1beta1WebhookTokenAuthenticator}, row by row,
 * against a real mutual-TLS TokenReview server, for both versions. Where Go's test says "not authenticated" this
 * port names the verdict: a refusal ({@code authenticated: false}) or no opinion (audiences that do not meet).
 */
class WebhookTableTest {

    private static final List<String> API_AUDS = List.of("api");
    private static final String TOKEN = "my-s4cr3t-t0ken";

    private enum Outcome { AUTHENTICATED, REFUSED, NO_OPINION }

    private record Row(String description, List<String> implicitAuds, List<String> reqAuds, String status,
                       Outcome expected, UserInfo expectedUser, List<String> expectedAuds) {
    }

    @TempDir
    static Path dir;
    private static ReviewServer server;

    @BeforeAll
    static void start() throws Exception {
        server = Fixture.server();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static final UserInfo SOMEBODY = UserInfo.of("somebody", "");

    static Stream<Arguments> rows() {
        List<Row> rows = List.of(
                new Row("successful response should pass through all user info.", List.of(), List.of(),
                        "{\"authenticated\":true,\"user\":{\"username\":\"somebody\"}}",
                        Outcome.AUTHENTICATED, SOMEBODY, List.of()),
                new Row("successful response should pass through all user info.", List.of(), List.of(),
                        "{\"authenticated\":true,\"user\":{\"username\":\"person@place.com\",\"uid\":\"abcd-1234\","
                                + "\"groups\":[\"stuff-dev\",\"main-eng\"],\"extra\":{\"foo\":[\"bar\",\"baz\"]}}}",
                        Outcome.AUTHENTICATED, new UserInfo("person@place.com", "abcd-1234", List.of("stuff-dev", "main-eng"),
                                Map.of("foo", List.of("bar", "baz"))), List.of()),
                new Row("unauthenticated shouldn't even include extra provided info.", List.of(), List.of(),
                        "{\"authenticated\":false,\"user\":{\"username\":\"garbage\",\"uid\":\"abcd-1234\","
                                + "\"groups\":[\"not-actually-used\"]}}", Outcome.REFUSED, null, null),
                new Row("unauthenticated shouldn't even include extra provided info.", List.of(), List.of(),
                        "{\"authenticated\":false}", Outcome.REFUSED, null, null),
                new Row("good audience", API_AUDS, API_AUDS,
                        "{\"authenticated\":true,\"user\":{\"username\":\"somebody\"}}", Outcome.AUTHENTICATED, SOMEBODY, API_AUDS),
                new Row("good audience", List.of("api", "other"), API_AUDS,
                        "{\"authenticated\":true,\"user\":{\"username\":\"somebody\"}}", Outcome.AUTHENTICATED, SOMEBODY, API_AUDS),
                new Row("bad audiences", API_AUDS, List.of("other"),
                        "{\"authenticated\":false}", Outcome.NO_OPINION, null, null),
                new Row("bad audiences (a backend not yet audience aware)", API_AUDS, List.of("other"),
                        "{\"authenticated\":true,\"user\":{\"username\":\"somebody\"}}", Outcome.NO_OPINION, null, null),
                new Row("audience aware backend", API_AUDS, API_AUDS,
                        "{\"authenticated\":true,\"user\":{\"username\":\"somebody\"},\"audiences\":[\"api\"]}",
                        Outcome.AUTHENTICATED, SOMEBODY, API_AUDS),
                new Row("audience aware backend (no request audiences)", List.of(), List.of(),
                        "{\"authenticated\":true,\"user\":{\"username\":\"somebody\"},\"audiences\":[\"api\"]}",
                        Outcome.AUTHENTICATED, SOMEBODY, List.of()),
                new Row("audience aware backend (other audiences)", API_AUDS, API_AUDS,
                        "{\"authenticated\":true,\"user\":{\"username\":\"somebody\"},\"audiences\":[\"other\"]}",
                        Outcome.NO_OPINION, null, null));
        return Stream.of("v1", "v1beta1").flatMap(v -> rows.stream().map(r -> Arguments.of(v, r)));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("rows")
    void kubernetesTable(String version, Row row) throws Exception {
        WebhookTokenAuthenticator webhook = WebhookTokenAuthenticator.builder(Fixture.kubeconfig(server, dir))
                .version(version)
                .cacheTtl(Duration.ZERO)
                .apiAudiences(row.implicitAuds())
                .build();
        server.script(r -> Fixture.review(version, row.status()));
        int before = server.received().size();

        AuthenticationResult result = webhook.authenticate(TOKEN, row.reqAuds());

        assertEquals(before + 1, server.received().size(), "one review per call");
        JsonNode sent = server.received().get(before).body();
        assertEquals("authentication.k8s.io/" + version, sent.get("apiVersion").asText());
        assertEquals("TokenReview", sent.get("kind").asText());
        assertEquals(TOKEN, sent.get("spec").get("token").asText());
        if (row.reqAuds().isEmpty()) {
            assertEquals(null, sent.get("spec").get("audiences"), "no audiences sent when none were requested");
        } else {
            assertEquals(row.reqAuds(), ReviewServer.JSON.convertValue(sent.get("spec").get("audiences"), List.class));
        }
        switch (row.expected()) {
            case AUTHENTICATED -> {
                Authenticated a = assertInstanceOf(Authenticated.class, result);
                assertEquals(row.expectedUser(), a.user());
                assertEquals(row.expectedAuds(), a.audiences());
            }
            case REFUSED -> {
                Rejected r = assertInstanceOf(Rejected.class, result);
                assertEquals(RejectionReason.INVALID_CREDENTIAL, r.reason());
                assertEquals("invalid bearer token", r.message());
            }
            case NO_OPINION -> assertInstanceOf(Abstained.class, result);
            default -> fail();
        }
    }
}
