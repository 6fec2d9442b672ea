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
