package io.gatehouse.serviceaccount;

import com.nimbusds.jose.JWSAlgorithm;
import io.gatehouse.core.AuthenticationResult;
import io.gatehouse.core.AuthenticationResult.Abstained;
import io.gatehouse.core.AuthenticationResult.Authenticated;
import io.gatehouse.core.AuthenticationResult.Rejected;
import io.gatehouse.core.RejectionReason;
import io.gatehouse.core.testing.MutableClock;
import io.gatehouse.core.testing.RecordingListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Bound tokens: audiences, the 60 s leeway at the boundaries, user mapping, warnafter, and issuer routing. */
class BoundTokenTest {

    private static final long NOW = 1_700_000_000L;
    private static final String ISSUER = "https://kubernetes.default.svc";

    private final MutableClock clock = new MutableClock(Instant.ofEpochSecond(NOW));
    private final RecordingListener listener = new RecordingListener();

    private ServiceAccountTokenAuthenticator authenticator() {
        return ServiceAccountTokenAuthenticator.builder()
                .keys(List.of(Fixtures.rsaPublic(), Fixtures.ecdsaPublic()))
                .issuers(List.of(ISSUER, "https://old-issuer"))
                .apiAudiences(List.of("api", "vault"))
                .clock(clock)
                .listener(listener)
                .build();
    }

    private static String token(Map<String, Object> claims) {
        return Fixtures.sign(Fixtures.rsaPair().getPrivate(), JWSAlgorithm.RS256, Fixtures.RSA_KID, claims);
    }

    private static Map<String, Object> claims(List<String> aud, String[] pod, String[] secret, String[] node, Long warnAfter) {
        return Fixtures.boundClaims(ISSUER, aud, NOW, NOW + 3600, "ns", "sa", "sa-uid", pod, secret, node, warnAfter);
    }

    @ParameterizedTest(name = "token {0}, requested {1}")
    @CsvSource(delimiter = '|', value = {
            "api          | ''        | api",
            "api,other    | ''        | api",
            "vault,api    | ''        | api,vault",   // the requested (here: API) audiences' order, as Kubernetes
            "api,api      | ''        | api",
            "other        | other     | other",
            "api,other    | other,api | other,api",
    })
    void audiencesAreTheIntersection(String tokenAud, String requested, String granted) {
        AuthenticationResult r = authenticator().authenticate(token(claims(List.of(tokenAud.split(",")), null, null, null, null)),
                requested.isEmpty() ? List.of() : List.of(requested.split(",")));
        assertEquals(List.of(granted.split(",")), assertInstanceOf(Authenticated.class, r, r::toString).audiences());
    }

    @Test
    void noCommonAudienceIsKubernetesError() {
        AuthenticationResult r = authenticator().authenticate(token(claims(List.of("other", "x"), null, null, null, null)), List.of());
        Rejected rej = assertInstanceOf(Rejected.class, r);
        assertEquals(RejectionReason.WRONG_AUDIENCE, rej.reason());
        assertEquals("token audiences [\"other\" \"x\"] is invalid for the target audiences [\"api\" \"vault\"]", rej.message());
    }

    @Test
    void anExpiredTokenForAnotherAudienceIsRefusedForItsAudienceFirst() {
        // jwt.go intersects the audiences before its validator looks at the times.
        String t = token(claims(List.of("other"), null, null, null, null));
        clock.set(Instant.ofEpochSecond(NOW + 7200));
        Rejected rej = assertInstanceOf(Rejected.class, authenticator().authenticate(t, List.of()));
        assertEquals(RejectionReason.WRONG_AUDIENCE, rej.reason());
        assertEquals("token audiences [\"other\"] is invalid for the target audiences [\"api\" \"vault\"]", rej.message());
        Rejected expired = assertInstanceOf(Rejected.class, authenticator().authenticate(t, List.of("other")));
        assertEquals("service account token has expired", expired.message(), "the same token for its own audience");
    }

