package io.gatehouse.x509;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.gatehouse.core.AuthenticationRequest;
import io.gatehouse.core.AuthenticationResult.Abstained;
import io.gatehouse.core.AuthenticationResult.Authenticated;
import io.gatehouse.core.AuthenticationResult.Rejected;
import io.gatehouse.core.testing.MetricEventsListener;
import io.gatehouse.testing.TestPki;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Kubernetes' {@code apiserver_client_certificate_expiration_seconds} event: the client-certificate authenticator
 * reports the leaf's remaining lifetime for every presented chain, before (and whatever) its verification says; the
 * front-proxy check never does.
 */
class CertificateLifetimeEventTest {

    static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");
    static final TestPki.Issued CA = TestPki.ca("lifetime-ca", NOW);
    final MetricEventsListener events = new MetricEventsListener();

    static TestPki.Issued leaf(TestPki.Issued issuer, Duration remaining) {
        return TestPki.cert("CN=alice").issuer(issuer).clientAuth()
                .validity(NOW.minus(Duration.ofDays(400)), NOW.plus(remaining)).issue();
    }

    static AuthenticationRequest presenting(TestPki.Issued cert) {
        return AuthenticationRequest.builder().peerCertificates(List.of(cert.cert())).build();
    }

    @Test
    void everyPresentedLeafReportsItsRemainingLifetimeBeforeVerification() {
        X509Authenticator x509 = X509Authenticator.builder().trustAnchors(List.of(CA.cert()))
                .clock(Clock.fixed(NOW, ZoneOffset.UTC)).listener(events).build();
        try (x509) {
            assertInstanceOf(Authenticated.class, x509.authenticate(presenting(leaf(CA, Duration.ofHours(2)))));
            // The same chain again: a verified-chain cache hit is still a presented certificate.
            TestPki.Issued twoDays = leaf(CA, Duration.ofDays(2));
            x509.authenticate(presenting(twoDays));
            x509.authenticate(presenting(twoDays));
            // Untrusted and expired certificates are reported too: the lifetime is read before verification.
            assertInstanceOf(Rejected.class, x509.authenticate(presenting(leaf(TestPki.ca("stranger", NOW), Duration.ofHours(1)))));
            assertInstanceOf(Rejected.class, x509.authenticate(presenting(leaf(CA, Duration.ofSeconds(-30)))));
            assertInstanceOf(Abstained.class, x509.authenticate(AuthenticationRequest.builder().build()));
        }
        // X.509 validity has whole seconds, so the remaining lifetimes are exact.
        assertEquals(List.of("clientCertificateLifetime 7200000", "clientCertificateLifetime 172800000",
                "clientCertificateLifetime 172800000", "clientCertificateLifetime 3600000",
                "clientCertificateLifetime -30000"), events.events());
    }

    @Test
    void theFrontProxyCheckReportsNoLifetime() {
        RequestHeaderAuthenticator proxy = RequestHeaderAuthenticator.builder().trustAnchors(List.of(CA.cert()))
                .clock(Clock.fixed(NOW, ZoneOffset.UTC)).listener(events).build();
        AuthenticationRequest request = AuthenticationRequest.builder()
                .peerCertificates(List.of(leaf(CA, Duration.ofHours(2)).cert())).header("X-Remote-User", "bob").build();
        assertInstanceOf(Authenticated.class, proxy.authenticate(request));
        assertEquals(List.of(), events.eventsStartingWith("clientCertificateLifetime"));
    }
}
