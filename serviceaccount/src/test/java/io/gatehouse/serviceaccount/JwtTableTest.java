package io.gatehouse.serviceaccount;

import com.nimbusds.jose.JWSAlgorithm;
import io.gatehouse.core.AuthenticationResult;
import io.gatehouse.core.AuthenticationResult.Abstained;
import io.gatehouse.core.AuthenticationResult.Authenticated;
import io.gatehouse.core.AuthenticationResult.Rejected;
import io.gatehouse.core.ConfigurationException;
import io.gatehouse.core.RejectionReason;
import io.gatehouse.core.UserInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Kubernetes' TestTokenGenerateAndValidate (jwt_test.go @0ea83df1) with the shipped keys: accepted issuers
 * [kubernetes/serviceaccount, bar], implicit audiences [api]. Every case also checks that the literal
 * "invalid token" abstains.
 *
 * <p>Deviations pinned here: "no keys" is a build-time configuration error (a key file is required); the
 * "different issuer" token is a bound token, since Gatehouse routes by issuer as kube-apiserver does (legacy
 * validator for kubernetes/serviceaccount, bound validator for configured issuers), whereas the Go test
 * runs one authenticator with the legacy validator for both issuers.
 */
class JwtTableTest {

    private static final String BAR = "bar";
    private static final UserInfo EXPECTED = new UserInfo("system:serviceaccount:test:my-service-account", "12345",
            List.of("system:serviceaccounts", "system:serviceaccounts:test"), Map.of());

    enum Outcome { OK, ABSTAIN, ERROR }

    private static String rsaToken() {
        return Fixtures.sign(Fixtures.rsaPair().getPrivate(), JWSAlgorithm.RS256, Fixtures.RSA_KID,
                Fixtures.legacyClaims(ServiceAccountTokenAuthenticator.LEGACY_ISSUER));
    }

    private static String ecdsaToken() {
        return Fixtures.sign(Fixtures.ecdsaPair().getPrivate(), JWSAlgorithm.ES256, Fixtures.ECDSA_KID,
                Fixtures.legacyClaims(ServiceAccountTokenAuthenticator.LEGACY_ISSUER));
    }

    private static InMemoryServiceAccountRegistry registry(boolean sa, boolean secret, String token, Map<String, String> labels) {
        InMemoryServiceAccountRegistry r = new InMemoryServiceAccountRegistry();
        if (sa) {
            r.put(new ServiceAccountRecord("test", "my-service-account", "12345", null, List.of("my-secret")));
        }
        if (secret) {
            r.put(SecretRecord.ofLegacyToken("test", "my-secret", "secret-uid", token).withLabels(labels));
        }
        return r;
    }

