package io.gatehouse.serviceaccount;

import com.nimbusds.jose.JWSAlgorithm;
import io.gatehouse.core.AuthenticationResult;
import io.gatehouse.core.AuthenticationResult.Authenticated;
import io.gatehouse.core.AuthenticationResult.Rejected;
import io.gatehouse.core.RejectionReason;
import io.gatehouse.core.testing.MutableClock;
import io.gatehouse.core.testing.RecordingListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

/** Legacy secret-based tokens (legacy.go): claim checks, lookup checks, KEP-2799 tracking, and the opt-out. */
class LegacyTokenTest {

    private static final String LEGACY = ServiceAccountTokenAuthenticator.LEGACY_ISSUER;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-03-10T12:00:00Z"));
    private final RecordingListener listener = new RecordingListener();

    private static String token(Map<String, Object> claims) {
        return Fixtures.sign(Fixtures.rsaPair().getPrivate(), JWSAlgorithm.RS256, Fixtures.RSA_KID, claims);
    }

    private ServiceAccountTokenAuthenticator.Builder builder() {
        return ServiceAccountTokenAuthenticator.builder().keys(List.of(Fixtures.rsaPublic())).issuers(List.of("https://issuer"))
                .apiAudiences(List.of("api")).clock(clock).listener(listener);
    }

    @ParameterizedTest(name = "{0} = ''{1}''")
    @CsvSource({
            "sub, '', sub claim is missing",
            "kubernetes.io/serviceaccount/namespace, '', namespace claim is missing",
            "kubernetes.io/serviceaccount/secret.name, '', secretName claim is missing",
            "kubernetes.io/serviceaccount/service-account.name, '', serviceAccountName claim is missing",
            "kubernetes.io/serviceaccount/service-account.uid, '', serviceAccountUID claim is missing",
            "sub, system:serviceaccount:test:other, sub claim is invalid",
            "sub, system:serviceaccount:other:my-service-account, sub claim is invalid",
            "sub, system:serviceaccount:test:my-service-account:x, sub claim is invalid",
            "sub, test:my-service-account, sub claim is invalid",
    })
    void claimChecks(String claim, String value, String error) {
        Map<String, Object> c = Fixtures.legacyClaims(LEGACY);
        if (value.isEmpty()) {
            c.remove(claim);
        } else {
            c.put(claim, value);
        }
        Rejected r = assertInstanceOf(Rejected.class, builder().build().authenticate(token(c), List.of()));
        assertEquals(error, r.message());
    }

    @Test
    void legacyTokenGetsTheApiAudiencesAndIsReported() {
        AuthenticationResult r = builder().build().authenticate(token(Fixtures.legacyClaims(LEGACY)), List.of());
        Authenticated ok = assertInstanceOf(Authenticated.class, r);
        assertEquals(List.of("api"), ok.audiences());
        assertEquals(null, ok.expiresAt());
        assertEquals(Map.of(), ok.user().extra());
        assertEquals(List.of("warning service-account authentication.k8s.io/legacy-token: system:serviceaccount:test:my-service-account"),
                listener.events());
    }

    @Test
    void legacyTokenForAnotherAudienceIsRejected() {
        Rejected r = assertInstanceOf(Rejected.class,
                builder().build().authenticate(token(Fixtures.legacyClaims(LEGACY)), List.of("vault")));
        assertEquals("token audiences [\"api\"] is invalid for the target audiences [\"vault\"]", r.message());
    }

    @Test
    void legacyTokensCanBeTurnedOff() {
        Rejected r = assertInstanceOf(Rejected.class,
                builder().legacyTokensAllowed(false).build().authenticate(token(Fixtures.legacyClaims(LEGACY)), List.of()));
        assertEquals(RejectionReason.INVALID_CREDENTIAL, r.reason());
        assertEquals("legacy service account tokens are not accepted", r.message());
    }

    private InMemoryServiceAccountRegistry registry(String storedToken, List<String> saSecrets) {
        return new InMemoryServiceAccountRegistry()
                .put(new ServiceAccountRecord("test", "my-service-account", "12345", null, saSecrets))
                .put(SecretRecord.ofLegacyToken("test", "my-secret", "secret-uid", storedToken));
    }

