package io.gatehouse.examples.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.util.JSONObjectUtils;
import com.sun.net.httpserver.HttpServer;
import io.gatehouse.core.testing.LogCapture;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The gateway over real TLS with the JDK HttpClient: reviews, 401s, proxy headers, audit log. */
class GatewayEndToEndTest {

    @TempDir
    static Path dir;

    static DemoEnvironment demo;
    static GatewayMain.Running gateway;
    static HttpServer upstream;
    static final List<Map<String, List<String>>> upstreamHeaders = new CopyOnWriteArrayList<>();
    static final List<String> upstreamBodies = new CopyOnWriteArrayList<>();
    static HttpClient client;
    static String base;
    static String token;
    static String bootstrapToken;

    @BeforeAll
    static void start() throws Exception {
        demo = DemoEnvironment.create(dir, Instant.now());
        token = LogCapture.secret(Files.readString(demo.tokenValueFile));
        bootstrapToken = LogCapture.secret(Files.readString(demo.bootstrapTokenFile));
        upstream = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        upstream.createContext("/", ex -> {
            upstreamHeaders.add(new LinkedHashMap<>(ex.getRequestHeaders()));
            upstreamBodies.add(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            byte[] reply = ("upstream saw " + ex.getRequestURI()).getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("X-Upstream", "yes");
            ex.sendResponseHeaders(209, reply.length);
            ex.getResponseBody().write(reply);
            ex.close();
        });
        upstream.start();
        GatewayOptions o = GatewayFlags.parse(List.of("--bind-address=127.0.0.1", "--secure-port=0",
                "--tls-cert-file=" + demo.servingCert, "--tls-private-key-file=" + demo.servingKey,
                "--token-auth-file", demo.tokenFile.toString(), "--audit-log-path=" + dir.resolve("audit.log"),
                "--enable-bootstrap-token-auth", "--bootstrap-token-dir=" + demo.bootstrapDir,
                "--client-ca-file=" + demo.caFile,
                "--service-account-signing-key-file=" + demo.serviceAccountKey,
                "--service-account-issuer=" + DemoEnvironment.ISSUER, "--api-audiences=" + DemoEnvironment.ISSUER,
                "--upstream=http://127.0.0.1:" + upstream.getAddress().getPort()), java.util.Set.of(), new LinkedHashMap<>());
        gateway = GatewayMain.start(o);
        base = "https://127.0.0.1:" + gateway.port();
        client = TestClients.trusting(demo.caFile);
        adminClient = TestClients.presenting(demo.caFile, Pem.readCertificates(demo.clientCert).get(0),
                Pem.readPrivateKey(demo.clientKey));
        Certificates.Issued rogueCa = Certificates.certificateAuthority("gatehouse-demo-ca", Instant.now(), java.time.Duration.ofDays(1));
        Certificates.Issued rogue = Certificates.client(rogueCa, "demo-admin", List.of("system:masters"), Instant.now(),
                java.time.Duration.ofDays(1));
        rogueClient = TestClients.presenting(demo.caFile, rogue.certificate(), rogue.keys().getPrivate());
    }

    static HttpClient adminClient;
    static HttpClient rogueClient;

    private static HttpResponse<String> whoami(HttpClient c, String authorization) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + GatewayServer.SELF_SUBJECT_REVIEWS))
                .POST(HttpRequest.BodyPublishers.noBody());
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return c.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void clientCertificatesAuthenticateAndAnUntrustedOneIsRejected() throws Exception {
        HttpResponse<String> r = whoami(adminClient, null);
        assertEquals(201, r.statusCode(), r.body());
        Map<String, Object> userInfo = JSONObjectUtils.getJSONObject(
                JSONObjectUtils.getJSONObject(JSONObjectUtils.parse(r.body()), "status"), "userInfo");
        assertEquals("demo-admin", userInfo.get("username"));
        assertEquals(List.of("system:masters", "system:authenticated"), userInfo.get("groups"));
        assertTrue(JSONObjectUtils.getJSONObject(userInfo, "extra").get("authentication.kubernetes.io/credential-id")
                .toString().contains("X509SHA256="), r.body());

        assertEquals(401, whoami(rogueClient, null).statusCode(), "same names, untrusted CA");
    }

    @Test
    void tokenRequestMintsForMastersOnlyAndTheTokenAuthenticates() throws Exception {
        String path = "/api/v1/namespaces/ci/serviceaccounts/builder/token";
        String body = "{\"kind\":\"TokenRequest\",\"apiVersion\":\"authentication.k8s.io/v1\",\"spec\":{\"expirationSeconds\":900}}";
        HttpResponse<String> r = adminClient.send(HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(201, r.statusCode(), r.body());
        String minted = LogCapture.secret(JSONObjectUtils.getString(
                JSONObjectUtils.getJSONObject(JSONObjectUtils.parse(r.body()), "status"), "token"));
        HttpResponse<String> who = whoami(client, "Bearer " + minted);
        assertEquals(201, who.statusCode(), who.body());
        assertTrue(who.body().contains("\"username\":\"system:serviceaccount:ci:builder\""), who.body());
        assertTrue(who.body().contains("system:serviceaccounts:ci"), who.body());

        HttpResponse<String> forbidden = send("POST", path, "Bearer " + token, body);
        assertEquals(403, forbidden.statusCode(), "only system:masters may mint");
        assertTrue(forbidden.body().contains("cannot create resource \\\"serviceaccounts/token\\\""), forbidden.body());

        HttpResponse<String> tooShort = adminClient.send(HttpRequest.newBuilder(URI.create(base + path))
                .POST(HttpRequest.BodyPublishers.ofString("{\"spec\":{\"expirationSeconds\":60}}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(422, tooShort.statusCode());
        assertTrue(tooShort.body().contains("may not specify a duration less than 10 minutes"), tooShort.body());
    }

    @Test
    void theIssuersDiscoveryDocumentAndKeysArePublic() throws Exception {
        HttpResponse<String> doc = send("GET", "/.well-known/openid-configuration", null, null);
        assertEquals(200, doc.statusCode());
        assertEquals(DemoEnvironment.ISSUER, JSONObjectUtils.parse(doc.body()).get("issuer"));
        HttpResponse<String> jwks = send("GET", "/openid/v1/jwks", null, null);
        assertEquals(200, jwks.statusCode());
        assertTrue(jwks.body().contains("\"kty\":\"EC\""), jwks.body());
        assertFalse(jwks.body().contains("\"d\""), "no private key material");
    }

    @Test
    void aBadCertificateWithAGoodTokenAuthenticatesByTheToken() throws Exception {
        HttpResponse<String> r = whoami(rogueClient, "Bearer " + token);
        assertEquals(201, r.statusCode(), r.body());
        assertTrue(r.body().contains("\"username\":\"demo-viewer\""), r.body());
    }

    @AfterAll
    static void stop() {
        if (gateway != null) {
            gateway.close();
        }
        if (upstream != null) {
            upstream.stop(0);
        }
    }

    private static HttpResponse<String> send(String method, String path, String authorization, String body)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void selfSubjectReviewNamesTheCaller() throws Exception {
        HttpResponse<String> r = send("POST", GatewayServer.SELF_SUBJECT_REVIEWS, "Bearer " + token, "ignored protobuf");
        assertEquals(201, r.statusCode());
        Map<String, Object> userInfo = JSONObjectUtils.getJSONObject(
                JSONObjectUtils.getJSONObject(JSONObjectUtils.parse(r.body()), "status"), "userInfo");
        assertEquals("demo-viewer", userInfo.get("username"));
        assertEquals("1001", userInfo.get("uid"));
        assertEquals(List.of("demo:viewers", "system:authenticated"), userInfo.get("groups"));
    }

    @Test
    void bootstrapTokensAuthenticate() throws Exception {
        HttpResponse<String> r = send("POST", GatewayServer.SELF_SUBJECT_REVIEWS, "Bearer " + bootstrapToken, "");
        assertEquals(201, r.statusCode());
        Map<String, Object> userInfo = JSONObjectUtils.getJSONObject(
                JSONObjectUtils.getJSONObject(JSONObjectUtils.parse(r.body()), "status"), "userInfo");
        assertEquals("system:bootstrap:" + bootstrapToken.substring(0, 6), userInfo.get("username"));
        assertEquals(List.of("system:bootstrappers", "system:bootstrappers:kubeadm:default-node-token",
                "system:authenticated"), userInfo.get("groups"));
        String forged = bootstrapToken.substring(0, 7) + "0000000000000000";
        assertEquals(401, send("GET", "/version", "Bearer " + forged, null).statusCode());
    }

    @Test
    void badCredentialsGetABare401() throws Exception {
        for (String auth : new String[] {"Bearer wrong-token", null, "Basic dXNlcjpwYXNz"}) {
            HttpResponse<String> r = send("GET", "/version", auth, null);
            assertEquals(401, r.statusCode(), String.valueOf(auth));
            Map<String, Object> status = JSONObjectUtils.parse(r.body());
            assertEquals("Unauthorized", status.get("message"));
            assertEquals("Unauthorized", status.get("reason"));
            assertFalse(r.body().contains("invalid bearer token"), "the reason never reaches the client");
        }
    }

    @Test
    void extraSpaceBeforeTheTokenIsAWarning() throws Exception {
        HttpResponse<String> r = send("GET", "/version", "Bearer  " + token, null);
        assertEquals(401, r.statusCode());
        assertTrue(r.headers().firstValue("Warning").orElse("").contains("extra space before the bearer token"),
                r.headers().map().toString());
    }

    @Test
    void versionForAnAuthenticatedCaller() throws Exception {
        HttpResponse<String> r = send("GET", "/version", "Bearer " + token, null);
        assertEquals(200, r.statusCode());
        assertTrue(JSONObjectUtils.parse(r.body()).get("gitVersion").toString().startsWith("v1."), r.body());
    }

    @Test
    void tokenReviewAnswersForTheReviewedToken() throws Exception {
        String good = "{\"apiVersion\":\"authentication.k8s.io/v1\",\"kind\":\"TokenReview\",\"spec\":{\"token\":\""
                + token + "\"}}";
        HttpResponse<String> r = send("POST", GatewayServer.TOKEN_REVIEWS, "Bearer " + token, good);
        assertEquals(201, r.statusCode());
        Map<String, Object> status = JSONObjectUtils.getJSONObject(JSONObjectUtils.parse(r.body()), "status");
        assertEquals(true, status.get("authenticated"));
        assertEquals("demo-viewer", JSONObjectUtils.getJSONObject(status, "user").get("username"));
        assertFalse(r.body().contains(token), "the token is not echoed back");

        String bad = "{\"kind\":\"TokenReview\",\"spec\":{\"token\":\"nope\"}}";
        status = JSONObjectUtils.getJSONObject(JSONObjectUtils.parse(
                send("POST", GatewayServer.TOKEN_REVIEWS, "Bearer " + token, bad).body()), "status");
        assertEquals(false, status.get("authenticated"));
        assertEquals("invalid bearer token", status.get("error"));

        assertEquals(400, send("POST", GatewayServer.TOKEN_REVIEWS, "Bearer " + token, "{\"spec\":{}}").statusCode());
        assertEquals(400, send("POST", GatewayServer.TOKEN_REVIEWS, "Bearer " + token, "not json").statusCode());
        assertEquals(401, send("POST", GatewayServer.TOKEN_REVIEWS, null, good).statusCode(),
                "the reviewer must itself be authenticated");
    }

    @Test
    void proxyForwardsIdentityAndStripsCredentialsAndSpoofedHeaders() throws Exception {
        upstreamHeaders.clear();
        HttpRequest req = HttpRequest.newBuilder(URI.create(base + "/api/v1/pods?limit=1"))
                .header("Authorization", "Bearer " + token)
                .header("X-Remote-User", "system:admin")
                .header("X-Remote-Group", "system:masters")
                .header("X-Custom", "kept")
                .POST(HttpRequest.BodyPublishers.ofString("payload"))
                .build();
        HttpResponse<String> r = client.send(req, HttpResponse.BodyHandlers.ofString());
        assertEquals(209, r.statusCode());
        assertEquals("upstream saw /api/v1/pods?limit=1", r.body());
        assertEquals("yes", r.headers().firstValue("X-Upstream").orElse(null));
        Map<String, List<String>> seen = upstreamHeaders.get(0);
        assertEquals(List.of("demo-viewer"), seen.get("X-remote-user"));
        assertEquals(List.of("1001"), seen.get("X-remote-uid"));
        assertEquals(List.of("demo:viewers", "system:authenticated"), seen.get("X-remote-group"));
        assertNull(seen.get("Authorization"));
        assertEquals(List.of("kept"), seen.get("X-custom"));
        assertEquals("payload", upstreamBodies.get(upstreamBodies.size() - 1));
    }

    @Test
    void auditLogHasADecisionPerRequestAndNoSecret() throws Exception {
        send("GET", "/version", "Bearer " + token, null);
        send("GET", "/version", "Bearer some-wrong-token", null);
        String audit = Files.readString(dir.resolve("audit.log"));
        assertFalse(audit.contains(token), "the audit log never holds a token");
        assertFalse(audit.contains("some-wrong-token"));
        assertTrue(audit.contains("\"outcome\":\"authenticated\",\"user\":\"demo-viewer\""), audit);
        assertTrue(audit.contains("\"outcome\":\"rejected\",\"reason\":\"UNRECOGNIZED_TOKEN\""), audit);
        assertTrue(audit.contains("\"credential\":\"sha256:"), audit);
    }

    @Test
    void extraKeysArePercentEncodedAsKubernetesUnescapesThem() {
        assertEquals("authentication.kubernetes.io%2Fcredential-id", ReverseProxy.escape("authentication.kubernetes.io/credential-id"));
    }
}
