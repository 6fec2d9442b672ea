package io.gatehouse.examples.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.gatehouse.core.testing.LogCapture;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A chain of gateways, as kube-apiserver in front of an aggregated API server: gateway A authenticates users (token
 * file, client certificates, and itself a trusted proxy's headers) and proxies to gateway B with a proxy client
 * certificate; B trusts A only through its request-header flags and proxies to an application that records what
 * it is told. A forged identity, straight to B or through A, never authenticates.
 */
class FrontProxyChainTest {

    @TempDir
    static Path dir;
    static DemoEnvironment demo;
    static HttpServer app;
    static final List<Map<String, List<String>>> seen = new CopyOnWriteArrayList<>();
    static GatewayMain.Running a;
    static GatewayMain.Running b;
    static String token;
    static Certificates.Issued frontProxyCa;
    static Certificates.Issued proxyClient;
    static Certificates.Issued outerProxy;

    @BeforeAll
    static void start() throws Exception {
        Instant now = Instant.now();
        demo = DemoEnvironment.create(dir, now);
        token = LogCapture.secret(Files.readString(demo.tokenValueFile));
        frontProxyCa = Certificates.certificateAuthority("front-proxy-ca", now, Duration.ofDays(1));
        proxyClient = Certificates.client(frontProxyCa, "front-proxy-client", List.of(), now, Duration.ofDays(1));
        outerProxy = Certificates.client(frontProxyCa, "outer-proxy", List.of(), now, Duration.ofDays(1));
        Path frontProxyCaFile = Files.writeString(dir.resolve("front-proxy-ca.crt"), Pem.write(frontProxyCa.certificate()));
        Path proxyCert = Files.writeString(dir.resolve("proxy-client.crt"), Pem.write(proxyClient.certificate()));
        Path proxyKey = Files.writeString(dir.resolve("proxy-client.key"), Pem.write(proxyClient.keys().getPrivate()));

        app = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        app.createContext("/", ex -> {
            seen.add(new LinkedHashMap<>(ex.getRequestHeaders()));
            byte[] reply = "app".getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, reply.length);
            ex.getResponseBody().write(reply);
            ex.close();
        });
        app.start();
        List<String> requestHeaderFlags = List.of("--requestheader-username-headers=X-Remote-User",
                "--requestheader-uid-headers=X-Remote-Uid", "--requestheader-group-headers=X-Remote-Group",
                "--requestheader-extra-headers-prefix=X-Remote-Extra-");
        List<String> bFlags = new java.util.ArrayList<>(List.of("--bind-address=127.0.0.1", "--secure-port=0",
                "--tls-cert-file=" + demo.servingCert, "--tls-private-key-file=" + demo.servingKey,
                "--requestheader-client-ca-file=" + frontProxyCaFile, "--requestheader-allowed-names=front-proxy-client",
                "--upstream=http://127.0.0.1:" + app.getAddress().getPort()));
        bFlags.addAll(requestHeaderFlags);
        b = GatewayMain.start(GatewayFlags.parse(bFlags, Set.of(), new LinkedHashMap<>()));
        List<String> aFlags = new java.util.ArrayList<>(List.of("--bind-address=127.0.0.1", "--secure-port=0",
                "--tls-cert-file=" + demo.servingCert, "--tls-private-key-file=" + demo.servingKey,
                "--token-auth-file=" + demo.tokenFile, "--client-ca-file=" + demo.caFile,
                "--requestheader-client-ca-file=" + frontProxyCaFile, "--requestheader-allowed-names=outer-proxy",
                "--upstream=https://127.0.0.1:" + b.port(), "--upstream-ca-file=" + demo.caFile,
                "--proxy-client-cert-file=" + proxyCert, "--proxy-client-key-file=" + proxyKey));
        aFlags.addAll(requestHeaderFlags);
        a = GatewayMain.start(GatewayFlags.parse(aFlags, Set.of(), new LinkedHashMap<>()));
        demo.writeKubeconfigs(a.port());
    }

    @AfterAll
    static void stop() {
        if (a != null) {
            a.close();
        }
        if (b != null) {
            b.close();
        }
        if (app != null) {
            app.stop(0);
        }
    }

    private static HttpResponse<String> send(HttpClient client, int port, String path, boolean post, String... headers)
            throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + path));
        for (int i = 0; i < headers.length; i += 2) {
            r.header(headers[i], headers[i + 1]);
        }
        r.method(post ? "POST" : "GET", HttpRequest.BodyPublishers.noBody());
        return client.send(r.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static Map<String, List<String>> lastSeen() {
        return seen.get(seen.size() - 1);
    }

    private static List<String> header(Map<String, List<String>> headers, String name) {
        for (Map.Entry<String, List<String>> e : headers.entrySet()) {
            if (e.getKey().equalsIgnoreCase(name)) {
                return e.getValue();
            }
        }
        return List.of();
    }

    @Test
    void aTokenUserAtAReachesTheApplicationBehindBAndForgedHeadersAreDropped() throws Exception {
        HttpResponse<String> r = send(TestClients.trusting(demo.caFile), a.port(), "/apis/example.com/v1/things", false,
                "Authorization", "Bearer " + token, "X-Remote-User", "admin", "X-Remote-Group", "system:masters",
                "X-Remote-Extra-Forged", "yes");
        assertEquals(200, r.statusCode(), r.body());
        Map<String, List<String>> h = lastSeen();
        assertEquals(List.of(DemoEnvironment.VIEWER), header(h, "X-Remote-User"));
        assertEquals(List.of("1001"), header(h, "X-Remote-Uid"));
        assertEquals(List.of("demo:viewers", "system:authenticated"), header(h, "X-Remote-Group"));
        assertEquals(List.of(), header(h, "X-Remote-Extra-Forged"));
        assertEquals(List.of(), header(h, "Authorization"));
    }

    @Test
    void aProxiedUserWithExtraTravelsThroughBothGateways() throws Exception {
        HttpClient asOuterProxy = TestClients.presenting(demo.caFile, outerProxy.certificate(), outerProxy.keys().getPrivate());
        HttpResponse<String> r = send(asOuterProxy, a.port(), "/api/v1/namespaces", false, "X-Remote-User", "erin",
                "X-Remote-Uid", "77", "X-Remote-Group", "ops", "X-Remote-Group", "oncall",
                "X-Remote-Extra-Scopes", "read", "X-Remote-Extra-Example.com%2Fteam", "blue");
        assertEquals(200, r.statusCode(), r.body());
        Map<String, List<String>> h = lastSeen();
        assertEquals(List.of("erin"), header(h, "X-Remote-User"));
        assertEquals(List.of("77"), header(h, "X-Remote-Uid"));
        assertEquals(List.of("ops", "oncall", "system:authenticated"), header(h, "X-Remote-Group"));
        assertEquals(List.of("read"), header(h, "X-Remote-Extra-scopes"));
        assertEquals(List.of("blue"), header(h, "X-Remote-Extra-example.com%2Fteam"));

        // A answers the SelfSubjectReview itself, as kube-apiserver does; B sees the same user from A's headers.
        JsonNode atA = new ObjectMapper().readTree(send(asOuterProxy, a.port(), GatewayServer.SELF_SUBJECT_REVIEWS, true,
                "X-Remote-User", "erin", "X-Remote-Uid", "77", "X-Remote-Group", "ops",
                "X-Remote-Extra-Example.com%2Fteam", "blue").body()).get("status").get("userInfo");
        assertEquals("erin", atA.get("username").asText());
        assertEquals("blue", atA.get("extra").get("example.com/team").get(0).asText());
    }

    @Test
    void bSeesTheUserAPassesWithItsProxyCertificate() throws Exception {
        HttpClient asA = TestClients.presenting(demo.caFile, proxyClient.certificate(), proxyClient.keys().getPrivate());
        HttpResponse<String> r = send(asA, b.port(), GatewayServer.SELF_SUBJECT_REVIEWS, true, "X-Remote-User", "erin",
                "X-Remote-Uid", "77", "X-Remote-Group", "ops", "X-Remote-Extra-Scopes", "read");
        assertEquals(201, r.statusCode(), r.body());
        JsonNode user = new ObjectMapper().readTree(r.body()).get("status").get("userInfo");
        assertEquals("erin", user.get("username").asText());
        assertEquals("77", user.get("uid").asText());
        assertEquals("ops", user.get("groups").get(0).asText());
        assertEquals("read", user.get("extra").get("scopes").get(0).asText());
    }

    @Test
    void aForgedIdentityStraightToBNeverAuthenticates() throws Exception {
        String[] forged = {"X-Remote-User", "admin", "X-Remote-Group", "system:masters"};
        HttpClient noCert = TestClients.trusting(demo.caFile);
        HttpClient untrusted = TestClients.presenting(demo.caFile, Pem.readCertificates(demo.clientCert).get(0),
                Pem.readPrivateKey(demo.clientKey));
        HttpClient unlisted = TestClients.presenting(demo.caFile, outerProxy.certificate(), outerProxy.keys().getPrivate());
        int before = seen.size();
        for (HttpClient client : List.of(noCert, untrusted, unlisted)) {
            assertEquals(401, send(client, b.port(), GatewayServer.SELF_SUBJECT_REVIEWS, true, forged).statusCode());
            assertEquals(401, send(client, b.port(), "/api/v1/secrets", false, forged).statusCode());
        }
        assertEquals(before, seen.size(), "nothing reached the application");
    }

    @Test
    void aForgedIdentityThroughAWithoutACredentialNeverAuthenticates() throws Exception {
        HttpResponse<String> r = send(TestClients.trusting(demo.caFile), a.port(), "/api/v1/secrets", false,
                "X-Remote-User", "admin", "X-Remote-Group", "system:masters");
        assertEquals(401, r.statusCode());
        assertFalse(r.body().contains("admin"));
    }

    @Test
    void kubectlAuthWhoamiAgainstA() throws Exception {
        String kubectl = KubectlEndToEndTest.findOnPath("kubectl");
        if (kubectl == null) {
            System.out.println("FrontProxyChainTest.kubectlAuthWhoamiAgainstA skipped: kubectl is not on PATH");
        }
        assumeTrue(kubectl != null, "kubectl is not on PATH");
        String out = KubectlEndToEndTest.run(kubectl, "--kubeconfig", demo.kubeconfigs.get(0).toString(), "auth", "whoami",
                "-o", "json");
        JsonNode user = new ObjectMapper().readTree(out).get("status").get("userInfo");
        assertEquals(DemoEnvironment.VIEWER, user.get("username").asText());
        assertTrue(user.get("groups").toString().contains("demo:viewers"), out);
    }
}