    @Test
    void tokenMustMatchTheSecretsCopy() {
        String t = token(Fixtures.legacyClaims(LEGACY));
        assertInstanceOf(Authenticated.class, builder().lookup(registry(t, List.of())).build().authenticate(t, List.of()));
        Rejected r = assertInstanceOf(Rejected.class,
                builder().lookup(registry(t + "x", List.of())).build().authenticate(t, List.of()));
        assertEquals("Token does not match server's copy", r.message());
    }

    @Test
    void serviceAccountChecks() {
        String t = token(Fixtures.legacyClaims(LEGACY));
        InMemoryServiceAccountRegistry reg = registry(t, List.of());
        reg.put(new ServiceAccountRecord("test", "my-service-account", "12345", clock.instant(), List.of()));
        assertEquals("ServiceAccount test/my-service-account has been deleted",
                assertInstanceOf(Rejected.class, builder().lookup(reg).build().authenticate(t, List.of())).message());
        reg.put(ServiceAccountRecord.of("test", "my-service-account", "67890"));
        assertEquals("ServiceAccount UID (67890) does not match claim (12345)",
                assertInstanceOf(Rejected.class, builder().lookup(reg).build().authenticate(t, List.of())).message());
    }

    @Test
    void deletingSecretInvalidatesAtOnce() {
        String t = token(Fixtures.legacyClaims(LEGACY));
        InMemoryServiceAccountRegistry reg = registry(t, List.of());
        reg.put(SecretRecord.ofLegacyToken("test", "my-secret", "secret-uid", t).withDeletionTimestamp(clock.instant()));
        assertEquals("Token has been invalidated",
                assertInstanceOf(Rejected.class, builder().lookup(reg).build().authenticate(t, List.of())).message());
    }

    @Test
    void autoGeneratedSecretWarnsAndLastUsedIsRecordedOncePerDay() {
        String t = token(Fixtures.legacyClaims(LEGACY));
        InMemoryServiceAccountRegistry reg = registry(t, List.of("my-secret"));
        ServiceAccountTokenAuthenticator auth = builder().lookup(reg).build();
        Authenticated ok = assertInstanceOf(Authenticated.class, auth.authenticate(t, List.of()));
        assertEquals(List.of(LegacyTokenValidator.AUTOGENERATED_WARNING), ok.warnings());
        assertEquals("2026-03-10", reg.secret("test", "my-secret").orElseThrow().labels().get(SecretRecord.LEGACY_TOKEN_LAST_USED_LABEL));

        // A label that says tomorrow is left alone (at most about one write a day).
        reg.put(reg.secret("test", "my-secret").orElseThrow().withLabels(Map.of(SecretRecord.LEGACY_TOKEN_LAST_USED_LABEL, "2026-03-11")));
        assertInstanceOf(Authenticated.class, auth.authenticate(t, List.of()));
        assertEquals("2026-03-11", reg.secret("test", "my-secret").orElseThrow().labels().get(SecretRecord.LEGACY_TOKEN_LAST_USED_LABEL));
    }

    @Test
    void invalidatedSecretIsReported() {
        String t = token(Fixtures.legacyClaims(LEGACY));
        InMemoryServiceAccountRegistry reg = registry(t, List.of());
        reg.put(reg.secret("test", "my-secret").orElseThrow().withLabels(Map.of(SecretRecord.LEGACY_TOKEN_INVALID_SINCE_LABEL, "2026-01-01")));
        Rejected r = assertInstanceOf(Rejected.class, builder().lookup(reg).build().authenticate(t, List.of()));
        assertEquals(RejectionReason.REVOKED, r.reason());
        assertEquals("warning service-account authentication.k8s.io/legacy-token-invalidated: my-secret/test",
                listener.events().get(listener.events().size() - 1));
    }

    @Test
    void secretRecordNeverPrintsItsToken() {
        SecretRecord s = SecretRecord.ofLegacyToken("ns", "n", "u", "very-secret-token-value");
        assertEquals(false, s.toString().contains("very-secret"));
    }
}
