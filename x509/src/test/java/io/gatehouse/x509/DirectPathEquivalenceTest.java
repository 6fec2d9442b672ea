package io.gatehouse.x509;

import io.gatehouse.core.AuthenticationRequest;
import io.gatehouse.core.AuthenticationResult;
import io.gatehouse.core.testing.MutableClock;
import io.gatehouse.testing.TestPki;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.x509.CertificatePolicies;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.GeneralSubtree;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.NameConstraints;
import org.bouncycastle.asn1.x509.PolicyInformation;
import org.junit.jupiter.api.Test;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link DirectPath} accepts only what the JDK's PKIX validator accepts: every verdict and message is the same
 * with it on and off, over the whole x509-limbo corpus and over generated chains that vary exactly the
 * properties it inspects (key types and sizes, CA flags, path lengths, key usages, validity, policy and
 * name-constraint extensions, critical extensions).
 */
class DirectPathEquivalenceTest {

    @Test
    void everyLimboCaseHasTheSameVerdictAndMessageWithAndWithoutTheDirectPath() throws Exception {
        int cases = 0;
        int direct = 0;
        List<String> different = new ArrayList<>();
        for (Map<String, Object> c : LimboTest.cases()) {
            LimboTest.Verdict pkix = LimboTest.run(c, false);
            LimboTest.Verdict fast = LimboTest.run(c, true);
            cases++;
            String pkixText = pkix.detail().replaceAll(" DIRECT=\\d+$", "");
            String fastText = fast.detail().replaceAll(" DIRECT=\\d+$", "");
            if (!pkix.actual().equals(fast.actual()) || !pkixText.equals(fastText)) {
                different.add(c.get("id") + ": PKIX " + pkix.detail() + " / direct " + fast.detail());
            }
            assertFalse(pkix.detail().matches("(?s).* DIRECT=[1-9]\\d*$"), "direct path used while off: " + pkix);
            if (fast.detail().matches("(?s).* DIRECT=[1-9]\\d*$")) {
                direct++;
            }
        }
        System.out.println("x509-limbo with and without the direct path: " + cases + " cases, " + direct
                + " accepted directly, " + different.size() + " different");
        assertEquals(List.of(), different);
        assertTrue(direct > 50, "the direct path should take the corpus' ordinary chains, took " + direct);
    }

    @Test
    void theJdkDefaultsLeaveTheDirectPathOn() {
        assertTrue(DirectPath.permittedByJdk(), "jdk.certpath.disabledAlgorithms="
                + java.security.Security.getProperty("jdk.certpath.disabledAlgorithms"));
    }

    @Test
    void algorithmConstraintsThatConcernTheDirectPathTurnItOff() {
        String jdk17 = "MD2, MD5, SHA1 jdkCA & usage TLSServer, RSA keySize < 1024, DSA keySize < 1024, "
                + "EC keySize < 224, SHA1 usage SignedJAR & denyAfter 2019-01-01, include jdk.disabled.namedCurves";
        String curves = "secp112r1, secp112r2, secp128r1, secp160k1, sect571r1, X9.62 c2tnb191v1, brainpoolP512r1";
        assertTrue(DirectPath.permits(jdk17, curves));
        assertTrue(DirectPath.permits(null, null));
        assertTrue(DirectPath.permits("RSA keySize < 2048, EC keySize < 256", null));
        assertFalse(DirectPath.permits("RSA keySize < 3072", null), "a floor above 2048 bits");
        assertFalse(DirectPath.permits("EC keySize < 384", null));
        assertFalse(DirectPath.permits("SHA256withRSA", null));
        assertFalse(DirectPath.permits("md5, sha-256 usage TLSClient", null));
        assertFalse(DirectPath.permits("Ed25519", null));
        assertFalse(DirectPath.permits("RSA keySize < 1024 & denyAfter 2030-01-01", null));
        assertFalse(DirectPath.permits(jdk17, curves + ", secp256r1"));
        assertFalse(DirectPath.permits("include jdk.some.other.list", null), "an unknown include");
    }

    @Test
    void anOrdinaryChainIsAcceptedDirectlyAndAnUnusualOneGoesToPkix() {
        TestPki.Issued root = TestPki.root("direct-root");
        TestPki.Issued leaf = TestPki.client("CN=alice,O=dev", root);
        try (X509Authenticator a = X509Authenticator.builder().trustAnchors(List.of(root.cert())).build()) {
            assertTrue(a.authenticate(request(leaf.cert())).isAuthenticated());
            assertEquals(1, a.directlyAcceptedPaths());
        }
        TestPki.Issued constrained = TestPki.cert("CN=policy-root").ca(null)
                .extension("2.5.29.32", false, new CertificatePolicies(
                        new PolicyInformation(new ASN1ObjectIdentifier("1.3.6.1.4.1.99999.1"))))
                .issue();
        TestPki.Issued leaf2 = TestPki.client("CN=bob", constrained);
        try (X509Authenticator a = X509Authenticator.builder().trustAnchors(List.of(constrained.cert())).build()) {
            assertTrue(a.authenticate(request(leaf2.cert())).isAuthenticated());
            assertEquals(0, a.directlyAcceptedPaths(), "certificate policies are PKIX's");
        }
    }

    // ---- generated chains ----

    private static final List<KeyPair> KEYS = keys();

