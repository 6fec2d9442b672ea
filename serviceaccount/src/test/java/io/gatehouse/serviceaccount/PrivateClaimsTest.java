package io.gatehouse.serviceaccount;

import com.nimbusds.jose.JWSAlgorithm;
import io.gatehouse.core.AuthenticationResult;
import io.gatehouse.core.AuthenticationResult.Authenticated;
import io.gatehouse.core.AuthenticationResult.Rejected;
import io.gatehouse.core.testing.MutableClock;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

/**
 * Kubernetes' TestValidatePrivateClaims (claims_test.go): now fixed at 1514764800 (2018-01-01T00:00:00Z),
 * a token for ns/saname (uid sauid) whose exp defaults to exactly now, the objects in an in-memory registry.
 */
class PrivateClaimsTest {

    private static final long NOW = 1514764800L;
    private static final String ISSUER = "https://issuer.example";

    /** One case: how to change the token's claims and the registry's objects, and the expected error (null: accepted). */
    record Case(String name, Consumer<Map<String, Object>> token, Consumer<InMemoryServiceAccountRegistry> objects, String error) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Arguments> cases() {
        List<Case> c = new ArrayList<>();
        c.add(new Case("good", t -> { }, r -> { }, null));
        c.add(new Case("expired", t -> t.put("exp", NOW - 1000 * 3600), r -> { }, "service account token has expired"));
        c.add(new Case("not yet valid", t -> t.put("nbf", NOW + 1000 * 3600), r -> { }, "service account token is not valid yet"));
        c.add(new Case("issued in the future", t -> t.put("iat", NOW + 61), r -> { }, "service account token is issued in the future"));
        c.add(new Case("missing serviceaccount", t -> { }, r -> r.removeServiceAccount("ns", "saname"), "serviceaccounts \"saname\" not found"));
        c.add(new Case("missing secret", PrivateClaimsTest::secretRef, r -> r.removeSecret("ns", "secret"),
                "service account token has been invalidated"));
        c.add(new Case("missing pod", PrivateClaimsTest::podRef, r -> r.removePod("ns", "pod"), "service account token has been invalidated"));
        c.add(new Case("missing node", PrivateClaimsTest::nodeRef, r -> r.removeNode("node"), "service account token has been invalidated"));
        c.add(new Case("different uid serviceaccount", t -> k8s(t).put("serviceaccount", Map.of("name", "saname", "uid", "sauidold")),
                r -> { }, "service account UID (sauid) does not match claim (sauidold)"));
        c.add(new Case("different uid secret", t -> k8s(t).put("secret", Map.of("name", "secret", "uid", "secretuidold")), r -> { },
                "secret UID (secretuid) does not match service account secret ref claim (secretuidold)"));
        c.add(new Case("different uid pod", t -> k8s(t).put("pod", Map.of("name", "pod", "uid", "poduidold")), r -> { },
                "pod UID (poduid) does not match service account pod ref claim (poduidold)"));
        c.add(new Case("different uid node", t -> k8s(t).put("node", Map.of("name", "node", "uid", "nodeuidold")), r -> { },
                "node UID (nodeuid) does not match service account node ref claim (nodeuidold)"));
        for (long offset : new long[] {0, -1, 1, -60}) {
            Instant at = Instant.ofEpochSecond(NOW + offset);
            c.add(new Case("sa deleted at now" + offset, t -> { },
                    r -> r.put(new ServiceAccountRecord("ns", "saname", "sauid", at, List.of())), null));
            c.add(new Case("secret deleted at now" + offset, PrivateClaimsTest::secretRef,
                    r -> r.put(new SecretRecord("ns", "secret", "secretuid", at, Map.of(), null)), null));
            c.add(new Case("pod deleted at now" + offset, PrivateClaimsTest::podRef,
                    r -> r.put(new PodRecord("ns", "pod", "poduid", at)), null));
        }
        Instant deleted = Instant.ofEpochSecond(NOW - 61);
        c.add(new Case("sa deleted at now-61", t -> { }, r -> r.put(new ServiceAccountRecord("ns", "saname", "sauid", deleted, List.of())),
                "service account ns/saname has been deleted"));
        c.add(new Case("secret deleted at now-61", PrivateClaimsTest::secretRef,
                r -> r.put(new SecretRecord("ns", "secret", "secretuid", deleted, Map.of(), null)), "service account token has been invalidated"));
        c.add(new Case("pod deleted at now-61", PrivateClaimsTest::podRef, r -> r.put(new PodRecord("ns", "pod", "poduid", deleted)),
                "service account token has been invalidated"));
        c.add(new Case("node deleted at now-61", PrivateClaimsTest::nodeRef, r -> r.put(new NodeRecord("node", "nodeuid", deleted)),
                "service account token has been invalidated"));
        return c.stream().map(Arguments::of);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> k8s(Map<String, Object> claims) {
        return (Map<String, Object>) claims.get("kubernetes.io");
    }

    private static void secretRef(Map<String, Object> t) {
        k8s(t).put("secret", Map.of("name", "secret", "uid", "secretuid"));
    }

    private static void podRef(Map<String, Object> t) {
        k8s(t).put("pod", Map.of("name", "pod", "uid", "poduid"));
    }

    private static void nodeRef(Map<String, Object> t) {
        k8s(t).put("node", Map.of("name", "node", "uid", "nodeuid"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void validatePrivateClaims(Case c) {
        Map<String, Object> claims = Fixtures.boundClaims(ISSUER, List.of("api"), NOW, NOW, "ns", "saname", "sauid",
                null, null, null, null);
        claims.put("kubernetes.io", new java.util.LinkedHashMap<>(k8s(claims)));
        c.token().accept(claims);
        String token = Fixtures.sign(Fixtures.rsaPair().getPrivate(), JWSAlgorithm.RS256, Fixtures.RSA_KID, claims);

        InMemoryServiceAccountRegistry registry = new InMemoryServiceAccountRegistry()
                .put(ServiceAccountRecord.of("ns", "saname", "sauid"))
                .put(new SecretRecord("ns", "secret", "secretuid", null, Map.of(), null))
                .put(new PodRecord("ns", "pod", "poduid", null))
                .put(new NodeRecord("node", "nodeuid", null));
        c.objects().accept(registry);

        ServiceAccountTokenAuthenticator auth = ServiceAccountTokenAuthenticator.builder()
                .keys(List.of(Fixtures.rsaPublic()))
                .issuers(List.of(ISSUER))
                .apiAudiences(List.of("api"))
                .lookup(registry)
                .clock(new MutableClock(Instant.ofEpochSecond(NOW)))
                .build();
        AuthenticationResult result = auth.authenticate(token, List.of());
        if (c.error() == null) {
            Authenticated ok = assertInstanceOf(Authenticated.class, result, result::toString);
            assertEquals("system:serviceaccount:ns:saname", ok.user().name());
        } else {
            assertEquals(c.error(), assertInstanceOf(Rejected.class, result, result::toString).message());
        }
    }
}