    static Stream<Arguments> table() {
        Supplier<List<PublicKey>> rsa = () -> List.of(Fixtures.rsaPublic());
        Supplier<List<PublicKey>> ec = () -> List.of(Fixtures.ecdsaPublic());
        long now = System.currentTimeMillis() / 1000;
        return Stream.of(
                Arguments.of("invalid keys (rsa)", (Supplier<String>) JwtTableTest::rsaToken,
                        (Supplier<List<PublicKey>>) () -> List.of(Fixtures.otherPublic(), Fixtures.ecdsaPublic()), null, Outcome.ERROR,
                        "invalid signature, no keys found"),
                Arguments.of("invalid keys (ecdsa)", (Supplier<String>) JwtTableTest::ecdsaToken,
                        (Supplier<List<PublicKey>>) () -> List.of(Fixtures.otherPublic(), Fixtures.rsaPublic()), null, Outcome.ERROR,
                        "invalid signature, no keys found"),
                Arguments.of("valid key (rsa)", (Supplier<String>) JwtTableTest::rsaToken, rsa, null, Outcome.OK, null),
                Arguments.of("valid key, invalid issuer (rsa)", (Supplier<String>) () -> Fixtures.sign(Fixtures.rsaPair().getPrivate(),
                        JWSAlgorithm.RS256, Fixtures.RSA_KID, Fixtures.legacyClaims("foo")), rsa, null, Outcome.ABSTAIN, null),
                Arguments.of("valid key, different issuer (rsa)", (Supplier<String>) () -> Fixtures.sign(Fixtures.rsaPair().getPrivate(),
                        JWSAlgorithm.RS256, Fixtures.RSA_KID, Fixtures.boundClaims(BAR, List.of("api"), now, now + 3600, "test",
                                "my-service-account", "12345", null, null, null, null)), rsa, null, Outcome.OK, null),
                Arguments.of("valid key (ecdsa)", (Supplier<String>) JwtTableTest::ecdsaToken, ec, null, Outcome.OK, null),
                Arguments.of("rotated keys (rsa)", (Supplier<String>) JwtTableTest::rsaToken,
                        (Supplier<List<PublicKey>>) () -> List.of(Fixtures.otherPublic(), Fixtures.ecdsaPublic(), Fixtures.rsaPublic()),
                        null, Outcome.OK, null),
                Arguments.of("rotated keys (ecdsa)", (Supplier<String>) JwtTableTest::ecdsaToken,
                        (Supplier<List<PublicKey>>) () -> List.of(Fixtures.otherPublic(), Fixtures.rsaPublic(), Fixtures.ecdsaPublic()),
                        null, Outcome.OK, null),
                Arguments.of("valid lookup", (Supplier<String>) JwtTableTest::rsaToken, rsa,
                        (java.util.function.Function<String, ServiceAccountLookup>) t -> registry(true, true, t, Map.of()), Outcome.OK, null),
                Arguments.of("invalid secret lookup", (Supplier<String>) JwtTableTest::rsaToken, rsa,
                        (java.util.function.Function<String, ServiceAccountLookup>) t -> registry(true, false, t, Map.of()), Outcome.ERROR,
                        "Token has been invalidated"),
                Arguments.of("invalid serviceaccount lookup", (Supplier<String>) JwtTableTest::rsaToken, rsa,
                        (java.util.function.Function<String, ServiceAccountLookup>) t -> registry(false, true, t, Map.of()), Outcome.ERROR,
                        "serviceaccounts \"my-service-account\" not found"),
                Arguments.of("secret is marked as invalid", (Supplier<String>) JwtTableTest::rsaToken, rsa,
                        (java.util.function.Function<String, ServiceAccountLookup>) t -> registry(true, true, t,
                                Map.of(SecretRecord.LEGACY_TOKEN_INVALID_SINCE_LABEL, "2022-12-20")), Outcome.ERROR,
                        "the token in secret test/my-secret for service account test/my-service-account has been marked invalid. "
                                + "Use tokens from the TokenRequest API or manually created secret-based tokens, or remove the "
                                + "'kubernetes.io/legacy-token-invalid-since' label from the secret to temporarily allow use of this token"),
                Arguments.of("malformed iss", (Supplier<String>) JwtTableTest::malformedIss, ec, null, Outcome.ABSTAIN, null));
    }

