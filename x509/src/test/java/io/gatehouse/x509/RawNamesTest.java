package io.gatehouse.x509;

import io.gatehouse.testing.TestPki;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.security.auth.x500.X500Principal;
import org.junit.jupiter.api.Test;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The DER walker that reads names and the authority key identifier from a certificate's bytes agrees with the
 * JDK and BouncyCastle on every certificate of the x509-limbo corpus (a few thousand, many of them odd) and
 * on this project's own fixtures; where it does not know the structure it says so (null) instead of guessing.
 */
class RawNamesTest {

    @Test
    void agreesWithTheJdkOnEveryCertificateOfTheCorpus() throws Exception {
        Map<String, X509Certificate> certificates = new LinkedHashMap<>();
        for (Map<String, Object> c : LimboTest.cases()) {
            List<Object> pems = new ArrayList<>();
            pems.add(c.get("peer_certificate"));
            pems.addAll((List<?>) c.get("untrusted_intermediates"));
            pems.addAll((List<?>) c.get("trusted_certs"));
            for (Object pem : pems) {
                try {
                    X509Certificate cert = Fixtures.fromPem((String) pem);
                    certificates.put(java.util.HexFormat.of().formatHex(io.gatehouse.core.internal.Sha256.digest(cert.getEncoded())), cert);
                } catch (AssertionError e) {
                    // a certificate the JDK cannot parse: nothing to compare
                }
            }
        }
        TestPki.Issued root = TestPki.root("raw-names-root");
        certificates.put("pki-root", root.cert());
        certificates.put("pki-leaf", TestPki.client("CN=alice,O=dev,O=ops", root).cert());

        int names = 0;
        int keyIds = 0;
        for (Map.Entry<String, X509Certificate> e : certificates.entrySet()) {
            X509Certificate cert = e.getValue();
            byte[] der = cert.getEncoded();
            RawNames raw = RawNames.of(der);
            if (raw != null) {
                names++;
                assertEquals(cert.getSubjectX500Principal(), new X500Principal(raw.subject), e.getKey());
                assertEquals(cert.getIssuerX500Principal(), new X500Principal(raw.issuer), e.getKey());
                assertEquals(cert.getSubjectX500Principal().equals(cert.getIssuerX500Principal()),
                        RawNames.sameName(raw.subject, cert.getSubjectX500Principal(), raw.issuer,
                                cert.getIssuerX500Principal()), e.getKey());
            }
            byte[] akid = RawNames.authorityKeyId(der);
            if (akid != null) {
                keyIds++;
                assertArrayEquals(Certificates.authorityKeyId(cert), akid, e.getKey());
            }
        }
        System.out.println("raw names: " + certificates.size() + " certificates, names read for " + names
                + ", authority key ids for " + keyIds);
        assertTrue(names > certificates.size() * 9 / 10, "names read for " + names + " of " + certificates.size());
        assertTrue(keyIds > certificates.size() * 9 / 10, "key ids read for " + keyIds + " of " + certificates.size());
    }

    @Test
    void anythingButACertificateIsUnknownNotAGuess() throws Exception {
        assertEquals(null, RawNames.of(new byte[0]));
        assertEquals(null, RawNames.of(new byte[] {0x30, 0x03, 0x02, 0x01, 0x01}));
        assertEquals(null, RawNames.authorityKeyId(new byte[] {0x30, (byte) 0x80, 0x00, 0x00}));
        byte[] der = TestPki.root("truncated").cert().getEncoded();
        for (int cut = 0; cut < der.length; cut += 7) {
            assertEquals(null, RawNames.authorityKeyId(java.util.Arrays.copyOf(der, cut)), "cut at " + cut);
        }
        assertNotNull(RawNames.authorityKeyId(der));
    }
}
