package io.gatehouse.oidc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.gatehouse.core.AuthenticationResult.Abstained;
import io.gatehouse.core.AuthenticationResult.Authenticated;
import io.gatehouse.core.AuthenticationResult.Rejected;
import io.gatehouse.core.AuthenticationResult;
import io.gatehouse.core.RejectionReason;
import io.gatehouse.core.testing.LogCapture;
import io.gatehouse.testing.JwtFixtures;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/** Issuer peek routing across many issuers, abstentions, and the never-throw contract. */
class IssuerRoutingTest {

    static final Instant NOW = Instant.parse("2009-11-10T23:00:00Z");
    static final int ISSUERS = 300;
    static final KeyPair KEY = JwtFixtures.k8sKey("rsa_1");
    static final OidcAuthenticator AUTH = build();

    static OidcAuthenticator build() {
        OidcAuthenticator.Builder b = OidcAuthenticator.builder().clock(Clock.fixed(NOW, ZoneOffset.UTC));
        for (int i = 0; i < ISSUERS; i++) {
            b.issuer(JwtIssuer.builder("https://idp" + i + ".example.com/" + (i % 2 == 0 ? "" : "realm"))
                    .audiences("my-client").username("sub", "idp" + i + ":").staticKey("k", KEY.getPublic()).build());
        }
        return b.build();
    }

    static String token(String iss, String sub) {
        return JwtFixtures.sign(KEY, "RS256", "k", "{\"iss\":\"" + iss + "\",\"aud\":\"my-client\",\"sub\":\"" + sub
                + "\",\"exp\":" + (NOW.getEpochSecond() + 600) + "}");
    }

    @Test
    void eachTokenReachesItsOwnIssuerAmongMany() {
        for (int i : new int[] {0, 1, 150, 299}) {
            String iss = "https://idp" + i + ".example.com/" + (i % 2 == 0 ? "" : "realm");
            Authenticated a = assertInstanceOf(Authenticated.class, AUTH.authenticate(token(iss, "jane"), List.of()));
            assertEquals("idp" + i + ":jane", a.user().name());
        }
    }

    @Test
    void class16_issuerMatchIsExactIncludingTrailingSlash() {
        assertInstanceOf(Abstained.class, AUTH.authenticate(token("https://idp0.example.com", "jane"), List.of()));
        assertInstanceOf(Abstained.class, AUTH.authenticate(token("https://idp1.example.com/realm/", "jane"), List.of()));
        assertInstanceOf(Abstained.class, AUTH.authenticate(token("https://IDP2.example.com/", "jane"), List.of()));
    }

    @Test
    void foreignAndNonJwtCredentialsAbstain() {
        String good = token("https://idp0.example.com/", "jane");
        String[] p = good.split("\\.");
        for (String t : List.of(token("https://unknown.example.com", "jane"),
                "{\"payload\":\"" + p[1] + "\",\"protected\":\"" + p[0] + "\",\"signature\":\"" + p[2] + "\"}",
                LogCapture.secret("abcdef.0123456789abcdef"), LogCapture.secret("static-token-value-123"),
                JwtFixtures.sign(KEY, "RS256", "k", "{\"sub\":\"no-issuer\"}"),
                JwtFixtures.sign(KEY, "RS256", "k", "{\"iss\":42}"),
                good + "x".repeat(20_000))) {
            assertInstanceOf(Abstained.class, AUTH.authenticate(t, List.of()));
        }
    }

    @Test
    void malformedTokenOfAKnownIssuerIsRejectedNotPassedOn() {
        String token = JwtFixtures.signRaw(KEY, "RS256", "{\"alg\":\"RS256\",\"kid\":\"k\",\"crit\":[\"x\"]}",
                "{\"iss\":\"https://idp0.example.com/\",\"aud\":\"my-client\",\"sub\":\"jane\",\"exp\":" + (NOW.getEpochSecond() + 600) + "}");
        Rejected r = assertInstanceOf(Rejected.class, AUTH.authenticate(token, List.of()));
        assertEquals(RejectionReason.MALFORMED, r.reason());
        assertEquals("oidc: verify token: oidc: malformed jwt: critical header parameters are not supported", r.message());
        String none = JwtFixtures.b64("{\"alg\":\"none\"}") + "." + JwtFixtures.b64("{\"iss\":\"https://idp0.example.com/\"}") + ".c2ln";
        Rejected n = assertInstanceOf(Rejected.class, AUTH.authenticate(none, List.of()));
        assertEquals(RejectionReason.DISALLOWED_ALGORITHM, n.reason());
    }

    /** security.md class 17: names are used byte for byte, never normalised. */
    @Test
    void class17_lookalikeNamesAreNotNormalised() {
        Authenticated a = assertInstanceOf(Authenticated.class,
                AUTH.authenticate(token("https://idp0.example.com/", "system\uFF1Amasters"), List.of()));
        assertEquals("idp0:system\uFF1Amasters", a.user().name());
        Authenticated b = assertInstanceOf(Authenticated.class,
                AUTH.authenticate(token("https://idp0.example.com/", "system:mastere\u0301"), List.of()));
        assertEquals("idp0:system:mastere\u0301", b.user().name());
    }

    @Property(tries = 300)
    void neverThrowsForAnyToken(@ForAll("mutatedTokens") String token) {
        AuthenticationResult r = AUTH.authenticate(token, List.of());
        assertNotNull(r);
    }

    @Provide
    Arbitrary<String> mutatedTokens() {
        String good = token("https://idp0.example.com/", "jane");
        return Arbitraries.integers().between(0, good.length() - 1).tuple2().flatMap(t ->
                Arbitraries.chars().ascii().map(c -> {
                    StringBuilder sb = new StringBuilder(good);
                    sb.setCharAt(t.get1(), c);
                    return sb.substring(0, Math.max(1, Math.min(sb.length(), t.get2() + good.length() / 2)));
                }));
    }
}
