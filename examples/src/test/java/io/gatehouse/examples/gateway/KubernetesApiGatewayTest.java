package io.gatehouse.examples.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.gatehouse.bootstrap.BootstrapTokenGenerator;
import io.gatehouse.bootstrap.GeneratedBootstrapToken;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gateway with {@code --kubeconfig} pointing at fabric8's mock API server (CRUD, TLS, its certificate verified
 * through the kubeconfig's CA): a bootstrap token whose Secret exists only in the API authenticates, and stops when
 * the Secret is deleted. Also the flag rules for {@code --kubeconfig} and {@code --service-account-lookup}.
 */
class KubernetesApiGatewayTest {

    @TempDir
    static Path dir;
    static DemoEnvironment demo;
    static MockWebServer web;
    static KubernetesMockServer api;
    static KubernetesClient admin;
    static Path kubeconfig;
    static GatewayMain.Running gateway;
    static GeneratedBootstrapToken token;

    @BeforeAll
    static void start() throws Exception {
        demo = DemoEnvironment.create(dir, Instant.now());
        web = new MockWebServer();
        api = new KubernetesMockServer(new Context(), web, new HashMap<>(), new KubernetesCrudDispatcher(), true);
        api.init(InetAddress.getLoopbackAddress(), 0);
        admin = api.createClient();
        token = BootstrapTokenGenerator.builder().build().generate();
        Map<String, String> data = new LinkedHashMap<>();
        token.secret().data().forEach((k, v) -> data.put(k, Base64.getEncoder().encodeToString(v.getBytes(StandardCharsets.UTF_8))));
        admin.secrets().inNamespace("kube-system").resource(new SecretBuilder().withNewMetadata()
                .withNamespace("kube-system").withName(token.secret().name()).endMetadata()
                .withType(token.secret().type()).withData(data).build()).create();

        kubeconfig = Files.writeString(dir.resolve("api.kubeconfig"), "apiVersion: v1\nkind: Config\n"
                + "clusters:\n- name: api\n  cluster:\n    server: https://localhost:" + api.getPort()
                + "\n    certificate-authority: " + web.getSelfSignedCertificate().certificatePath() + "\n"
                + "users:\n- name: gateway\n  user:\n    token: gateway-reader\n"
                + "contexts:\n- name: api\n  context:\n    cluster: api\n    user: gateway\ncurrent-context: api\n");
        gateway = GatewayMain.start(GatewayFlags.parse(List.of("--bind-address=127.0.0.1", "--secure-port=0",
                "--tls-cert-file=" + demo.servingCert, "--tls-private-key-file=" + demo.servingKey,
                "--enable-bootstrap-token-auth", "--kubeconfig=" + kubeconfig), Set.of(), new LinkedHashMap<>()));
    }

    @AfterAll
    static void stop() {
        if (gateway != null) {
            gateway.close();
        }
        if (admin != null) {
            admin.close();
        }
        if (api != null) {
            try {
                api.destroy();
            } catch (IllegalStateException e) {
                // Vert.x sometimes times out closing its event loop on a loaded machine; nothing is asserted here.
                System.out.println("KubernetesApiGatewayTest: closing the mock API server: " + e.getMessage());
            }
        }
    }

    private static int whoami(String bearer) {
        try {
            HttpClient client = TestClients.trusting(demo.caFile);
            return client.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + gateway.port()
                            + GatewayServer.SELF_SUBJECT_REVIEWS)).header("Authorization", "Bearer " + bearer)
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString()).statusCode();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** Polls until {@code condition} holds; the informer fills asynchronously. Fails after 30 s. */
    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "not within 30 s: " + what);
            Thread.sleep(20);
        }
    }

    @Test
    void aBootstrapTokenThatExistsOnlyInTheApiAuthenticatesUntilItsSecretIsDeleted() throws Exception {
        await("the token authenticates", () -> whoami(token.token()) == 201);

        String kubectl = KubectlEndToEndTest.findOnPath("kubectl");
        if (kubectl == null) {
            System.out.println("KubernetesApiGatewayTest: kubectl auth whoami skipped: kubectl is not on PATH");
        } else {
            Path kc = Files.writeString(dir.resolve("bootstrap-at-gateway.kubeconfig"), "apiVersion: v1\nkind: Config\n"
                    + "clusters:\n- name: g\n  cluster:\n    server: https://127.0.0.1:" + gateway.port()
                    + "\n    certificate-authority: " + demo.caFile + "\n"
                    + "users:\n- name: b\n  user:\n    token: " + token.token() + "\n"
                    + "contexts:\n- name: g\n  context:\n    cluster: g\n    user: b\ncurrent-context: g\n");
            String out = KubectlEndToEndTest.run(kubectl, "--kubeconfig", kc.toString(), "auth", "whoami", "-o", "json");
            String user = new ObjectMapper().readTree(out).get("status").get("userInfo").get("username").asText();
            assertEquals("system:bootstrap:" + token.id(), user, out);
        }

        admin.secrets().inNamespace("kube-system").withName(token.secret().name()).delete();
        // The chain's token cache holds a success for up to 10 s (Kubernetes' default), then the deletion shows.
        await("the token stops authenticating", () -> whoami(token.token()) == 401);
    }

    @Test
    void kubeconfigFlagsAndTheLookupDefault() throws Exception {
        GatewayOptions withApi = GatewayFlags.parse(List.of("--kubeconfig=" + kubeconfig), Set.of(), new LinkedHashMap<>());
        assertEquals(kubeconfig, withApi.kubeconfig());
        assertTrue(withApi.serviceAccountLookup(), "kube-apiserver's default, once there is an API to look in");

        GatewayOptions alias = GatewayFlags.parse(List.of("--authentication-kubeconfig", kubeconfig.toString(),
                "--service-account-lookup=false"), Set.of(), new LinkedHashMap<>());
        assertEquals(kubeconfig, alias.kubeconfig());
        assertFalse(alias.serviceAccountLookup());

        assertFalse(GatewayFlags.parse(List.of(), Set.of(), new LinkedHashMap<>()).serviceAccountLookup());
        assertTrue(assertThrows(GatewayFlags.FlagException.class, () -> GatewayFlags.parse(
                List.of("--service-account-lookup=true"), Set.of(), new LinkedHashMap<>())).getMessage()
                .startsWith("--service-account-lookup=true needs a Kubernetes API"));
        assertTrue(assertThrows(GatewayFlags.FlagException.class, () -> GatewayFlags.parse(List.of(
                "--enable-bootstrap-token-auth", "--bootstrap-token-dir=" + dir, "--kubeconfig=" + kubeconfig),
                Set.of(), new LinkedHashMap<>())).getMessage()
                .startsWith("--bootstrap-token-dir and --kubeconfig both name where bootstrap-token Secrets are"));
    }
}
