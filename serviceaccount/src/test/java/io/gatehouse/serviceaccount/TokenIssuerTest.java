package io.gatehouse.serviceaccount;

import com.nimbusds.jose.JWSObject;
import io.gatehouse.core.AuthenticationResult.Authenticated;
import io.gatehouse.core.ConfigurationException;
import io.gatehouse.core.testing.MutableClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** TokenRequest issuance: Kubernetes' claim shapes (TestClaims), algorithms and kid, lifetimes, and verification by this module. */
class TokenIssuerTest {

    private static final long NOW = 1_700_000_000L;
    private static final String ISSUER = "https://kubernetes.default.svc";

    private final MutableClock clock = new MutableClock(Instant.ofEpochSecond(NOW));

    private ServiceAccountTokenIssuer.Builder issuer() {
        return ServiceAccountTokenIssuer.builder().signingKey(Fixtures.rsaPair()).issuer(ISSUER)
                .apiAudiences(List.of(ISSUER, "api")).clock(clock);
    }

    private static Map<String, Object> payload(IssuedToken t) throws Exception {
        return JWSObject.parse(t.token()).getPayload().toJSONObject();
    }

    @Test
    void claimsHaveKubernetesShape() throws Exception {
        IssuedToken t = issuer().build().issue(TokenRequest.forServiceAccount("myns", "mysvcacct", "sa-uid")
                .withAudiences(List.of("vault")).boundTo(BoundObjectReference.pod("mypod", "pod-uid")).withPodNode("n1", "n1-uid"));
        JWSObject jws = JWSObject.parse(t.token());
        assertEquals("RS256", jws.getHeader().getAlgorithm().getName());
        assertEquals(Fixtures.RSA_KID, jws.getHeader().getKeyID());
        Map<String, Object> c = payload(t);
        String raw = jws.getPayload().toString();
        int at = -1;
        for (String member : List.of("aud", "exp", "iat", "iss", "jti", "kubernetes.io", "nbf", "sub")) {
            int next = raw.indexOf("\"" + member + "\":");
            assertTrue(next > at, "members in Kubernetes' (sorted) order: " + raw.replaceAll("[^\",:{}\\[\\]a-z.]", ""));
            at = next;
        }
        assertEquals("system:serviceaccount:myns:mysvcacct", c.get("sub"));
        assertEquals(ISSUER, c.get("iss"));
        assertEquals(List.of("vault"), c.get("aud"));
        assertEquals(NOW, c.get("iat"));
        assertEquals(NOW, c.get("nbf"));
        assertEquals(NOW + 3600, c.get("exp"));
        assertEquals("JTI=" + c.get("jti"), t.credentialId());
        assertEquals(Instant.ofEpochSecond(NOW + 3600), t.expirationTimestamp());
        assertEquals(Map.of("namespace", "myns", "serviceaccount", Map.of("name", "mysvcacct", "uid", "sa-uid"),
                "pod", Map.of("name", "mypod", "uid", "pod-uid"), "node", Map.of("name", "n1", "uid", "n1-uid")), c.get("kubernetes.io"));
        assertFalse(t.toString().contains(t.token()));
    }

    @Test
    void audiencesDefaultToTheApiAudiencesAndSecretBindingHasNoPod() throws Exception {
        Map<String, Object> c = payload(issuer().build().issue(TokenRequest.forServiceAccount("ns", "sa", "u")
                .boundTo(BoundObjectReference.secret("s", "s-uid"))));
        assertEquals(List.of(ISSUER, "api"), c.get("aud"));
        assertEquals(Map.of("namespace", "ns", "serviceaccount", Map.of("name", "sa", "uid", "u"),
                "secret", Map.of("name", "s", "uid", "s-uid")), c.get("kubernetes.io"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"ec256, ES256", "ec384, ES384", "ec521, ES512", "rsa2048, RS256"})
    void algorithmFollowsTheKeyAndTokensVerify(String spec, String alg) throws Exception {
        ServiceAccountTokenIssuer iss = issuer().signingKey(Fixtures.fresh(spec)).build();
        IssuedToken t = iss.issue(TokenRequest.forServiceAccount("ns", "sa", "u"));
        JWSObject jws = JWSObject.parse(t.token());
        assertEquals(alg, jws.getHeader().getAlgorithm().getName());
        assertEquals(ServiceAccountKeys.keyId(Fixtures.fresh(spec).getPublic()), jws.getHeader().getKeyID());
        ServiceAccountTokenAuthenticator auth = ServiceAccountTokenAuthenticator.builder()
                .keys(List.of(Fixtures.rsaPublic(), Fixtures.fresh(spec).getPublic())).issuers(List.of(ISSUER))
                .apiAudiences(List.of(ISSUER, "api")).clock(clock).build();
        Authenticated ok = assertInstanceOf(Authenticated.class, auth.authenticate(t.token(), List.of("api")));
        assertEquals("system:serviceaccount:ns:sa", ok.user().name());
        assertEquals(List.of("authentication.kubernetes.io/credential-id"), List.copyOf(ok.user().extra().keySet()));
    }

    @ParameterizedTest(name = "{0}s")
    @CsvSource({"599, may not specify a duration less than 10 minutes", "4294967297, may not specify a duration larger than 2^32 seconds"})
    void lifetimeValidation(long seconds, String message) {
        TokenRequest r = TokenRequest.forServiceAccount("ns", "sa", "u");
        assertEquals(message, assertThrows(IllegalArgumentException.class, () -> r.withExpirationSeconds(seconds)).getMessage());
    }

    @Test
    void maximumShortensWithKubernetesWarning() throws Exception {
        IssuedToken t = issuer().maxExpiration(Duration.ofHours(2)).build()
                .issue(TokenRequest.forServiceAccount("ns", "sa", "u").withExpirationSeconds(86400));
        assertEquals(List.of("requested expiration of 86400 seconds shortened to 7200 seconds"), t.warnings());
        assertEquals(NOW + 7200, payload(t).get("exp"));
        assertEquals(Instant.ofEpochSecond(NOW + 7200), t.expirationTimestamp());
    }

    @Test
    void maximumOutsideOneHourTo2Pow32IsAConfigurationError() {
        ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> issuer().maxExpiration(Duration.ofMinutes(59)).build());
        assertTrue(e.getMessage().startsWith("setting 'maxExpiration': "), e.getMessage());
    }

