package io.gatehouse.examples.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The gateway honours an AuthenticationConfiguration's anonymous block: anonymous only on the listed paths. */
class AnonymousConditionsGatewayTest {

    @TempDir
    Path dir;

    private Path config() throws Exception {
        return Files.writeString(dir.resolve("auth.yaml"), "apiVersion: apiserver.config.k8s.io/v1\n"
                + "kind: AuthenticationConfiguration\n"
                + "jwt:\n- issuer:\n    url: https://127.0.0.1:9\n    audiences: [gateway]\n"
                + "  claimMappings:\n    username:\n      claim: sub\n      prefix: ''\n"
                + "anonymous:\n  enabled: true\n  conditions:\n  - path: /version\n");
    }

    @Test
    void anonymousOnlyOnTheListedPaths() throws Exception {
        DemoEnvironment demo = DemoEnvironment.create(dir, Instant.now());
        try (GatewayMain.Running gateway = GatewayMain.start(GatewayFlags.parse(List.of("--bind-address=127.0.0.1",
                "--secure-port=0", "--tls-cert-file=" + demo.servingCert, "--tls-private-key-file=" + demo.servingKey,
                "--token-auth-file=" + demo.tokenFile, "--authentication-config=" + config()), Set.of(), new LinkedHashMap<>()))) {
            HttpClient client = TestClients.trusting(demo.caFile);
            String base = "https://127.0.0.1:" + gateway.port();
            assertEquals(200, client.send(HttpRequest.newBuilder(URI.create(base + "/version")).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode(), "a listed path admits anonymous requests");
            assertEquals(401, client.send(HttpRequest.newBuilder(URI.create(base + GatewayServer.SELF_SUBJECT_REVIEWS))
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString()).statusCode(),
                    "any other path does not");
        }
    }

    @Test
    void theBlockAndTheFlagExcludeEachOtherAsInKubernetes() throws Exception {
        DemoEnvironment demo = DemoEnvironment.create(dir, Instant.now());
        GatewayFlags.FlagException e = assertThrows(GatewayFlags.FlagException.class, () -> GatewayMain.start(
                GatewayFlags.parse(List.of("--bind-address=127.0.0.1", "--secure-port=0",
                        "--tls-cert-file=" + demo.servingCert, "--tls-private-key-file=" + demo.servingKey,
                        "--token-auth-file=" + demo.tokenFile, "--authentication-config=" + config(),
                        "--anonymous-auth=false"), Set.of(), new LinkedHashMap<>())));
        assertEquals("anonymous: Forbidden: --anonymous-auth flag cannot be set when anonymous field is configured in "
                + "authentication configuration file", e.getMessage());
    }
}
