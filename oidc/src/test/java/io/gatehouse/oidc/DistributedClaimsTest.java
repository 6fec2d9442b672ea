package io.gatehouse.oidc;

import io.gatehouse.core.AuthenticationResult.Authenticated;
import io.gatehouse.core.AuthenticationResult.Rejected;
import io.gatehouse.core.AuthenticationResult;
import io.gatehouse.core.UserInfo;
import io.gatehouse.testing.JwtFixtures;
import io.gatehouse.testing.ScriptedIdp;
import java.security.KeyPair;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * TestToken's distributed-claims cases (8, 9, 12-16, 18, 37) against a real HTTPS endpoint on 127.0.0.1;
 * {@code {{.URL}}} is the scripted provider. Case 9 (a broken HTTP client) becomes an endpoint whose TLS
 * certificate is not trusted.
 */
class DistributedClaimsTest {

    static ScriptedIdp idp;
    static String url;
    static final KeyPair KEY = JwtFixtures.k8sKey("rsa_1");
    static final String KID = JwtFixtures.thumbprintHex(KEY.getPublic());
    static final long VALID = TokenTableTest.VALID;

    @BeforeAll
    static void start() throws Exception {
        idp = new ScriptedIdp();
        url = idp.url();
    }

    @AfterAll
    static void stop() {
        idp.close();
    }

    static String sign(String json) {
        return JwtFixtures.sign(KEY, "RS256", KID, json.replace("URL", url).replace("VALID", Long.toString(VALID))
                .replace("EXPIRED", Long.toString(TokenTableTest.EXPIRED)));
    }

    AuthenticationResult run(String groupsClaim, String usernamePrefix, String groupsPrefix, boolean trustCa, String endpointPath,
                             String endpointJwtClaims, String tokenClaims) throws Exception {
        idp.answer(endpointPath, ScriptedIdp.Answer.json(sign(endpointJwtClaims)));
        JwtIssuer.Builder b = JwtIssuer.builder(url).audiences("my-client").signingAlgorithms(List.of("RS256"))
                .username("username", usernamePrefix).groups(groupsClaim, groupsPrefix).staticKey(KID, KEY.getPublic());
        if (trustCa) {
            b.certificateAuthority(ScriptedIdp.caPem());
        }
        try (OidcAuthenticator a = OidcAuthenticator.builder().issuer(b.build())
                .clock(Clock.fixed(TokenTableTest.NOW, ZoneOffset.UTC)).build()) {
            return a.authenticate(sign(tokenClaims), List.of());
        }
    }

    static final String DISTRIBUTED = "{\"iss\":\"URL\",\"aud\":\"my-client\",\"username\":\"jane\",\"_claim_names\":{\"groups\":\"src1\"},"
            + "\"_claim_sources\":{\"src1\":{\"endpoint\":\"URL/groups\",\"access_token\":\"groups_token\"}},\"exp\":VALID}";

    static UserInfo user(String name, List<String> groups) {
        return new UserInfo(name, "", groups, Map.of());
    }

    @Test
    void case08_groupsDistributed() throws Exception {
        AuthenticationResult r = run("groups", "", "", true, "/groups",
                "{\"iss\":\"URL\",\"aud\":\"my-client\",\"groups\":[\"team1\",\"team2\"],\"exp\":VALID}", DISTRIBUTED);
        assertEquals(user("jane", List.of("team1", "team2")), assertInstanceOf(Authenticated.class, r, r.toString()).user());
        assertEquals("Bearer groups_token", idp.lastAuthorization("/groups"));
    }

    @Test
    void case09_untrustedEndpointFailsTheRequest() throws Exception {
        AuthenticationResult r = run("groups", "", "", false, "/groups",
                "{\"iss\":\"URL\",\"aud\":\"my-client\",\"groups\":[\"team1\",\"team2\"],\"exp\":VALID}", DISTRIBUTED);
        String m = assertInstanceOf(Rejected.class, r).message();
        assertTrue(m.startsWith("oidc: could not expand distributed claims: while getting distributed claim \"groups\": Get \""
                + url + "/groups\": "), m);
    }

