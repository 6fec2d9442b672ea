package io.gatehouse.x509;

import io.gatehouse.core.AuthenticationRequest;
import io.gatehouse.core.AuthenticationResult.Authenticated;
import io.gatehouse.core.AuthenticationResult.Rejected;
import io.gatehouse.core.AuthenticationResult;
import io.gatehouse.core.RejectionReason;
import io.gatehouse.testing.TestPki;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralSubtree;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.NameConstraints;
import org.junit.jupiter.api.Test;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

/**
 * The checks added where the JDK's PKIX validator is laxer than Go or RFC 5280: trust-anchor extensions
 * (name constraints, critical extensions, validity), extended key usage through the chain, empty EKU lists,
 * path length and the order of presented intermediates.
 */
class ChainVerifierTest {

    static AuthenticationResult verify(TestPki.Issued anchor, X509Certificate... presented) {
        try (X509Authenticator a = X509Authenticator.builder().trustAnchors(List.of(anchor.cert())).build()) {
            return a.authenticate(AuthenticationRequest.builder().peerCertificates(List.of(presented)).build());
        }
    }

    static Rejected rejected(TestPki.Issued anchor, X509Certificate... presented) {
        AuthenticationResult r = verify(anchor, presented);
        return assertInstanceOf(Rejected.class, r, () -> "expected a rejection, got " + r);
    }

    static String goError(Rejected r) {
        return r.message().substring(r.message().indexOf(" failed: ") + " failed: ".length());
    }

    @Test
    void nameConstraintsInTheTrustAnchorAreEnforced() {
        NameConstraints nc = new NameConstraints(
                new GeneralSubtree[] {new GeneralSubtree(new GeneralName(new X500Name("O=Allowed"))),
                        new GeneralSubtree(new GeneralName(GeneralName.rfc822Name, "example.com"))}, null);
        TestPki.Issued root = TestPki.cert("O=Allowed,CN=constrained-root").ca(null).extension("2.5.29.30", true, nc).issue();
        TestPki.Issued inside = TestPki.client("O=Allowed,CN=alice", root);
        TestPki.Issued outside = TestPki.client("O=Other,CN=mallory", root);
        assertEquals("alice", assertInstanceOf(Authenticated.class, verify(root, inside.cert())).user().name());
        Rejected r = rejected(root, outside.cert());
        assertEquals(RejectionReason.UNTRUSTED_CERTIFICATE, r.reason());
        assertEquals("x509: certificate signed by unknown authority (possibly because of \"x509: a root or intermediate "
                + "certificate is not authorized to sign for this name\" while trying to verify candidate authority "
                + "certificate \"constrained-root\")", goError(r));
        TestPki.Issued badEmail = TestPki.cert("O=Allowed,CN=eve").issuer(root).clientAuth()
                .extension("2.5.29.17", false, new org.bouncycastle.asn1.x509.GeneralNames(
                        new GeneralName(GeneralName.rfc822Name, "eve@evil.test"))).issue();
        assertEquals(RejectionReason.UNTRUSTED_CERTIFICATE, rejected(root, badEmail.cert()).reason());
    }

    @Test
    void anUnknownCriticalExtensionOrExpiryOfTheRootIsRefused() {
        TestPki.Issued critical = TestPki.cert("CN=critical-root").ca(null)
                .extension("1.3.6.1.4.1.99999.7", true, new DERUTF8String("must understand")).issue();
        assertEquals("x509: certificate signed by unknown authority (possibly because of \"x509: unhandled critical "
                + "extension\" while trying to verify candidate authority certificate \"critical-root\")",
                goError(rejected(critical, TestPki.client("CN=a", critical).cert())));
        Instant now = Instant.now();
        TestPki.Issued expiredRoot = TestPki.cert("CN=expired-root").ca(null)
                .validity(now.minus(Duration.ofDays(10)), now.minus(Duration.ofDays(1))).issue();
        TestPki.Issued leaf = TestPki.cert("CN=b").issuer(expiredRoot).clientAuth()
                .validity(now.minus(Duration.ofDays(5)), now.plus(Duration.ofDays(5))).issue();
        String error = goError(rejected(expiredRoot, leaf.cert()));
        assertEquals(true, error.startsWith("x509: certificate signed by unknown authority (possibly because of "
                + "\"x509: certificate has expired or is not yet valid: current time "), error);
    }

    @Test
    void anIntermediateWhoseEkuLacksClientAuthInvalidatesTheChainAsInGo() {
        TestPki.Issued root = TestPki.root("eku-root");
        TestPki.Issued serverCa = TestPki.cert("CN=server-only-ca").issuer(root).ca(null).eku(KeyPurposeId.id_kp_serverAuth).issue();
        TestPki.Issued anyCa = TestPki.cert("CN=any-ca").issuer(root).ca(null).eku(KeyPurposeId.anyExtendedKeyUsage).issue();
        assertEquals("x509: certificate specifies an incompatible key usage",
                goError(rejected(root, TestPki.client("CN=c", serverCa).cert(), serverCa.cert())));
        assertInstanceOf(Authenticated.class, verify(root, TestPki.client("CN=d", anyCa).cert(), anyCa.cert()));
    }

    @Test
    void anEmptyEkuListIsRefusedWhileNoEkuAllowsAnyUsage() {
        TestPki.Issued root = TestPki.root("empty-eku-root");
        X509Certificate empty = TestPki.cert("CN=empty").issuer(root)
                .extension("2.5.29.37", false, new DERSequence()).issue().cert();
        assertEquals("x509: certificate specifies an incompatible key usage", goError(rejected(root, empty)));
        X509Certificate none = TestPki.cert("CN=none").issuer(root).issue().cert();
        assertEquals("none", assertInstanceOf(Authenticated.class, verify(root, none)).user().name());
        X509Certificate codeSigning = TestPki.cert("CN=code").issuer(root)
                .extension("2.5.29.37", false, new ExtendedKeyUsage(KeyPurposeId.id_kp_codeSigning)).issue().cert();
        assertEquals(RejectionReason.INVALID_CREDENTIAL, rejected(root, codeSigning).reason());
    }

    @Test
    void pathLengthAndCaBitAreEnforcedAndOrderDoesNotMatter() {
        TestPki.Issued root = TestPki.cert("CN=pathlen-root").ca(0).issue();
        TestPki.Issued i1 = TestPki.intermediate("i1", root);
        TestPki.Issued i2 = TestPki.intermediate("i2", i1);
        TestPki.Issued leaf = TestPki.client("CN=deep", i2);
        assertEquals(RejectionReason.UNTRUSTED_CERTIFICATE, rejected(root, leaf.cert(), i2.cert(), i1.cert()).reason());

        TestPki.Issued open = TestPki.root("open-root");
        TestPki.Issued a = TestPki.intermediate("a", open);
        TestPki.Issued b = TestPki.intermediate("b", a);
        TestPki.Issued client = TestPki.client("CN=ordered", b);
        assertInstanceOf(Authenticated.class, verify(open, client.cert(), a.cert(), b.cert()));
        assertInstanceOf(Authenticated.class, verify(open, client.cert(), b.cert(), a.cert()));

        TestPki.Issued notCa = TestPki.cert("CN=not-a-ca").issuer(open).issue();
        TestPki.Issued underNotCa = TestPki.client("CN=e", notCa);
        assertEquals("x509: certificate signed by unknown authority (possibly because of \"x509: certificate is not "
                + "authorized to sign other certificates\" while trying to verify candidate authority certificate "
                + "\"not-a-ca\")", goError(rejected(open, underNotCa.cert(), notCa.cert())));
    }
}
