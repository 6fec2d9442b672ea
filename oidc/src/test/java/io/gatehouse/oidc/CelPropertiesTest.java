package io.gatehouse.oidc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gatehouse.core.AuthenticationResult;
import io.gatehouse.core.UserInfo;
import io.gatehouse.testing.JwtFixtures;

import com.nimbusds.jose.util.JSONObjectUtils;
import java.security.KeyPair;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * CEL mappings against arbitrary claim documents: never an exception, always a verdict, and the realistic
 * Keycloak mapping agrees with a plain-Java model of it. Hostile claims end in the cost-limit rejection.
 */
class CelPropertiesTest {

    static final KeyPair KEY = JwtFixtures.k8sKey("rsa_1");
    static final String KID = JwtFixtures.thumbprintHex(KEY.getPublic());

    /** The README's Keycloak mapping: realm roles become groups, the preferred username the name. */
    static OidcAuthenticator keycloak() {
        JwtIssuer issuer = JwtIssuer.builder(TokenTableTest.ISS).audiences("my-client")
                .usernameExpression("claims.?preferred_username.orValue(claims.sub)")
                .groupsExpression("claims.?realm_access.roles.orValue([]).map(r, 'kc:' + r)")
                .claimValidationRule("claims.?tenant.orValue('') != 'blocked'", "tenant is blocked")
                .extra("example.org/tenant", "claims.?tenant.orValue('')")
                .staticKey(KID, KEY.getPublic()).build();
        return OidcAuthenticator.builder().issuer(issuer).clock(Clock.fixed(TokenTableTest.NOW, ZoneOffset.UTC)).build();
    }

    static String token(Map<String, Object> extraClaims) {
        Map<String, Object> claims = new LinkedHashMap<>(extraClaims);
        claims.put("iss", TokenTableTest.ISS);
        claims.put("aud", "my-client");
        claims.put("exp", TokenTableTest.VALID);
        return JwtFixtures.sign(KEY, "RS256", KID, JSONObjectUtils.toJSONString(claims));
    }

    @Provide
    Arbitrary<Object> json() {
        Arbitrary<Object> leaf = Arbitraries.oneOf(Arbitraries.strings().ofMaxLength(8).map(o -> (Object) o),
                Arbitraries.longs().map(o -> (Object) o), Arbitraries.of(true, false).map(o -> (Object) o),
                Arbitraries.just(null));
        return Arbitraries.recursive(() -> leaf, inner -> Arbitraries.oneOf(
                inner.list().ofMaxSize(4).map(o -> (Object) o),
                Arbitraries.maps(Arbitraries.of("roles", "sub", "realm_access", "x", "tenant"), inner).ofMaxSize(4).map(o -> (Object) o)), 4);
    }

    @Property(tries = 200)
    void arbitraryClaimsGiveAVerdictThatMatchesThePlainJavaModel(@ForAll("json") Object realmAccess, @ForAll("json") Object sub,
                                                                 @ForAll("json") Object tenant) {
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("realm_access", realmAccess);
        claims.put("sub", sub);
        claims.put("tenant", tenant);
        try (OidcAuthenticator auth = keycloak()) {
            AuthenticationResult r = auth.authenticate(token(claims), List.of());
            UserInfo expected = model(claims);
            if (expected == null) {
                assertInstanceOf(AuthenticationResult.Rejected.class, r, r.toString());
            } else {
                assertEquals(expected, assertInstanceOf(AuthenticationResult.Authenticated.class, r, r.toString()).user());
            }
        }
    }

    /** What the Keycloak mapping means, in Java; null when Kubernetes would reject the token. */
    static UserInfo model(Map<String, Object> claims) {
        if (!(claims.get("sub") instanceof String name) || name.isEmpty()) {
            return null;
        }
        List<String> groups = new ArrayList<>();
        if (claims.get("realm_access") instanceof Map<?, ?> realm && realm.containsKey("roles")) {
            if (!(realm.get("roles") instanceof List<?> roles)) {
                return null;
            }
            for (Object role : roles) {
                if (!(role instanceof String s)) {
                    return null;
                }
                groups.add("kc:" + s);
            }
        } else if (claims.get("realm_access") != null && !(claims.get("realm_access") instanceof Map)) {
            return null;
        }
        Object tenant = claims.get("tenant");
        if (!(tenant instanceof String t)) {
            return null;
        }
        if (t.equals("blocked")) {
            return null;
        }
        return new UserInfo(name, "", groups, t.isEmpty() ? Map.of() : Map.of("example.org/tenant", List.of(t)));
    }

    @Test
    void keycloakRealmRolesBecomeGroups() {
        try (OidcAuthenticator auth = keycloak()) {
            AuthenticationResult r = auth.authenticate(token(Map.of("sub", "f:1", "preferred_username", "jane",
                    "realm_access", Map.of("roles", List.of("admin", "dev")), "tenant", "acme")), List.of());
            assertEquals(new UserInfo("jane", "", List.of("kc:admin", "kc:dev"), Map.of("example.org/tenant", List.of("acme"))),
                    assertInstanceOf(AuthenticationResult.Authenticated.class, r, r.toString()).user());
            AuthenticationResult blocked = auth.authenticate(token(Map.of("sub", "x", "tenant", "blocked")), List.of());
            assertEquals("oidc: error evaluating claim validation expression: validation expression "
                    + "'claims.?tenant.orValue('') != 'blocked'' failed: tenant is blocked",
                    assertInstanceOf(AuthenticationResult.Rejected.class, blocked).message());
        }
    }

    @Test
    void hostileClaimsEndInTheCostLimitRejection() {
        JwtIssuer issuer = JwtIssuer.builder(TokenTableTest.ISS).audiences("my-client").username("sub", "")
                .groupsExpression("claims.l.map(x, claims.l.map(y, 'g')).map(z, 'g')")
                .staticKey(KID, KEY.getPublic()).build();
        List<Long> big = new ArrayList<>();
        for (long i = 0; i < 1500; i++) {
            big.add(i);
        }
        try (OidcAuthenticator auth = OidcAuthenticator.builder().issuer(issuer)
                .clock(Clock.fixed(TokenTableTest.NOW, ZoneOffset.UTC)).maxTokenLength(1 << 16).build()) {
            AuthenticationResult r = auth.authenticate(token(Map.of("sub", "jane", "l", big)), List.of());
            String m = assertInstanceOf(AuthenticationResult.Rejected.class, r, r.toString()).message();
            assertTrue(m.endsWith("resulted in error: operation cancelled: actual cost limit exceeded"), m);
        }
    }
}
