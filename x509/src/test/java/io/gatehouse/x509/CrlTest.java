package io.gatehouse.x509;

import io.gatehouse.core.AuthenticationRequest;
import io.gatehouse.core.AuthenticationResult.Authenticated;
import io.gatehouse.core.AuthenticationResult.Rejected;
import io.gatehouse.core.AuthenticationResult;
import io.gatehouse.core.ConfigurationException;
import io.gatehouse.core.RejectionReason;
import io.gatehouse.core.testing.MutableClock;
import io.gatehouse.testing.TestPki;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509CRL;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** CRL revocation: PEM and DER files, several, reloaded on change, nextUpdate honoured, issuers checked. */
class CrlTest {

    static final Instant NOW = Instant.now();
    static final TestPki.Issued ROOT = TestPki.root("crl-root");
    static final TestPki.Issued INTERMEDIATE = TestPki.intermediate("crl-intermediate", ROOT);
    static final TestPki.Issued ALICE = TestPki.client("CN=alice", INTERMEDIATE);
    static final TestPki.Issued BOB = TestPki.client("CN=bob", INTERMEDIATE);

    @TempDir
    Path dir;
    final MutableClock clock = new MutableClock(NOW);

    X509Authenticator authenticator(Path... crlFiles) {
        return X509Authenticator.builder().trustAnchors(List.of(ROOT.cert())).crlFiles(List.of(crlFiles))
                .clock(clock).reloadInterval(Duration.ZERO).build();
    }

    static AuthenticationResult authenticate(X509Authenticator a, TestPki.Issued client) {
        return a.authenticate(AuthenticationRequest.builder()
                .peerCertificates(List.of(client.cert(), INTERMEDIATE.cert())).build());
    }

    static X509CRL intermediateCrl(long number, TestPki.Issued... revoked) {
        return TestPki.crl(INTERMEDIATE, NOW.minusSeconds(600), NOW.plus(Duration.ofDays(7)), number,
                java.util.Arrays.stream(revoked).map(TestPki.Issued::cert).toArray(java.security.cert.X509Certificate[]::new));
    }

    @Test
    void aRevokedLeafIsRejectedAndOthersPass() throws Exception {
        Path crl = Files.writeString(dir.resolve("intermediate.crl.pem"), TestPki.pem(intermediateCrl(1, ALICE)));
        try (X509Authenticator a = authenticator(crl)) {
            Rejected r = assertInstanceOf(Rejected.class, authenticate(a, ALICE));
            assertEquals(RejectionReason.REVOKED, r.reason());
            assertTrue(r.message().startsWith("verifying certificate " + Certificates.identifier(ALICE.cert()) + " failed: "
                    + "x509: certificate SN=" + ALICE.cert().getSerialNumber() + " (\"alice\") was revoked at "), r.message());
            assertTrue(r.message().endsWith(", reason keyCompromise, according to the CRL of \"crl-intermediate\""), r.message());
            assertEquals("bob", assertInstanceOf(Authenticated.class, authenticate(a, BOB)).user().name());
        }
    }

    @Test
    void derFilesAndSeveralFilesWork() throws Exception {
        Path leafCrl = Files.write(dir.resolve("intermediate.crl"), intermediateCrl(1).getEncoded());
        X509CRL rootCrl = TestPki.crl(ROOT, NOW.minusSeconds(600), NOW.plus(Duration.ofDays(7)), 3, INTERMEDIATE.cert());
        Path rootCrlFile = Files.write(dir.resolve("root.crl"), rootCrl.getEncoded());
        try (X509Authenticator a = authenticator(leafCrl, rootCrlFile)) {
            // The intermediate is revoked by the root: every client under it is refused.
            Rejected r = assertInstanceOf(Rejected.class, authenticate(a, BOB));
            assertEquals(RejectionReason.REVOKED, r.reason());
            assertTrue(r.message().contains("(\"crl-intermediate\") was revoked"), r.message());
        }
        try (X509Authenticator a = authenticator(leafCrl)) {
            assertInstanceOf(Authenticated.class, authenticate(a, BOB));
        }
    }

