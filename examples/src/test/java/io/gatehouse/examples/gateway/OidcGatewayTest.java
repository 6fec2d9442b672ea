package io.gatehouse.examples.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.gatehouse.testing.ScriptedIdp;
import io.gatehouse.testing.TestPki;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.interfaces.RSAPrivateKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The gateway with kube-apiserver's --oidc-* flags against a real HTTPS identity provider on loopback. */
class OidcGatewayTest {

    @TempDir
    static Path dir;

    static ScriptedIdp idp;
    static GatewayMain.Running gateway;
    static HttpClient client;
    static String issuer;
    static KeyPair signing;
    static String base;

    @BeforeAll
    static void start() throws Exception {
        DemoEnvironment demo = DemoEnvironment.create(dir, Instant.now());
        idp = new ScriptedIdp();
        issuer = idp.url();
        signing = TestPki.rsaKey();
        idp.keys(Map.of("k1", signing));
        Path idpCa = Files.writeString(dir.resolve("idp-ca.pem"), ScriptedIdp.caPem());

        gateway = GatewayMain.start(GatewayFlags.parse(List.of("--bind-address=127.0.0.1", "--secure-port=0",
                "--tls-cert-file=" + demo.servingCert, "--tls-private-key-file=" + demo.servingKey,
                "--oidc-issuer-url=" + issuer, "--oidc-client-id=gateway", "--oidc-ca-file=" + idpCa,
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
            idp.close();
        }
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
