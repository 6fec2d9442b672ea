package io.gatehouse.serviceaccount;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import com.nimbusds.jose.JWSAlgorithm;
import io.gatehouse.core.AuthenticationResult.Authenticated;
import io.gatehouse.core.AuthenticationResult.Rejected;
import io.gatehouse.core.testing.MetricEventsListener;
import io.gatehouse.core.testing.MutableClock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The service account token kinds Kubernetes counts ({@code serviceaccount_*_total}), reported exactly where it
 * increments them: legacy for any verified token without {@code aud}; stale and valid only for tokens carrying a
 * {@code warnafter}; auto, manual and invalid legacy uses only where the lookup can tell.
 */
class TokenKindEventsTest {

    private static final long NOW = 1_700_000_000L;
    private static final String ISSUER = "https://kubernetes.default.svc";
    private static final String LEGACY = ServiceAccountTokenAuthenticator.LEGACY_ISSUER;

    private final MutableClock clock = new MutableClock(Instant.ofEpochSecond(NOW));
    private final MetricEventsListener events = new MetricEventsListener();

    private static String token(Map<String, Object> claims) {
        return Fixtures.sign(Fixtures.rsaPair().getPrivate(), JWSAlgorithm.RS256, Fixtures.RSA_KID, claims);
    }

    private ServiceAccountTokenAuthenticator.Builder builder() {
        return ServiceAccountTokenAuthenticator.builder().keys(List.of(Fixtures.rsaPublic())).issuers(List.of(ISSUER))
                .apiAudiences(List.of("api")).clock(clock).listener(events);
    }

    private static String bound(Long warnAfter) {
        return token(Fixtures.boundClaims(ISSUER, List.of("api"), NOW, NOW + 3600, "ns", "sa", "sa-uid", null, null, null,
                warnAfter));
    }

    @Test
    void boundTokensAreStaleOrValidOnlyWithAWarnafter() {
        ServiceAccountTokenAuthenticator auth = builder().build();
        assertInstanceOf(Authenticated.class, auth.authenticate(bound(null), List.of()));
        assertEquals(List.of(), events.events(), "no warnafter: neither stale nor valid, as Kubernetes");
        assertInstanceOf(Authenticated.class, auth.authenticate(bound(NOW + 60), List.of()));
        assertInstanceOf(Authenticated.class, auth.authenticate(bound(NOW - 30), List.of()));
        assertEquals(List.of("serviceAccountToken VALID", "serviceAccountToken STALE"), events.events());
    }

    @Test
    void aRejectedBoundTokenIsNotCounted() {
        String t = bound(NOW - 30);
        clock.set(Instant.ofEpochSecond(NOW + 7200));   // expired: refused before the warnafter check
        assertInstanceOf(Rejected.class, builder().build().authenticate(t, List.of()));
        assertEquals(List.of(), events.events());
    }

    @Test
    void aLegacyTokenIsCountedWithoutLookupAndItsSecretKindWithIt() {
        String t = token(Fixtures.legacyClaims(LEGACY));
        assertInstanceOf(Authenticated.class, builder().legacyLookup(false).build().authenticate(t, List.of()));
        assertEquals(List.of("serviceAccountToken LEGACY"), events.events(), "without the lookup the kind is unknown");
        events.clear();

        InMemoryServiceAccountRegistry auto = registry(t, List.of("my-secret"));
        assertInstanceOf(Authenticated.class, builder().lookup(auto).build().authenticate(t, List.of()));
        assertEquals(List.of("serviceAccountToken LEGACY", "serviceAccountToken LEGACY_AUTO"), events.events());
        events.clear();

        InMemoryServiceAccountRegistry manual = registry(t, List.of());
        assertInstanceOf(Authenticated.class, builder().lookup(manual).build().authenticate(t, List.of()));
        assertEquals(List.of("serviceAccountToken LEGACY", "serviceAccountToken LEGACY_MANUAL"), events.events());
        events.clear();

        InMemoryServiceAccountRegistry invalid = registry(t, List.of("my-secret"));
        invalid.put(invalid.secret("test", "my-secret").orElseThrow()
                .withLabels(Map.of(SecretRecord.LEGACY_TOKEN_INVALID_SINCE_LABEL, "2023-01-01")));
        assertInstanceOf(Rejected.class, builder().lookup(invalid).build().authenticate(t, List.of()));
        assertEquals(List.of("serviceAccountToken LEGACY", "serviceAccountToken INVALID_LEGACY_AUTO"), events.events());
        events.clear();

        // A token that does not match the Secret's copy is refused before its kind is known.
        assertInstanceOf(Rejected.class, builder().lookup(registry(t + "x", List.of("my-secret"))).build()
                .authenticate(t, List.of()));
        assertEquals(List.of("serviceAccountToken LEGACY"), events.events());
    }

    private static InMemoryServiceAccountRegistry registry(String storedToken, List<String> saSecrets) {
        return new InMemoryServiceAccountRegistry()
                .put(new ServiceAccountRecord("test", "my-service-account", "12345", null, saSecrets))
                .put(SecretRecord.ofLegacyToken("test", "my-secret", "secret-uid", storedToken));
    }
}
