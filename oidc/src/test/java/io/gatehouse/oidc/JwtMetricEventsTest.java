package io.gatehouse.oidc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.gatehouse.core.AuthenticationResult.Abstained;
import io.gatehouse.core.AuthenticationResult.Authenticated;
import io.gatehouse.core.AuthenticationResult.Rejected;
import io.gatehouse.core.testing.MetricEventsListener;
import io.gatehouse.core.testing.MutableClock;
import io.gatehouse.testing.JwtFixtures;
import io.gatehouse.testing.ScriptedIdp;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The JWT authenticator's metric events where Kubernetes records its metrics: latency per issuer hash and result,
 * never for a token of another issuer; JWKS fetch results for the {@code jwks_uri} only, with the body's hash.
 */
class JwtMetricEventsTest {

    final MetricEventsListener metrics = new MetricEventsListener();
    final MutableClock clock = new MutableClock(JwksFetchTest.NOW);
    final KeyPair k1 = JwtFixtures.k8sKey("rsa_1");
    final KeyPair k2 = JwtFixtures.k8sKey("rsa_2");
    final List<AutoCloseable> closeMe = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : closeMe) {
            c.close();
        }
    }

    ScriptedIdp idp() throws Exception {
        ScriptedIdp idp = new ScriptedIdp();
        closeMe.add(idp);
        return idp;
    }

    OidcAuthenticator start(JwtIssuer issuer) {
        OidcAuthenticator a = OidcAuthenticator.builder().issuer(issuer).clock(clock).listener(metrics)
                .retryBackoff(Duration.ofMillis(20), Duration.ofMillis(100))
                .fetchTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(2)).build();
        closeMe.add(a);
        return a;
    }

    static JwtIssuer issuer(String url) {
        return JwtIssuer.builder(url).audiences("my-client").username("username", "")
                .certificateAuthority(ScriptedIdp.caPem()).build();
    }

    String token(String iss, KeyPair key, String kid) {
        return JwtFixtures.sign(key, "RS256", kid, "{\"iss\":\"" + iss + "\",\"aud\":\"my-client\",\"username\":\"jane\",\"exp\":"
                + (JwksFetchTest.NOW.getEpochSecond() + 4 * 3600) + "}");
    }

    static String label(String s) throws Exception {
        return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(s.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void latencyIsReportedPerIssuerHashButNotForAnotherIssuersToken() throws Exception {
        String body = "{\"keys\":[" + JwtFixtures.publicJwk(k1.getPublic(), "k1").toJSONString() + "]}";
        ScriptedIdp idp = idp().answer("/jwks", ScriptedIdp.Answer.json(body));
        String iss = idp.issuer("a");
        idp.discovery("/a/.well-known/openid-configuration", iss);
        OidcAuthenticator auth = start(issuer(iss));
        JwksFetchTest.await(() -> JwksFetchTest.healthy(auth), "keys");
        String h = label(iss);
        assertEquals(List.of("jwksFetched " + h + " success " + label(body)), metrics.eventsStartingWith("jwksFetched"));

        assertInstanceOf(Authenticated.class, auth.authenticate(token(iss, k1, "k1"), List.of()));
        assertInstanceOf(Rejected.class, auth.authenticate(token(iss, k2, "k1"), List.of()));     // bad signature
        assertInstanceOf(Abstained.class, auth.authenticate(token("https://other.example", k1, "k1"), List.of()));
        assertInstanceOf(Abstained.class, auth.authenticate("not-a-jwt", List.of()));
        assertEquals(List.of("jwtAuthenticatorLatency " + h + " success", "jwtAuthenticatorLatency " + h + " failure"),
                metrics.eventsStartingWith("jwtAuthenticatorLatency"));
    }

    @Test
    void aFailedJwksRequestIsAFailedFetchButAFailedDiscoveryIsNone() throws Exception {
        ScriptedIdp idp = idp().answer("/jwks", new ScriptedIdp.Answer(500, "{}", Map.of(), Duration.ZERO));
        String iss = idp.issuer("b");
        idp.discovery("/b/.well-known/openid-configuration", iss);
        OidcAuthenticator auth = start(issuer(iss));
        JwksFetchTest.await(() -> !metrics.eventsStartingWith("jwksFetched").isEmpty(), "a JWKS fetch");
        assertEquals("jwksFetched " + label(iss) + " failure", metrics.eventsStartingWith("jwksFetched").get(0));

        String lost = idp.issuer("no-discovery");
        idp.answer("/no-discovery/.well-known/openid-configuration", new ScriptedIdp.Answer(404, "{}", Map.of(), Duration.ZERO));
        OidcAuthenticator undiscovered = start(issuer(lost));
        JwksFetchTest.await(() -> undiscovered.health().get(0).lastError() != null, "a failed discovery");
        assertEquals(List.of(), metrics.eventsStartingWith("jwksFetched " + label(lost)));
        // Until keys arrive a token of the issuer is still judged (rejected) and timed, as Kubernetes does.
        assertInstanceOf(Rejected.class, undiscovered.authenticate(token(lost, k1, "k1"), List.of()));
        assertEquals(List.of("jwtAuthenticatorLatency " + label(lost) + " failure"),
                metrics.eventsStartingWith("jwtAuthenticatorLatency " + label(lost)));
        auth.close();
    }
}