    private static List<KeyPair> keys() {
        try {
            List<KeyPair> keys = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                keys.add(TestPki.ecKey());
            }
            KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
            rsa.initialize(2048);
            keys.add(rsa.generateKeyPair());
            keys.add(rsa.generateKeyPair());
            rsa.initialize(1024);
            keys.add(rsa.generateKeyPair());
            return List.copyOf(keys);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** What varies in one certificate of a generated chain. */
    record Shape(int key, int caKind, int keyUsage, int validity, int extra) {
    }

    @Provide
    Arbitrary<Shape> shapes() {
        return Combinators.combine(
                Arbitraries.integers().between(0, KEYS.size() - 1),
                Arbitraries.integers().between(0, 4),  // CA: pathLen none / 0 / 1; cA false; no basicConstraints
                Arbitraries.integers().between(0, 3),  // key usage: CA default / without keyCertSign / none / leaf's
                Arbitraries.integers().between(0, 5),  // validity: valid mostly; expired; not yet valid
                Arbitraries.integers().between(0, 7))  // extra extension
                .as(Shape::new);
    }

    @Property(tries = 150)
    void generatedChainsHaveTheSameVerdictAndMessageBothWays(
            @ForAll("shapes") Shape rootShape,
            @ForAll("shapes") Shape midShape,
            @ForAll("shapes") Shape leafShape,
            @ForAll boolean withIntermediate,
            @ForAll boolean clientAuthEku) {
        Instant now = Instant.now();
        TestPki.Issued root = issue(TestPki.cert("CN=gen-root,O=gen"), rootShape, null, true, now);
        TestPki.Issued parent = root;
        List<X509Certificate> presented = new ArrayList<>();
        TestPki.Issued mid = null;
        if (withIntermediate) {
            mid = issue(TestPki.cert("CN=gen-mid,O=gen"), midShape, root, true, now);
            parent = mid;
        }
        TestPki.Spec leafSpec = TestPki.cert("CN=gen-leaf,O=gen");
        if (clientAuthEku) {
            leafSpec.clientAuth();
        } else {
            leafSpec.eku(KeyPurposeId.id_kp_serverAuth);
        }
        TestPki.Issued leaf = issue(leafSpec, leafShape, parent, false, now);
        presented.add(leaf.cert());
        if (mid != null) {
            presented.add(mid.cert());
        }
        String pkix = verdict(root, presented, false, now);
        String fast = verdict(root, presented, true, now);
        Statistics.label("accepted directly").collect(fast.endsWith("DIRECT=1"));
        Statistics.label("accepted directly").coverage(c -> c.check(true).percentage(p -> p >= 5.0));
        assertEquals(pkix.replaceAll(" DIRECT=\\d+$", ""), fast.replaceAll(" DIRECT=\\d+$", ""));
        assertTrue(pkix.endsWith(" DIRECT=0"));
    }

    private static TestPki.Issued issue(TestPki.Spec spec, Shape s, TestPki.Issued issuer, boolean ca, Instant now) {
        spec.keys(KEYS.get(s.key()));
        if (issuer != null) {
            spec.issuer(issuer);
        }
        if (ca) {
            switch (s.caKind()) {
                case 0 -> spec.ca(null);
                case 1 -> spec.ca(0);
                case 2 -> spec.ca(1);
                case 3 -> { } // cA false
                default -> spec.noBasicConstraints();
            }
        }
        switch (s.keyUsage()) {
            case 0 -> { } // the CA default when a CA, none otherwise
            case 1 -> spec.keyUsage(KeyUsage.digitalSignature | KeyUsage.cRLSign);
            case 2 -> spec.keyUsage(KeyUsage.keyCertSign | KeyUsage.digitalSignature);
            default -> spec.keyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment);
        }
        switch (s.validity()) {
            case 4 -> spec.validity(now.minusSeconds(7200), now.minusSeconds(3600));
            case 5 -> spec.validity(now.plusSeconds(3600), now.plusSeconds(7200));
            default -> { }
        }
        switch (s.extra()) {
            case 1 -> spec.extension("2.5.29.32", false, new CertificatePolicies(
                    new PolicyInformation(new ASN1ObjectIdentifier("1.3.6.1.4.1.99999.1"))));
            case 2 -> spec.extension("2.5.29.30", true, new NameConstraints(new GeneralSubtree[] {
                    new GeneralSubtree(new GeneralName(GeneralName.dNSName, "example.com"))}, null));
            case 3 -> spec.extension("1.3.6.1.4.1.99999.7", true, new DERSequence());
            case 4 -> spec.extension("2.5.29.17", true, new GeneralNames(
                    new GeneralName(GeneralName.dNSName, "gen.example.com")));
            case 5 -> spec.extension("1.3.6.1.4.1.99999.8", false, new DERSequence());
            default -> { }
        }
        return spec.issue();
    }

    private static String verdict(TestPki.Issued root, List<X509Certificate> presented, boolean direct, Instant now) {
        try (X509Authenticator a = X509Authenticator.builder()
                .trustAnchors(List.of(root.cert()))
                .clock(new MutableClock(now))
                .cacheMaximumSize(0)
                .directPath(direct)
                .build()) {
            AuthenticationResult r = a.authenticate(AuthenticationRequest.builder().peerCertificates(presented).build());
            return r + " DIRECT=" + a.directlyAcceptedPaths();
        }
    }

    private static AuthenticationRequest request(X509Certificate leaf) {
        return AuthenticationRequest.builder().peerCertificates(List.of(leaf)).build();
    }
}
