package io.gatehouse.x509;

import java.util.Arrays;
import javax.security.auth.x500.X500Principal;

/**
 * The issuer and subject names of a certificate as the bytes of its encoding, found by walking the DER
 * headers of the TBSCertificate. Comparing and hashing these bytes is what Go does with {@code RawIssuer}
 * and {@code RawSubject}; the JDK's {@link X500Principal#equals} and {@code hashCode} canonicalise the
 * names into strings first, which on a certificate nobody has looked at yet costs more than the rest of a
 * verification besides the signature. Names whose bytes differ are still compared as the JDK compares them,
 * so the verdicts are the JDK's.
 */
final class RawNames {

    final byte[] issuer;
    final byte[] subject;

    private RawNames(byte[] issuer, byte[] subject) {
        this.issuer = issuer;
        this.subject = subject;
    }

    /**
     * The names in {@code certificateDer}, or null when its structure is not the expected
     * {@code SEQUENCE { SEQUENCE { [0] version?, serial, algorithm, issuer, validity, subject, ... } ... }}.
     */
    static RawNames of(byte[] certificateDer) {
        try {
            int[] cert = element(certificateDer, 0, certificateDer.length, 0x30);
            int[] tbs = element(certificateDer, cert[1], cert[2], 0x30);
            int pos = tbs[1];
            int end = tbs[2];
            if (pos < end && (certificateDer[pos] & 0xff) == 0xA0) {
                pos = element(certificateDer, pos, end, 0xA0)[2];
            }
            pos = element(certificateDer, pos, end, 0x02)[2]; // serialNumber
            pos = element(certificateDer, pos, end, 0x30)[2]; // signature algorithm
            int[] issuer = element(certificateDer, pos, end, 0x30);
            int[] validity = element(certificateDer, issuer[2], end, 0x30);
            int[] subject = element(certificateDer, validity[2], end, 0x30);
            return new RawNames(Arrays.copyOfRange(certificateDer, issuer[0], issuer[2]),
                    Arrays.copyOfRange(certificateDer, subject[0], subject[2]));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** The DER content of the OBJECT IDENTIFIER 2.5.29.35 (authorityKeyIdentifier). */
    private static final byte[] AKID_OID = {0x55, 0x1D, 0x23};

    /**
     * The keyIdentifier of the certificate's authorityKeyIdentifier extension, read from its encoding: empty
     * when the extension or its keyIdentifier is absent; null when the structure is not what DER requires (the
     * caller then asks the JDK). The JDK's {@link java.security.cert.X509Certificate#getExtensionValue} costs
     * over a microsecond on JDK 17, more than the rest of the search for the leaf's issuer.
     */
    static byte[] authorityKeyId(byte[] certificateDer) {
        byte[] d = certificateDer;
        int[] cert = header(d, 0, d.length, 0x30);
        int[] tbs = cert == null ? null : header(d, cert[1], cert[2], 0x30);
        if (tbs == null) {
            return null;
        }
        int pos = tbs[1];
        int end = tbs[2];
        if (pos < end && (d[pos] & 0xff) == 0xA0) {
            int[] version = header(d, pos, end, 0xA0);
            if (version == null) {
                return null;
            }
            pos = version[2];
        }
        // serialNumber, signature, issuer, validity, subject, subjectPublicKeyInfo
        int[] tags = {0x02, 0x30, 0x30, 0x30, 0x30, 0x30};
        for (int tag : tags) {
            int[] e = header(d, pos, end, tag);
            if (e == null) {
                return null;
            }
            pos = e[2];
        }
        for (int tag : new int[] {0x81, 0xA1, 0x82, 0xA2}) { // issuerUniqueID, subjectUniqueID (either form)
            if (pos < end && (d[pos] & 0xff) == tag) {
                int[] e = header(d, pos, end, tag);
                if (e == null) {
                    return null;
                }
                pos = e[2];
            }
        }
        if (pos == end) {
            return new byte[0]; // no extensions
        }
        int[] explicit = header(d, pos, end, 0xA3);
        int[] extensions = explicit == null ? null : header(d, explicit[1], explicit[2], 0x30);
        if (extensions == null || extensions[2] != explicit[2] || explicit[2] != end) {
            return null;
        }
        int at = extensions[1];
        while (at < extensions[2]) {
            int[] ext = header(d, at, extensions[2], 0x30);
            int[] oid = ext == null ? null : header(d, ext[1], ext[2], 0x06);
            if (oid == null) {
                return null;
            }
            if (oid[2] - oid[1] == AKID_OID.length
                    && Arrays.equals(d, oid[1], oid[2], AKID_OID, 0, AKID_OID.length)) {
                int next = oid[2];
                if (next < ext[2] && (d[next] & 0xff) == 0x01) { // critical BOOLEAN
                    int[] critical = header(d, next, ext[2], 0x01);
                    if (critical == null) {
                        return null;
                    }
                    next = critical[2];
                }
                int[] value = header(d, next, ext[2], 0x04);
                int[] akid = value == null || value[2] != ext[2] ? null : header(d, value[1], value[2], 0x30);
                if (akid == null || akid[2] != value[2]) {
                    return null;
                }
                if (akid[1] < akid[2] && (d[akid[1]] & 0xff) == 0x80) {
                    int[] keyId = header(d, akid[1], akid[2], 0x80);
                    return keyId == null ? null : Arrays.copyOfRange(d, keyId[1], keyId[2]);
                }
                return new byte[0];
            }
            at = ext[2];
        }
        return new byte[0];
    }

    /**
     * The definite-length, minimally encoded DER element with {@code tag} at {@code pos}, within
     * {@code limit}: {start, content start, end}; null when it is not one.
     */
    static int[] header(byte[] der, int pos, int limit, int tag) {
        if (pos + 2 > limit || (der[pos] & 0xff) != tag) {
            return null;
        }
        int first = der[pos + 1] & 0xff;
        int content = pos + 2;
        long length;
        if (first < 0x80) {
            length = first;
        } else {
            int n = first & 0x7f;
            if (n == 0 || n > 3 || content + n > limit || der[content] == 0) {
                return null;
            }
            length = 0;
            for (int i = 0; i < n; i++) {
                length = (length << 8) | (der[content + i] & 0xff);
            }
            if (length < 0x80) {
                return null; // not minimal: DER would use the short form
            }
            content += n;
        }
        if (content + length > limit) {
            return null;
        }
        return new int[] {pos, content, (int) (content + length)};
    }

    private static int[] element(byte[] der, int pos, int limit, int tag) {
        int[] h = header(der, pos, limit, tag);
        if (h == null) {
            throw new IllegalArgumentException();
        }
        return h;
    }

    /**
     * Whether two names are equal as {@link X500Principal#equals} decides, deciding by their bytes when
     * those are equal (or both known and the principals are not to be consulted).
     */
    static boolean sameName(byte[] rawA, X500Principal a, byte[] rawB, X500Principal b) {
        if (rawA != null && rawB != null && Arrays.equals(rawA, rawB)) {
            return true;
        }
        return a.equals(b);
    }
}
