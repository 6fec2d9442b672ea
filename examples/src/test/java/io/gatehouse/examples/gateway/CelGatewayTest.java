package io.gatehouse.examples.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.util.JSONObjectUtils;
import io.gatehouse.core.testing.LogCapture;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.OAuth2Config;
import no.nav.security.mock.oauth2.http.MockWebServerWrapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gateway with an AuthenticationConfiguration that maps claims with CEL, against a real OpenID provider
 * (NAV's mock-oauth2-server over HTTPS): a Keycloak-style {@code realm_access.roles} list becomes the groups, the
 * username is computed, {@code extra} is set, a claim rule and a user rule refuse what they must; and
 * {@code explain} waits for the provider's first keys before it judges.
 */
class CelGatewayTest {

    @TempDir
    static Path dir;

    static MockOAuth2Server provider;
    static String issuer;
    static Path config;
    static GatewayMain.Running gateway;
    static HttpClient client;
    static String base;

    @BeforeAll
    static void start() throws Exception {
        provider = new MockOAuth2Server(OAuth2Config.Companion.fromJson(
                "{\"interactiveLogin\":false,\"httpServer\":{\"type\":\"MockWebServerWrapper\",\"ssl\":{}}}"));
        provider.start(InetAddress.getLoopbackAddress(), 0);
        issuer = provider.issuerUrl("realm").toString();
        var store = ((MockWebServerWrapper) provider.getConfig().getHttpServer()).getSsl().getSslKeystore().getKeyStore();
        Certificate cert = null;
        for (String alias : Collections.list(store.aliases())) {
            cert = store.getCertificate(alias);
        }
        String caPem = "-----BEGIN CERTIFICATE-----\n" + Base64.getMimeEncoder().encodeToString(cert.getEncoded())
                + "\n-----END CERTIFICATE-----\n";
        config = Files.writeString(dir.resolve("authentication-config.yaml"), String.join("\n",
                "apiVersion: apiserver.config.k8s.io/v1",
                "kind: AuthenticationConfiguration",
                "jwt:",
                "- issuer:",
                "    url: " + issuer,
                "    audiences: [gatehouse]",
                "    certificateAuthority: |",
                caPem.lines().map(l -> "      " + l).reduce((a, b) -> a + "\n" + b).orElseThrow(),
                "  claimValidationRules:",
                "  - expression: 'claims.?tenant.orValue(\"\") != \"suspended\"'",
                "    message: tenant is suspended",
                "  claimMappings:",
                "    username:",
                "      expression: '\"realm:\" + claims.preferred_username'",
                "    groups:",
                "      expression: 'claims.?realm_access.roles.orValue([]).map(r, \"realm:\" + r)'",
                "    uid:",
                "      expression: 'claims.sub'",
                "    extra:",
                "    - key: example.org/tenant",
                "      valueExpression: 'claims.?tenant.orValue(\"\")'",
                "  userValidationRules:",
                "  - expression: '!user.username.startsWith(\"realm:system\")'",
                "    message: no system names from the realm",
                ""));
        DemoEnvironment demo = DemoEnvironment.create(dir, Instant.now());
        gateway = GatewayMain.start(GatewayFlags.parse(List.of("--bind-address=127.0.0.1", "--secure-port=0",
                "--tls-cert-file=" + demo.servingCert, "--tls-private-key-file=" + demo.servingKey,
                "--authentication-config=" + config), Set.of(), new LinkedHashMap<>()));
        base = "https://127.0.0.1:" + gateway.port();
        client = TestClients.trusting(demo.caFile);
    }

    @AfterAll
    static void stop() {
        if (gateway != null) {
            gateway.close();
        }
        if (provider != null) {
            provider.shutdown();
        }
    }

    private static String token(String name, String tenant) {
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("preferred_username", name);
        claims.put("realm_access", Map.of("roles", List.of("admin", "dev")));
        claims.put("tenant", tenant);
        return LogCapture.secret(provider.issueToken("realm", "sub-" + name, "gatehouse", claims).serialize());
    }

    private static HttpResponse<String> review(String token) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(base + GatewayServer.SELF_SUBJECT_REVIEWS))
                .header("Authorization", "Bearer " + token).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Keys are fetched in the background: polls (bounded) until the provider's keys are in. */
    private static HttpResponse<String> reviewOnceReady(String token) throws Exception {
        HttpResponse<String> r = review(token);
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (r.statusCode() == 401 && System.nanoTime() < deadline) {
            Thread.sleep(100);
            r = review(token);
        }
        return r;
    }

    @Test
    void celMappingsShapeTheUserFromTheProvidersToken() throws Exception {
        HttpResponse<String> r = reviewOnceReady(token("alice", "blue"));
        assertEquals(201, r.statusCode(), r.body());
        Map<String, Object> user = JSONObjectUtils.getJSONObject(
                JSONObjectUtils.getJSONObject(JSONObjectUtils.parse(r.body()), "status"), "userInfo");
        assertEquals("realm:alice", user.get("username"));
        assertEquals("sub-alice", user.get("uid"));
        assertEquals(List.of("realm:admin", "realm:dev", "system:authenticated"), user.get("groups"));
        Map<String, Object> extra = JSONObjectUtils.getJSONObject(user, "extra");
        assertEquals(List.of("blue"), extra.get("example.org/tenant"));
        // The provider sets a jti, which Kubernetes records as the credential id.
        assertTrue(String.valueOf(extra.get("authentication.kubernetes.io/credential-id")).startsWith("[JTI="), extra::toString);
        assertEquals(2, extra.size(), extra::toString);
    }

    @Test
    void theClaimRuleAndTheUserRuleRefuse() throws Exception {
        assertEquals(201, reviewOnceReady(token("carol", "blue")).statusCode(), "the provider is ready");
        assertEquals(401, review(token("bob", "suspended")).statusCode(), "claim rule: tenant is suspended");
        assertEquals(401, review(token("system-admin", "blue")).statusCode(), "user rule: realm:system… refused");
    }

    @Test
    void explainWaitsForTheFirstKeysThenJudges() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String t = token("dave", "green");
        int code = GatewayMain.run(List.of("explain", "--authentication-config=" + config, "--token", t),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(out, true, StandardCharsets.UTF_8),
                new CountDownLatch(0));
        String text = out.toString(StandardCharsets.UTF_8);
        assertEquals(0, code, text);
        assertTrue(text.contains("=> authenticated as realm:dave"), text);
        assertFalse(text.contains(t), "explain never prints the credential");
    }

    @Test
    void explainNamesAnIssuerThatNeverAnswers() throws Exception {
        String silent = "https://127.0.0.1:9/realm";
        Path silentConfig = Files.writeString(dir.resolve("silent.yaml"), String.join("\n",
                "apiVersion: apiserver.config.k8s.io/v1",
                "kind: AuthenticationConfiguration",
                "jwt:",
                "- issuer: {url: '" + silent + "', audiences: [gatehouse]}",
                "  claimMappings: {username: {expression: 'claims.sub'}}",
                ""));
        String forged = LogCapture.secret(String.join(".", b64("{\"alg\":\"RS256\",\"kid\":\"k\"}"),
                b64("{\"iss\":\"" + silent + "\",\"aud\":\"gatehouse\",\"sub\":\"x\"}"), b64("sig")));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code = GatewayMain.run(List.of("explain", "--authentication-config=" + silentConfig, "--key-wait=1s",
                        "--token", forged), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(out, true, StandardCharsets.UTF_8), new CountDownLatch(0));
        String text = out.toString(StandardCharsets.UTF_8);
        assertEquals(1, code, text);
        assertTrue(text.contains("waiting up to 1s for the first key fetch of oidc (issuer \"" + silent + "\")"), text);
        assertTrue(text.contains("oidc (issuer \"" + silent + "\") has no keys after 1s: the issuer never answered"), text);
        assertTrue(text.contains("NOT_INITIALIZED"), text);
        assertFalse(text.contains(forged), "explain never prints the credential");
    }

    private static String b64(String s) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }
}