    @Test
    void case12_distributedJwtWithoutTheClaim() throws Exception {
        AuthenticationResult r = run("groups", "", "", true, "/groups",
                "{\"iss\":\"URL\",\"aud\":\"my-client\",\"exp\":VALID}", DISTRIBUTED);
        assertEquals("oidc: could not expand distributed claims: jwt returned by distributed claim endpoint \"" + url
                + "/groups\" did not contain claim: groups", assertInstanceOf(Rejected.class, r).message());
    }

    @Test
    void case13_unusualName() throws Exception {
        AuthenticationResult r = run("rabbits", "", "", true, "/rabbits",
                "{\"iss\":\"URL\",\"aud\":\"my-client\",\"rabbits\":[\"team1\",\"team2\"],\"exp\":VALID}",
                "{\"iss\":\"URL\",\"aud\":\"my-client\",\"username\":\"jane\",\"_claim_names\":{\"rabbits\":\"src1\"},"
                        + "\"_claim_sources\":{\"src1\":{\"endpoint\":\"URL/rabbits\",\"access_token\":\"rabbits_token\"}},\"exp\":VALID}");
        assertEquals(user("jane", List.of("team1", "team2")), assertInstanceOf(Authenticated.class, r, r.toString()).user());
        assertEquals("Bearer rabbits_token", idp.lastAuthorization("/rabbits"));
    }

    @Test
    void case14_wrongAudience() throws Exception {
        AuthenticationResult r = run("groups", "", "", true, "/groups",
                "{\"iss\":\"URL\",\"aud\":\"your-client\",\"groups\":[\"team1\",\"team2\"],\"exp\":VALID}", DISTRIBUTED);
        assertEquals("oidc: could not expand distributed claims: verify distributed claim token: oidc: expected audience "
                + "\"my-client\" got [\"your-client\"]", assertInstanceOf(Rejected.class, r).message());
    }

    @Test
    void case15_expiredToken() throws Exception {
        AuthenticationResult r = run("groups", "", "", true, "/groups",
                "{\"iss\":\"URL\",\"aud\":\"my-client\",\"groups\":[\"team1\",\"team2\"],\"exp\":EXPIRED}", DISTRIBUTED);
        assertEquals("oidc: could not expand distributed claims: verify distributed claim token: oidc: token is expired "
                + "(Token Expiry: 2009-11-10 22:00:00 +0000 UTC)", assertInstanceOf(Rejected.class, r).message());
    }

    @Test
    void case16_normalClaimWins() throws Exception {
        int before = idp.hits("/groups");
        AuthenticationResult r = run("groups", "", "", true, "/groups",
                "{\"iss\":\"URL\",\"aud\":\"my-client\",\"groups\":[\"team2\"],\"exp\":VALID}",
                DISTRIBUTED.replace("\"username\":\"jane\",", "\"username\":\"jane\",\"groups\":\"team1\","));
        assertEquals(user("jane", List.of("team1")), assertInstanceOf(Authenticated.class, r, r.toString()).user());
        assertEquals(before, idp.hits("/groups"), "no fetch when the claim is present");
    }

    @Test
    void case18_groupStringClaimDistributed() throws Exception {
        AuthenticationResult r = run("groups", "", "", true, "/groups",
                "{\"iss\":\"URL\",\"aud\":\"my-client\",\"groups\":\"team1\",\"exp\":VALID}", DISTRIBUTED);
        assertEquals(user("jane", List.of("team1")), assertInstanceOf(Authenticated.class, r, r.toString()).user());
    }

    @Test
    void case37_groupsPrefixDistributed() throws Exception {
        AuthenticationResult r = run("groups", "oidc:", "groups:", true, "/groups",
                "{\"iss\":\"URL\",\"aud\":\"my-client\",\"groups\":[\"team1\",\"team2\"],\"exp\":VALID}", DISTRIBUTED);
        assertEquals(user("oidc:jane", List.of("groups:team1", "groups:team2")),
                assertInstanceOf(Authenticated.class, r, r.toString()).user());
    }

    @Test
    void distributedJwtFromAnotherIssuerIsRefused() throws Exception {
        AuthenticationResult r = run("groups", "", "", true, "/groups",
                "{\"iss\":\"https://other.example.com\",\"aud\":\"my-client\",\"groups\":[\"x\"],\"exp\":VALID}", DISTRIBUTED);
        assertEquals("oidc: could not expand distributed claims: verifying untrusted issuer https://other.example.com failed: "
                + "distributed claims from other issuers are not supported", assertInstanceOf(Rejected.class, r).message());
    }
}
