package io.gatehouse.x509;

import io.gatehouse.core.AuthenticationRequest;
import io.gatehouse.core.AuthenticationResult.Authenticated;
import io.gatehouse.core.AuthenticationResult.Rejected;
import io.gatehouse.core.AuthenticationResult;
import io.gatehouse.core.RejectionReason;
import io.gatehouse.testing.TestPki;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.bouncycastle.asn1.DEROctetString;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Hostile and broken chains: each is a clear rejection, never an exception out of {@code authenticate}. */
class BadInputTest {

    static final TestPki.Issued ROOT = TestPki.root("bad-input-root");
    static final TestPki.Issued INTERMEDIATE = TestPki.intermediate("bad-input-intermediate", ROOT);
    static final TestPki.Issued LEAF = TestPki.client("CN=alice,O=dev", INTERMEDIATE);

    static X509Authenticator authenticator() {
        return X509Authenticator.builder().trustAnchors(List.of(ROOT.cert())).build();
    }

    static Rejected rejected(List<X509Certificate> chain) {
        try (X509Authenticator a = authenticator()) {
            AuthenticationResult r = a.authenticate(AuthenticationRequest.builder().peerCertificates(chain).build());
            return assertInstanceOf(Rejected.class, r, () -> "expected a rejection, got " + r);
        }
    }

    static byte[] der(X509Certificate c) {
        try {
            return c.getEncoded();
        } catch (java.security.cert.CertificateEncodingException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void theValidChainIsAccepted() {
        try (X509Authenticator a = authenticator()) {
            AuthenticationResult r = a.authenticate(AuthenticationRequest.builder()
                    .peerCertificates(List.of(LEAF.cert(), INTERMEDIATE.cert())).build());
            assertEquals("alice", assertInstanceOf(Authenticated.class, r).user().name());
        }
    }

    @Test
    void garbageDer() {
        Rejected r = rejected(List.of(new FakeCertificate(new byte[] {0x30, 0x03, 0x02, 0x01, 0x05})));
        assertEquals(RejectionReason.MALFORMED, r.reason());
        assertTrue(r.message().startsWith("x509: presented certificate 1 is malformed"), r.message());
        Rejected text = rejected(List.of(new FakeCertificate("-----BEGIN CERTIFICATE-----".getBytes())));
        assertEquals(RejectionReason.MALFORMED, text.reason());
    }

    @Test
    void aCertificateWithoutEncodingOrThrowing() {
        assertEquals("x509: presented certificate 1 has no encoding",
                rejected(List.of(FakeCertificate.unencodable())).message());
        assertEquals("x509: presented certificate 2 has no encoding",
                rejected(List.of(LEAF.cert(), new FakeCertificate(new byte[0]))).message());
    }

    @Test
    void trailingBytesAfterAValidCertificate() {
        byte[] real = der(LEAF.cert());
        byte[] padded = Arrays.copyOf(real, real.length + 4);
        Rejected r = rejected(List.of(new FakeCertificate(padded), INTERMEDIATE.cert()));
        assertEquals(RejectionReason.MALFORMED, r.reason());
        assertTrue(r.message().contains("trailing data"), r.message());
    }

    @Test
    void aLyingCertificateIsJudgedByItsBytes() {
        // The fake claims CN=admin,O=system:masters but carries alice's bytes: the user is alice.
        try (X509Authenticator a = authenticator()) {
            AuthenticationResult r = a.authenticate(AuthenticationRequest.builder()
                    .peerCertificates(List.of(new FakeCertificate(der(LEAF.cert())), INTERMEDIATE.cert())).build());
            Authenticated ok = assertInstanceOf(Authenticated.class, r);
            assertEquals("alice", ok.user().name());
            assertEquals(List.of("dev"), ok.user().groups());
        }
    }

    @Test
    void aChainOfFiftyCertificatesIsCapped() {
        List<X509Certificate> chain = new ArrayList<>();
        chain.add(LEAF.cert());
        TestPki.Issued previous = ROOT;
        for (int i = 0; i < 49; i++) {
            previous = TestPki.intermediate("filler-" + i, previous);
            chain.add(previous.cert());
        }
        Rejected r = rejected(chain);
        assertEquals(RejectionReason.MALFORMED, r.reason());
        assertEquals("x509: the client presented 50 certificates; at most 10 are accepted", r.message());
    }

    @Test
    void aOneMebibyteCertificateIsRefusedBeforeParsing() {
        X509Certificate huge = TestPki.cert("CN=huge").issuer(ROOT).clientAuth()
                .extension("1.3.6.1.4.1.99999.1", false, new DEROctetString(new byte[1 << 20])).issue().cert();
        assertTrue(der(huge).length > 1 << 20);
        Rejected r = rejected(List.of(huge));
        assertEquals(RejectionReason.MALFORMED, r.reason());
        assertTrue(r.message().matches("x509: presented certificate 1 is \\d+ bytes; at most 65536 are accepted"), r.message());
    }

    @Test
    void aChainLargerThanTheTotalCapIsRefused() {
        X509Certificate big = TestPki.cert("CN=big").issuer(ROOT).ca(null)
                .extension("1.3.6.1.4.1.99999.1", false, new DEROctetString(new byte[60_000])).issue().cert();
        List<X509Certificate> chain = new ArrayList<>();
        chain.add(LEAF.cert());
        for (int i = 0; i < 5; i++) {
            chain.add(TestPki.cert("CN=big" + i).issuer(ROOT).ca(null)
                    .extension("1.3.6.1.4.1.99999.1", false, new DEROctetString(new byte[60_000])).issue().cert());
        }
        assertTrue(der(big).length < X509Authenticator.MAX_CERTIFICATE_BYTES);
        Rejected r = rejected(chain);
        assertEquals("x509: the presented chain is larger than 262144 bytes", r.message());
    }

    @Test
    void duplicateCertificatesAreRefused() {
        Rejected twiceIntermediate = rejected(List.of(LEAF.cert(), INTERMEDIATE.cert(), INTERMEDIATE.cert()));
        assertEquals(RejectionReason.MALFORMED, twiceIntermediate.reason());
        assertEquals("x509: presented certificate 3 duplicates certificate 2", twiceIntermediate.message());
        Rejected twiceLeaf = rejected(List.of(LEAF.cert(), LEAF.cert()));
        assertEquals("x509: presented certificate 2 duplicates certificate 1", twiceLeaf.message());
    }

    @Test
    @Timeout(60) // a hang detector: a path builder that loops never ends; a correct one takes milliseconds
    void aCycleOfCrossSignedIntermediatesEnds() {
        // Two CAs that sign each other, neither trusted: path building must stop, not loop.
        var keysA = TestPki.ecKey();
        var keysB = TestPki.ecKey();
        TestPki.Issued a0 = TestPki.cert("CN=cycle-a").keys(keysA).ca(null).issue();
        TestPki.Issued b = TestPki.cert("CN=cycle-b").keys(keysB).issuer(a0).ca(null).issue();
        TestPki.Issued a = TestPki.cert("CN=cycle-a").keys(keysA).issuer(b).ca(null).issue();
        TestPki.Issued leaf = TestPki.client("CN=victim", a);
        Rejected r = rejected(List.of(leaf.cert(), a.cert(), b.cert(), a0.cert()));
        assertEquals(RejectionReason.UNTRUSTED_CERTIFICATE, r.reason());
        assertTrue(r.message().contains("x509: certificate signed by unknown authority"), r.message());
    }
}
