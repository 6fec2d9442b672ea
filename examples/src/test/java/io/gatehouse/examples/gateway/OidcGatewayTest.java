package io.gatehouse.examples.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The gateway with kube-apiserver's --oidc-* flags against a real HTTPS identity provider on loopback. */
class OidcGatewayTest {

    @TempDir
    static Path dir;

    static HttpsServer idp;
    static GatewayMain.Running gateway;
    static HttpClient client;
    static String issuer;
    static KeyPair signing;
    static String base;

    @BeforeAll
    static void start() throws Exception {
        DemoEnvironment demo = DemoEnvironment.create(dir, Instant.now());
        SSLContext serving = ServingTls.context(Pem.readCertificates(demo.servingCert), Pem.readPrivateKey(demo.servingKey),
                new io.gatehouse.x509.DeferringTrustManager(List::of));
        idp = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        idp.setHttpsConfigurator(new HttpsConfigurator(serving));
        issuer = "https://127.0.0.1:" + idp.getAddress().getPort();
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        signing = g.generateKeyPair();
        String jwks = new JWKSet(new RSAKey.Builder((RSAPublicKey) signing.getPublic()).keyID("k1").build()).toString();
        String discovery = "{\"issuer\":\"" + issuer + "\",\"jwks_uri\":\"" + issuer + "/jwks\"}";
        idp.createContext("/.well-known/openid-configuration", ex -> reply(ex, discovery));
        idp.createContext("/jwks", ex -> reply(ex, jwks));
        idp.start();

        gateway = GatewayMain.start(GatewayFlags.parse(List.of("--bind-address=127.0.0.1", "--secure-port=0",
                "--tls-cert-file=" + demo.servingCert, "--tls-private-key-file=" + demo.servingKey,
                "--oidc-issuer-url=" + issuer, "--oidc-client-id=gateway", "--oidc-ca-file=" + demo.caFile,
                "--oidc-username-claim=email", "--oidc-groups-claim=groups", "--oidc-groups-prefix=oidc:"),
                Set.of(), new LinkedHashMap<>()));
        base = "https://127.0.0.1:" + gateway.port();
        client = TestClients.trusting(demo.caFile);
    }

    @AfterAll
    static void stop() {
        if (gateway != null) {
            gateway.close();
        }
        if (idp != null) {
            idp.stop(0);
        }
    }

    private static void reply(com.sun.net.httpserver.HttpExchange ex, String body) throws java.io.IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(200, b.length);
        ex.getResponseBody().write(b);
        ex.close();
    }

    private static String token(String audience, Instant expiry) throws Exception {
        JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(issuer).audience(audience).subject("u-1")
                .claim("email", "alice@example.com").claim("email_verified", true)
                .claim("groups", List.of("dev", "ops")).issueTime(Date.from(Instant.now()))
                .expirationTime(Date.from(expiry)).build();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("k1").type(JOSEObjectType.JWT).build(), claims);
        jwt.sign(new RSASSASigner((RSAPrivateKey) signing.getPrivate()));
        return jwt.serialize();
    }

    private static HttpResponse<String> whoami(String token) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(base + GatewayServer.SELF_SUBJECT_REVIEWS))
                .header("Authorization", "Bearer " + token).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void anIdTokenFromTheProviderAuthenticates() throws Exception {
        String good = token("gateway", Instant.now().plus(Duration.ofMinutes(5)));
        HttpResponse<String> r = whoami(good);
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (r.statusCode() == 401 && System.nanoTime() < deadline) {
            // Keys are fetched in the background; until then the issuer is not initialised.
            Thread.sleep(100);
            r = whoami(good);
        }
        assertEquals(201, r.statusCode(), r.body());
        Map<String, Object> userInfo = JSONObjectUtils.getJSONObject(
                JSONObjectUtils.getJSONObject(JSONObjectUtils.parse(r.body()), "status"), "userInfo");
        assertEquals("alice@example.com", userInfo.get("username"), "the email claim needs no prefix, as in Kubernetes");
        assertEquals(List.of("oidc:dev", "oidc:ops", "system:authenticated"), userInfo.get("groups"));

        assertEquals(401, whoami(token("someone-else", Instant.now().plus(Duration.ofMinutes(5)))).statusCode());
        assertEquals(401, whoami(token("gateway", Instant.now().minusSeconds(5))).statusCode());
    }
}
