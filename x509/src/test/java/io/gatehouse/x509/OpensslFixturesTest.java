package io.gatehouse.x509;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gatehouse.core.AuthenticationRequest;
import io.gatehouse.core.AuthenticationResult;
import io.gatehouse.core.AuthenticationResult.Authenticated;
import io.gatehouse.core.AuthenticationResult.Rejected;
import io.gatehouse.core.KubernetesNames;
import io.gatehouse.core.RejectionReason;
import io.gatehouse.core.testing.MutableClock;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Certificates and CRLs in openssl's dialect (made by {@code src/test/resources/openssl/make-fixtures.sh},
 * checked in): RSA root, P-384 intermediate with pathlen 0, the Kubernetes UID attribute, a CN with an
 * escaped comma and a multi-valued RDN, an expired and a revoked leaf, and a CRL in PEM and DER.
 */
class OpensslFixturesTest {

    static final Instant AT = Instant.parse("2030-01-01T00:00:00Z");

    static Path resource(String name) {
        try {
            return Path.of(OpensslFixturesTest.class.getResource("/openssl/" + name).toURI());
        } catch (URISyntaxException | NullPointerException e) {
            throw new AssertionError("missing test resource openssl/" + name, e);
        }
    }

    static X509Certificate cert(String name) {
        return Fixtures.cert(resource(name));
    }

    X509Authenticator authenticator(String... crlFiles) {
        return X509Authenticator.builder().clientCaFile(resource("root.pem"))
                .crlFiles(java.util.Arrays.stream(crlFiles).map(OpensslFixturesTest::resource).toList())
                .clock(new MutableClock(AT)).build();
    }

    AuthenticationResult authenticate(X509Authenticator a, String leaf) {
        return a.authenticate(AuthenticationRequest.builder()
                .peerCertificates(List.of(cert(leaf), cert("intermediate.pem"))).build());
    }

    @Test
    void theOpensslClientMapsLikeKubernetes() throws IOException {
        try (X509Authenticator a = authenticator(); InputStream digest = OpensslFixturesTest.class.getResourceAsStream("/openssl/client.sha256")) {
            Authenticated ok = assertInstanceOf(Authenticated.class, authenticate(a, "client.pem"));
            assertEquals("carol", ok.user().name());
            assertEquals("carol-uid", ok.user().uid());
            assertEquals(List.of("ops", "dev"), ok.user().groups());
            // The credential id agrees with openssl's own SHA-256 of the DER.
            String opensslSha256 = new String(digest.readAllBytes(), StandardCharsets.US_ASCII).trim();
            assertEquals(List.of("X509SHA256=" + opensslSha256), ok.user().extra().get(KubernetesNames.CREDENTIAL_ID_KEY));
        }
    }

    @Test
    void escapedCommasAndMultiValuedRdnsAreReadFromTheEncoding() {
        try (X509Authenticator a = authenticator()) {
            Authenticated ok = assertInstanceOf(Authenticated.class, authenticate(a, "comma.pem"));
            assertEquals("Smith, John", ok.user().name());
            assertEquals(List.of("eng"), ok.user().groups());
        }
    }

    @Test
    void serverOnlyExpiredAndRevokedCertificatesAreRefused() {
        try (X509Authenticator a = authenticator("intermediate.crl.pem")) {
            assertTrue(assertInstanceOf(Rejected.class, authenticate(a, "server-only.pem")).message()
                    .endsWith("x509: certificate specifies an incompatible key usage"));
            Rejected expired = assertInstanceOf(Rejected.class, authenticate(a, "expired.pem"));
            assertEquals(RejectionReason.EXPIRED, expired.reason());
            assertTrue(expired.message().endsWith("current time 2030-01-01T00:00:00Z is after 2021-01-01T00:00:00Z"),
                    expired.message());
            Rejected revoked = assertInstanceOf(Rejected.class, authenticate(a, "revoked.pem"));
            assertEquals(RejectionReason.REVOKED, revoked.reason());
            assertTrue(revoked.message().contains("reason keyCompromise, according to the CRL of \"openssl-intermediate\""),
                    revoked.message());
            assertInstanceOf(Authenticated.class, authenticate(a, "client.pem"));
        }
        try (X509Authenticator a = authenticator("intermediate.crl.der")) {
            assertEquals(RejectionReason.REVOKED, assertInstanceOf(Rejected.class, authenticate(a, "revoked.pem")).reason());
        }
    }

    @Test
    void aTrustAnchorPresentedAloneIsAUserAsInKubernetes() {
        // Kubernetes' "ca with multiple organizations": a bundle certificate without EKU maps like any leaf
        // (the TLS handshake still demands its private key).
        try (X509Authenticator a = authenticator()) {
            Authenticated ok = assertInstanceOf(Authenticated.class, a.authenticate(AuthenticationRequest.builder()
                    .peerCertificates(List.of(cert("root.pem"))).build()));
            assertEquals("openssl-root", ok.user().name());
            assertEquals(List.of("Gatehouse Test"), ok.user().groups());
        }
    }
}