    /** The ES256 token with iss "panda", re-serialised as JWS JSON with a member whose dots hide an "iss":"bar" payload. */
    private static String malformedIss() {
        Map<String, Object> claims = Fixtures.legacyClaims("panda");
        String[] parts = Fixtures.sign(Fixtures.ecdsaPair().getPrivate(), JWSAlgorithm.ES256, Fixtures.ECDSA_KID, claims).split("\\.");
        String hidden = "." + Base64.getUrlEncoder().withoutPadding().encodeToString("{\"iss\":\"bar\"}".getBytes(StandardCharsets.UTF_8)) + ".";
        return "{\"malformed_iss\":\"" + hidden + "\",\"payload\":\"" + parts[1] + "\",\"protected\":\"" + parts[0]
                + "\",\"signature\":\"" + parts[2] + "\"}";
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    @SuppressWarnings("unchecked")
    void tokenGenerateAndValidate(String name, Supplier<String> token, Supplier<List<PublicKey>> keys, Object lookup,
                                  Outcome expected, String message) {
        String t = token.get();
        ServiceAccountTokenAuthenticator.Builder b = ServiceAccountTokenAuthenticator.builder()
                .keys(keys.get())
                .issuers(List.of(BAR))
                .apiAudiences(List.of("api"));
        if (lookup != null) {
            b.lookup(((java.util.function.Function<String, ServiceAccountLookup>) lookup).apply(t));
        }
        ServiceAccountTokenAuthenticator auth = b.build();

        assertEquals(Abstained.instance(), auth.authenticate("invalid token", List.of()));

        AuthenticationResult result = auth.authenticate(t, List.of());
        switch (expected) {
            case OK -> {
                Authenticated ok = assertInstanceOf(Authenticated.class, result, result::toString);
                UserInfo user = ok.user();
                assertEquals(EXPECTED.name(), user.name());
                assertEquals(EXPECTED.uid(), user.uid());
                assertEquals(EXPECTED.groups(), user.groups());
                assertEquals(List.of("api"), ok.audiences());
            }
            case ABSTAIN -> assertEquals(Abstained.instance(), result);
            case ERROR -> assertEquals(message, assertInstanceOf(Rejected.class, result, result::toString).message());
        }
    }

    @Test
    void malformedIssBehindWhitespaceIsNotFooledEither() {
        // Without the leading '{' the dots inside the JSON expose {"iss":"bar"} to the peek; strict parsing still abstains.
        ServiceAccountTokenAuthenticator auth = ServiceAccountTokenAuthenticator.builder()
                .keys(List.of(Fixtures.ecdsaPublic())).issuers(List.of(BAR)).build();
        assertEquals(Abstained.instance(), auth.authenticate(" " + malformedIss(), List.of()));
        assertEquals(Abstained.instance(), auth.authenticate("x" + malformedIss(), List.of()));
    }

    @Test
    void noKeysIsAConfigurationError() {
        ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> ServiceAccountTokenAuthenticator.builder().issuers(List.of(BAR)).build());
        assertEquals("setting 'keyFiles': at least one service account key is required", e.getMessage());
    }

    @Test
    void wrongKeyWithTheRightKidIsABadSignature() {
        // The kid names the ECDSA key but the token is signed by another P-256 key: go-jose's primitive error.
        String forged = Fixtures.sign(Fixtures.fresh("ec256").getPrivate(), JWSAlgorithm.ES256, Fixtures.ECDSA_KID,
                Fixtures.legacyClaims(ServiceAccountTokenAuthenticator.LEGACY_ISSUER));
        ServiceAccountTokenAuthenticator auth = ServiceAccountTokenAuthenticator.builder()
                .keys(List.of(Fixtures.ecdsaPublic(), Fixtures.rsaPublic())).issuers(List.of(BAR)).build();
        Rejected r = assertInstanceOf(Rejected.class, auth.authenticate(forged, List.of()));
        assertEquals(RejectionReason.BAD_SIGNATURE, r.reason());
        assertEquals("square/go-jose: error in cryptographic primitive", r.message());
    }

    @Test
    void noKidTriesEveryKey() {
        String noKid = Fixtures.sign(Fixtures.ecdsaPair().getPrivate(), JWSAlgorithm.ES256, null,
                Fixtures.legacyClaims(ServiceAccountTokenAuthenticator.LEGACY_ISSUER));
        ServiceAccountTokenAuthenticator auth = ServiceAccountTokenAuthenticator.builder()
                .keys(List.of(Fixtures.otherPublic(), Fixtures.rsaPublic(), Fixtures.ecdsaPublic())).issuers(List.of(BAR)).build();
        assertInstanceOf(Authenticated.class, auth.authenticate(noKid, List.of()));
    }
}