    @Test
    void extendedExpirationForKubeletPodTokens() throws Exception {
        TokenRequest kubelet = TokenRequest.forServiceAccount("ns", "sa", "u").withExpirationSeconds(3607)
                .boundTo(BoundObjectReference.pod("p", "p-uid"));
        IssuedToken t = issuer().build().issue(kubelet);
        Map<String, Object> c = payload(t);
        assertEquals(NOW + ServiceAccountTokenIssuer.EXTENDED_EXPIRATION_SECONDS, c.get("exp"));
        assertEquals(NOW + 3607, ((Map<?, ?>) c.get("kubernetes.io")).get("warnafter"));
        assertEquals(Instant.ofEpochSecond(NOW + 3607), t.expirationTimestamp(), "status shows the requested lifetime");

        // Not extended: option off, another lifetime, a non-API audience, or not pod-bound.
        for (IssuedToken plain : List.of(issuer().extendExpiration(false).build().issue(kubelet),
                issuer().build().issue(kubelet.withExpirationSeconds(3608)),
                issuer().build().issue(kubelet.withAudiences(List.of("vault"))),
                issuer().build().issue(TokenRequest.forServiceAccount("ns", "sa", "u").withExpirationSeconds(3607)))) {
            Map<String, Object> p = payload(plain);
            assertTrue((Long) p.get("exp") <= NOW + 3608, p.toString());
            assertNull(((Map<?, ?>) p.get("kubernetes.io")).get("warnafter"));
        }
    }

    @Test
    void signingKeyFromFileAndBuilderErrors() {
        ServiceAccountTokenIssuer fromFile = ServiceAccountTokenIssuer.builder().signingKeyFile(Fixtures.file("ecdsaPrivateKeyWithParams.pem"))
                .issuer(ISSUER).build();
        assertEquals(ServiceAccountKeys.keyId(ServiceAccountKeys.readSigningKey(Fixtures.file("ecdsaPrivateKeyWithParams.pem")).getPublic()),
                fromFile.keyId());
        ServiceAccountTokenIssuer fixture = ServiceAccountTokenIssuer.builder().signingKeyFile(Fixtures.file("ecdsaPrivateKey.pem"))
                .issuer(ISSUER).clock(clock).build();
        assertEquals(Fixtures.ECDSA_KID, fixture.keyId());
        ServiceAccountTokenAuthenticator auth = ServiceAccountTokenAuthenticator.builder().keyFiles(List.of(Fixtures.file("ecdsaPublicKey.pem")))
                .issuers(List.of(ISSUER)).clock(clock).build();
        assertInstanceOf(Authenticated.class, auth.authenticate(fixture.issue(TokenRequest.forServiceAccount("ns", "sa", "u")).token(), List.of()));
        assertTrue(assertThrows(ConfigurationException.class, () -> ServiceAccountTokenIssuer.builder()
                .signingKey(Fixtures.fresh("rsa1024")).issuer(ISSUER).build()).getMessage().startsWith("setting 'signingKey': "));
        assertEquals("setting 'issuer': is required",
                assertThrows(ConfigurationException.class, () -> ServiceAccountTokenIssuer.builder().signingKey(Fixtures.rsaPair()).build())
                        .getMessage());
        assertEquals("setting 'signingKey': exactly one of signingKey and signingKeyFile is required",
                assertThrows(ConfigurationException.class, () -> ServiceAccountTokenIssuer.builder().issuer(ISSUER).build()).getMessage());
        assertTrue(assertThrows(ConfigurationException.class, () -> ServiceAccountTokenIssuer.builder()
                .signingKeyFile(Fixtures.file("rsaPublicKey.pem")).issuer(ISSUER).build()).getMessage()
                .endsWith("data does not contain a valid RSA or ECDSA private key"));
    }

    @Test
    void everyTokenHasItsOwnJti() throws Exception {
        ServiceAccountTokenIssuer iss = issuer().build();
        TokenRequest r = TokenRequest.forServiceAccount("ns", "sa", "u");
        assertFalse(payload(iss.issue(r)).get("jti").equals(payload(iss.issue(r)).get("jti")));
    }
}
