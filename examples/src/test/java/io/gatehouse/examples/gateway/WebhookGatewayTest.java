package io.gatehouse.examples.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gatehouse.core.testing.LogCapture;
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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two gateways: A knows no credential itself and asks B's real {@code tokenreviews} endpoint over mutual TLS
 * (its kubeconfig carries B's admin client certificate); a token only B knows authenticates at A, with the user
 * B's token file gives it.
 */
class WebhookGatewayTest {

    @TempDir
    static Path dir;
    static DemoEnvironment demo;
    static GatewayMain.Running b;
    static GatewayMain.Running a;
    static String token;

    @BeforeAll
    static void start() throws Exception {
        demo = DemoEnvironment.create(dir, Instant.now());
        token = LogCapture.secret(Files.readString(demo.tokenValueFile));
        b = GatewayMain.start(GatewayFlags.parse(List.of("--bind-address=127.0.0.1", "--secure-port=0",
                "--tls-cert-file=" + demo.servingCert, "--tls-private-key-file=" + demo.servingKey,
                "--token-auth-file=" + demo.tokenFile, "--client-ca-file=" + demo.caFile), Set.of(), new LinkedHashMap<>()));
        Path kubeconfig = Files.writeString(dir.resolve("webhook.kubeconfig"), "apiVersion: v1\nkind: Config\n"
                + "clusters:\n- name: b\n  cluster:\n    server: https://127.0.0.1:" + b.port()
                + GatewayServer.TOKEN_REVIEWS + "\n    certificate-authority: " + demo.caFile + "\n"
                + "users:\n- name: a\n  user:\n    client-certificate: " + demo.clientCert + "\n    client-key: "
                + demo.clientKey + "\n"
                + "contexts:\n- name: a-to-b\n  context:\n    cluster: b\n    user: a\ncurrent-context: a-to-b\n");
        a = GatewayMain.start(GatewayFlags.parse(List.of("--bind-address=127.0.0.1", "--secure-port=0",
                "--tls-cert-file=" + demo.servingCert, "--tls-private-key-file=" + demo.servingKey,
                "--authentication-token-webhook-config-file=" + kubeconfig,
                "--authentication-token-webhook-version=v1", "--authentication-token-webhook-cache-ttl=30s"),
                Set.of(), new LinkedHashMap<>()));
    }

    @AfterAll
    static void stop() {
        if (a != null) {
            a.close();
        }
        if (b != null) {
            b.close();
        }
    }

    private static HttpResponse<String> whoamiAtA(String bearer) throws Exception {
        HttpClient client = TestClients.trusting(demo.caFile);
        return client.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + a.port() + GatewayServer.SELF_SUBJECT_REVIEWS))
                .header("Authorization", "Bearer " + bearer).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aTokenOnlyTheRemoteGatewayKnowsAuthenticatesHere() throws Exception {
        HttpResponse<String> r = whoamiAtA(token);
        assertEquals(201, r.statusCode(), r.body());
        JsonNode user = new ObjectMapper().readTree(r.body()).get("status").get("userInfo");
        assertEquals(DemoEnvironment.VIEWER, user.get("username").asText());
        assertEquals("[\"demo:viewers\",\"system:authenticated\"]", user.get("groups").toString());
        assertEquals(401, whoamiAtA("not-a-token-anyone-knows").statusCode());
    }

    @Test
    void kubectlAuthWhoamiThroughTheWebhook() throws Exception {
        String kubectl = KubectlEndToEndTest.findOnPath("kubectl");
        if (kubectl == null) {
            System.out.println("WebhookGatewayTest.kubectlAuthWhoamiThroughTheWebhook skipped: kubectl is not on PATH");
        }
        assumeTrue(kubectl != null, "kubectl is not on PATH");
        Path kc = Files.writeString(dir.resolve("viewer-at-a.kubeconfig"), "apiVersion: v1\nkind: Config\n"
                + "clusters:\n- name: a\n  cluster:\n    server: https://127.0.0.1:" + a.port()
                + "\n    certificate-authority: " + demo.caFile + "\n"
                + "users:\n- name: viewer\n  user:\n    token: " + token + "\n"
                + "contexts:\n- name: a\n  context:\n    cluster: a\n    user: viewer\ncurrent-context: a\n");
        String out = KubectlEndToEndTest.run(kubectl, "--kubeconfig", kc.toString(), "auth", "whoami", "-o", "json");
        assertTrue(out.contains("\"username\": \"" + DemoEnvironment.VIEWER + "\""), out);
    }
}