    @ParameterizedTest(name = "{0}s after exp")
    @CsvSource({"0, true", "60, true", "61, false", "3600, false"})
    void expiryHasSixtySecondsLeeway(long afterExp, boolean accepted) {
        ServiceAccountTokenAuthenticator auth = authenticator();
        String t = token(claims(List.of("api"), null, null, null, null));
        clock.set(Instant.ofEpochSecond(NOW + 3600 + afterExp));
        AuthenticationResult r = auth.authenticate(t, List.of());
        if (accepted) {
            assertEquals(Instant.ofEpochSecond(NOW + 3600), assertInstanceOf(Authenticated.class, r, r::toString).expiresAt());
        } else {
            assertEquals("service account token has expired", assertInstanceOf(Rejected.class, r).message());
            assertEquals(RejectionReason.EXPIRED, ((Rejected) r).reason());
        }
    }

    @ParameterizedTest(name = "{0}s before nbf")
    @CsvSource({"60, true", "61, false"})
    void notBeforeHasSixtySecondsLeeway(long before, boolean accepted) {
        Map<String, Object> c = claims(List.of("api"), null, null, null, null);
        c.put("iat", NOW - 1000);
        ServiceAccountTokenAuthenticator auth = authenticator();
        clock.set(Instant.ofEpochSecond(NOW - before));
        AuthenticationResult r = auth.authenticate(token(c), List.of());
        if (accepted) {
            assertInstanceOf(Authenticated.class, r, r::toString);
        } else {
            assertEquals("service account token is not valid yet", assertInstanceOf(Rejected.class, r).message());
        }
    }

    @Test
    void podBoundTokenCarriesPodNodeAndCredentialId() {
        AuthenticationResult r = authenticator().authenticate(token(claims(List.of("api"),
                new String[] {"web-0", "pod-uid"}, null, new String[] {"node-a", "node-uid"}, null)), List.of());
        Authenticated ok = assertInstanceOf(Authenticated.class, r, r::toString);
        assertEquals("system:serviceaccount:ns:sa", ok.user().name());
        assertEquals("sa-uid", ok.user().uid());
        assertEquals(List.of("system:serviceaccounts", "system:serviceaccounts:ns"), ok.user().groups());
        assertEquals(Map.of(
                "authentication.kubernetes.io/pod-name", List.of("web-0"),
                "authentication.kubernetes.io/pod-uid", List.of("pod-uid"),
                "authentication.kubernetes.io/node-name", List.of("node-a"),
                "authentication.kubernetes.io/node-uid", List.of("node-uid"),
                "authentication.kubernetes.io/credential-id", List.of("JTI=8c5b0a1c-0000-4000-8000-000000000001")), ok.user().extra());
    }

    @Test
    void secretBoundTokenHasNoPodExtras() {
        Map<String, Object> c = claims(List.of("api"), null, new String[] {"s", "s-uid"}, null, null);
        c.remove("jti");
        Authenticated ok = assertInstanceOf(Authenticated.class, authenticator().authenticate(token(c), List.of()));
        assertEquals(Map.of(), ok.user().extra());
    }

    @Test
    void staleTokenIsReportedAsWarningEvent() {
        ServiceAccountTokenAuthenticator auth = authenticator();
        String t = token(claims(List.of("api"), new String[] {"p", "u"}, null, null, NOW + 100));
        assertInstanceOf(Authenticated.class, auth.authenticate(t, List.of()));
        assertEquals(List.of(), listener.events());
        clock.set(Instant.ofEpochSecond(NOW + 130));
        assertInstanceOf(Authenticated.class, auth.authenticate(t, List.of()));
        assertEquals(List.of("warning service-account authentication.k8s.io/stale-token: subject: system:serviceaccount:ns:sa, "
                + "seconds after warning threshold: 30"), listener.events());
    }