    @Test
    void aNewCrlIsPickedUpAndEmptiesTheCache() throws Exception {
        Path crl = Files.writeString(dir.resolve("c.pem"), TestPki.pem(intermediateCrl(1)));
        try (X509Authenticator a = authenticator(crl)) {
            assertInstanceOf(Authenticated.class, authenticate(a, ALICE));
            assertEquals(1, a.cachedChains());
            TestPki.write(crl, TestPki.pem(intermediateCrl(2, ALICE)));
            assertTrue(a.reloadIfChanged());
            assertEquals(RejectionReason.REVOKED, assertInstanceOf(Rejected.class, authenticate(a, ALICE)).reason());
            // A broken new CRL keeps the last good one: alice stays revoked.
            TestPki.write(crl, "-----BEGIN X509 CRL-----\nAAAA\n-----END X509 CRL-----\n");
            a.reloadIfChanged();
            assertEquals(RejectionReason.REVOKED, assertInstanceOf(Rejected.class, authenticate(a, ALICE)).reason());
        }
    }

    @Test
    void anOutOfDateCrlRejectsAndBoundsTheCache() throws Exception {
        X509CRL crl = TestPki.crl(INTERMEDIATE, NOW.minusSeconds(600), NOW.plusSeconds(60), 1);
        try (X509Authenticator a = X509Authenticator.builder().trustAnchors(List.of(ROOT.cert())).crls(List.of(crl))
                .clock(clock).build()) {
            assertInstanceOf(Authenticated.class, authenticate(a, ALICE));
            clock.advance(Duration.ofSeconds(61));
            Rejected r = assertInstanceOf(Rejected.class, authenticate(a, ALICE));
            assertEquals(RejectionReason.UNTRUSTED_CERTIFICATE, r.reason());
            assertTrue(r.message().contains("x509: the CRL of \"crl-intermediate\" is out of date: its next update was due at "),
                    r.message());
        }
    }

    @Test
    void aCrlFromAnotherCaOfTheSameNameIsIgnored() {
        TestPki.Issued impostor = TestPki.intermediate("crl-intermediate", TestPki.root("other-root"));
        X509CRL foreign = TestPki.crl(impostor, NOW.minusSeconds(600), NOW.plus(Duration.ofDays(1)), 9, ALICE.cert());
        try (X509Authenticator a = X509Authenticator.builder().trustAnchors(List.of(ROOT.cert())).crls(List.of(foreign))
                .clock(clock).build()) {
            assertInstanceOf(Authenticated.class, authenticate(a, ALICE));
        }
    }

    @Test
    void anIssuerWithoutCrlSignCannotRevoke() {
        TestPki.Issued noCrlSign = TestPki.cert("CN=no-crlsign").issuer(ROOT).ca(null).keyUsage(KeyUsage.keyCertSign).issue();
        TestPki.Issued carol = TestPki.client("CN=carol", noCrlSign);
        X509CRL crl = TestPki.crl(noCrlSign, NOW.minusSeconds(600), NOW.plus(Duration.ofDays(1)), 1);
        try (X509Authenticator a = X509Authenticator.builder().trustAnchors(List.of(ROOT.cert())).crls(List.of(crl))
                .clock(clock).build()) {
            AuthenticationResult r = a.authenticate(AuthenticationRequest.builder()
                    .peerCertificates(List.of(carol.cert(), noCrlSign.cert())).build());
            assertTrue(assertInstanceOf(Rejected.class, r).message()
                    .endsWith("x509: the CRL issuer \"no-crlsign\" is not allowed to sign CRLs (its key usage lacks cRLSign)"));
        }
    }

    @Test
    void crlsWithoutANumberOrWithCriticalExtensionsAreRefusedAtLoad() throws Exception {
        X509CRL withoutNumber = new org.bouncycastle.cert.jcajce.JcaX509CRLConverter().getCRL(
                new org.bouncycastle.cert.X509v2CRLBuilder(
                        org.bouncycastle.asn1.x500.X500Name.getInstance(INTERMEDIATE.cert().getSubjectX500Principal().getEncoded()),
                        java.util.Date.from(NOW)).build(TestPki.signer(INTERMEDIATE.key())));
        Path file = Files.write(dir.resolve("nonumber.crl"), withoutNumber.getEncoded());
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> authenticator(file));
        assertTrue(e.getMessage().contains("has no CRL number"), e.getMessage());
        Path empty = Files.writeString(dir.resolve("empty.crl"), "");
        assertTrue(assertThrows(ConfigurationException.class, () -> authenticator(empty)).getMessage().endsWith("empty CRL file"));
    }
}
