package io.gatehouse.serviceaccount;

import com.nimbusds.jose.util.JSONObjectUtils;
import io.gatehouse.core.AuthenticationResult.Authenticated;
import io.gatehouse.core.AuthenticationResult.Rejected;
import io.gatehouse.core.AuthenticationResult;
import io.gatehouse.core.ConfigurationException;
import io.gatehouse.core.RejectionReason;
import io.gatehouse.jwt.CompactJws;
import io.gatehouse.jwt.JwtAlgorithm;
import io.gatehouse.jwt.JwtVerifier;
import io.gatehouse.jwt.VerificationKeySet;
import io.gatehouse.oidc.JwtIssuer;
import io.gatehouse.oidc.OidcAuthenticator;
import io.gatehouse.testing.ScriptedIdp;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The issuer's discovery document and JWKS let any OIDC verifier check issued tokens: served over real TLS on
 * 127.0.0.1 (the shared scripted provider, a BouncyCastle-made certificate) to the oidc module's {@link OidcAuthenticator},
 * built from its public API only.
 */
class DiscoveryRoundTripTest {

    @Test
    void documentsHaveKubernetesShape() throws Exception {
        ServiceAccountDiscovery d = ServiceAccountDiscovery.builder().issuer("https://kubernetes.default.svc")
                .keys(List.of(Fixtures.rsaPublic(), Fixtures.ecdsaPublic(), Fixtures.rsaPublic())).build();
        Map<String, Object> config = JSONObjectUtils.parse(d.openIdConfiguration());
        assertEquals(Map.of("issuer", "https://kubernetes.default.svc",
                "jwks_uri", "https://kubernetes.default.svc/openid/v1/jwks",
                "response_types_supported", List.of("id_token"),
                "subject_types_supported", List.of("public"),
                "id_token_signing_alg_values_supported", List.of("ES256", "RS256")), config);
        List<?> keys = (List<?>) JSONObjectUtils.parse(d.jwks()).get("keys");
        assertEquals(2, keys.size(), "a key listed twice is published once");
        Map<?, ?> rsa = (Map<?, ?>) keys.get(0);
        assertEquals(Fixtures.RSA_KID, rsa.get("kid"));
        assertEquals("sig", rsa.get("use"));
        assertEquals("RS256", rsa.get("alg"));
        assertEquals("RSA", rsa.get("kty"));
        assertEquals(Fixtures.ECDSA_KID, ((Map<?, ?>) keys.get(1)).get("kid"));
        assertEquals("P-256", ((Map<?, ?>) keys.get(1)).get("crv"));
        assertTrue(!d.jwks().contains("\"d\""), "no private members");
    }

    @Test
    void discoveryRequiresHttps() {
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> ServiceAccountDiscovery.builder()
                .issuer("https://k8s").jwksUri("http://k8s/jwks").keys(List.of(Fixtures.rsaPublic())).build());
        assertEquals("setting 'jwksUri': must be an https URL, was \"http://k8s/jwks\"", e.getMessage());
    }

    @Test
    void engineVerifiesIssuedTokensFromThePublishedJwks() throws Exception {
        KeyPair ec = Fixtures.fresh("ec384");
        ServiceAccountTokenIssuer issuer = ServiceAccountTokenIssuer.builder().signingKey(ec).issuer("https://k8s").build();
        ServiceAccountDiscovery d = ServiceAccountDiscovery.builder().issuer("https://k8s").keys(List.of(ec.getPublic())).build();
        JwtVerifier verifier = JwtVerifier.builder().keys(VerificationKeySet.fromJwks(d.jwks()))
                .algorithms(List.of(JwtAlgorithm.ES384)).audiences(List.of("https://k8s")).build();
        String token = issuer.issue(TokenRequest.forServiceAccount("ns", "sa", "u")).token();
        assertEquals("system:serviceaccount:ns:sa", verifier.verify(CompactJws.parse(token, 16384)).claims().stringOrNull("sub"));
    }

    @Test
    void oidcAuthenticatorAcceptsIssuedTokensThroughDiscovery() throws Exception {
        try (ScriptedIdp server = new ScriptedIdp()) {
            String url = server.url();
            KeyPair signing = Fixtures.rsaPair();
            ServiceAccountDiscovery discovery = ServiceAccountDiscovery.builder().issuer(url)
                    .keys(List.of(signing.getPublic(), Fixtures.ecdsaPublic())).build();
            server.answer("/.well-known/openid-configuration", ScriptedIdp.Answer.json(discovery.openIdConfiguration()));
            server.answer(ServiceAccountDiscovery.JWKS_PATH, ScriptedIdp.Answer.json(discovery.jwks()));
            relyOnDiscovery(url, signing);
        }
    }

    private static void relyOnDiscovery(String url, KeyPair signing) throws Exception {
        try (OidcAuthenticator oidc = OidcAuthenticator.builder()
                .issuer(JwtIssuer.builder(url).certificateAuthority(ScriptedIdp.caPem()).audiences("vault")
                        .username("sub", "").build())
                .build()) {
            ServiceAccountTokenIssuer issuer = ServiceAccountTokenIssuer.builder().signingKey(signing).issuer(url).build();
            String token = issuer.issue(TokenRequest.forServiceAccount("ns", "builder", "u")
                    .withAudiences(List.of("vault")).boundTo(BoundObjectReference.pod("p", "p-uid"))).token();
            AuthenticationResult r = awaitKeys(oidc, token);
            assertEquals("system:serviceaccount:ns:builder", assertInstanceOf(Authenticated.class, r, r::toString).user().name());

            // A token for another audience is refused by the OIDC side, proving the check is live.
            String other = issuer.issue(TokenRequest.forServiceAccount("ns", "builder", "u").withAudiences(List.of("x"))).token();
            assertInstanceOf(Rejected.class, oidc.authenticate(other, List.of()));
        }
    }

    /** The OIDC authenticator fetches keys in the background; wait (bounded) until it is past initialisation. */
    private static AuthenticationResult awaitKeys(OidcAuthenticator oidc, String token) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
        AuthenticationResult r;
        do {
            r = oidc.authenticate(token, List.of());
            if (!(r instanceof Rejected rej && rej.reason() == RejectionReason.NOT_INITIALIZED)) {
                return r;
            }
            Thread.sleep(50);
        } while (Instant.now().isBefore(deadline));
        return r;
    }
}