    @Test
    void everyConfiguredIssuerIsAccepted() {
        Map<String, Object> c = claims(List.of("api"), null, null, null, null);
        c.put("iss", "https://old-issuer");
        assertInstanceOf(Authenticated.class, authenticator().authenticate(token(c), List.of()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://other-issuer", "kubernetes/serviceaccount2", ""})
    void otherIssuersAbstainWithoutVerification(String iss) {
        Map<String, Object> c = claims(List.of("api"), null, null, null, null);
        c.put("iss", iss);
        String t = token(c);
        // A broken signature proves nothing was verified: abstain, not reject.
        assertEquals(Abstained.instance(), authenticator().authenticate(t.substring(0, t.length() - 4) + "AAAA", List.of()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "a.b", "a.b.c.d.e", "{\"payload\":\"x\"}", "Bearer x"})
    void nonJwtsAbstain(String token) {
        assertEquals(Abstained.instance(), authenticator().authenticate(token, List.of()));
    }

    @Test
    void unsignedTokensOfOurIssuerAbstainAsKubernetesParseFailures() {
        String payload = Base64.getUrlEncoder().withoutPadding().encodeToString(
                ("{\"iss\":\"" + ISSUER + "\",\"sub\":\"system:serviceaccount:ns:sa\"}").getBytes(StandardCharsets.UTF_8));
        String none = Base64.getUrlEncoder().withoutPadding().encodeToString("{\"alg\":\"none\"}".getBytes(StandardCharsets.UTF_8));
        assertEquals(Abstained.instance(), authenticator().authenticate(none + "." + payload + ".", List.of()));
        assertEquals(Abstained.instance(), authenticator().authenticate(none + "." + payload + ".c2ln", List.of()));
    }

    @Test
    void hmacWithThePublicKeyIsRefused() throws Exception {
        // The classic confusion attack: HS256 keyed with the RSA public key's bytes.
        com.nimbusds.jose.JWSObject jws = new com.nimbusds.jose.JWSObject(
                new com.nimbusds.jose.JWSHeader.Builder(JWSAlgorithm.HS256).keyID(Fixtures.RSA_KID).build(),
                new com.nimbusds.jose.Payload(claims(List.of("api"), null, null, null, null)));
        jws.sign(new com.nimbusds.jose.crypto.MACSigner(Fixtures.rsaPublic().getEncoded()));
        Rejected r = assertInstanceOf(Rejected.class, authenticator().authenticate(jws.serialize(), List.of()));
        assertEquals(RejectionReason.DISALLOWED_ALGORITHM, r.reason());
    }

    @Test
    void missingPrivateClaimIsRejected() {
        Map<String, Object> c = claims(List.of("api"), null, null, null, null);
        c.remove("kubernetes.io");
        Rejected r = assertInstanceOf(Rejected.class, authenticator().authenticate(token(c), List.of()));
        assertEquals(RejectionReason.INVALID_CLAIMS, r.reason());
        assertTrue(r.message().startsWith("service account token claims could not be validated"), r.message());
    }

    @Test
    void oversizedTokensAbstain() {
        Map<String, Object> c = claims(List.of("api"), null, null, null, null);
        c.put("padding", "x".repeat(20_000));
        assertEquals(Abstained.instance(), authenticator().authenticate(token(c), List.of()));
    }

    @Test
    void failingLookupFailsClosed() {
        ServiceAccountLookup broken = new ServiceAccountLookup() {
            @Override
            public java.util.Optional<ServiceAccountRecord> serviceAccount(String namespace, String name) {
                throw new IllegalStateException("api down");
            }

            @Override
            public java.util.Optional<SecretRecord> secret(String namespace, String name) {
                return java.util.Optional.empty();
            }

            @Override
            public java.util.Optional<PodRecord> pod(String namespace, String name) {
                return java.util.Optional.empty();
            }

            @Override
            public java.util.Optional<NodeRecord> node(String name) {
                return java.util.Optional.empty();
            }
        };
        ServiceAccountTokenAuthenticator auth = ServiceAccountTokenAuthenticator.builder()
                .keys(List.of(Fixtures.rsaPublic())).issuers(List.of(ISSUER)).apiAudiences(List.of("api"))
                .lookup(broken).clock(clock).build();
        Rejected r = assertInstanceOf(Rejected.class, auth.authenticate(token(claims(List.of("api"), null, null, null, null)), List.of()));
        assertEquals(RejectionReason.INTERNAL_ERROR, r.reason());
        assertTrue(auth.isAudienceAware());
    }
}
