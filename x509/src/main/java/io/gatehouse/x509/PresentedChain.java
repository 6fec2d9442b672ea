package io.gatehouse.x509;

import io.gatehouse.core.AuthenticationResult.Rejected;
import io.gatehouse.core.RejectionReason;
import io.gatehouse.core.internal.Sha256;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Clean-up of the chain a client presented, before any verification: its size and shape are checked, each
 * certificate's encoding is taken once, and a cache key is derived from those very bytes. Certificates that are
 * the JDK's own implementation (what a JDK TLS stack hands over) are its parse of the encoding and are used as
 * they are; any other implementation is re-parsed from its encoding, so that a foreign {@link X509Certificate}
 * cannot make the verifier see something other than the bytes.
 *
 * <p>Stateless and thread-safe.
 */
final class PresentedChain {

    /** The presented chain, its encodings and their cache key (null without a cache). */
    record Encoded(List<X509Certificate> presented, List<byte[]> ders, ByteBuffer key) {
    }

    private final int maxChainLength;
    private final boolean keyed;

    /**
     * @param maxChainLength the most certificates a client may present
     * @param keyed          whether to derive a cache key (there is nothing to digest without a cache)
     */
    PresentedChain(int maxChainLength, boolean keyed) {
        this.maxChainLength = maxChainLength;
        this.keyed = keyed;
    }

    /** The {@link Encoded} chain, or a {@link Rejected} when it is too long, too large, unencodable or repeats itself. */
    Object encode(List<X509Certificate> presented) {
        if (presented.size() > maxChainLength) {
            return Rejected.of(RejectionReason.MALFORMED, "x509: the client presented " + presented.size()
                    + " certificates; at most " + maxChainLength + " are accepted");
        }
        // A digest of this call's own: with the thread's long-lived one the cached path scaled 1.6x on two threads
        // instead of 1.96x (X509Benchmark.cached, -t 2), at the price of one MessageDigest lookup per call.
        MessageDigest digest = keyed ? Sha256.newDigest() : null;
        List<byte[]> ders = new ArrayList<>(presented.size());
        long total = 0;
        for (int i = 0; i < presented.size(); i++) {
            int ordinal = i + 1;
            byte[] der;
            try {
                der = presented.get(i).getEncoded();
            } catch (CertificateException | RuntimeException e) {
                der = null;
            }
            if (der == null || der.length == 0) {
                return Rejected.of(RejectionReason.MALFORMED, "x509: presented certificate " + ordinal
                        + " has no encoding");
            }
            if (der.length > X509Authenticator.MAX_CERTIFICATE_BYTES) {
                return Rejected.of(RejectionReason.MALFORMED, "x509: presented certificate " + ordinal + " is "
                        + der.length + " bytes; at most " + X509Authenticator.MAX_CERTIFICATE_BYTES + " are accepted");
            }
            total += der.length;
            if (total > X509Authenticator.MAX_CHAIN_BYTES) {
                return Rejected.of(RejectionReason.MALFORMED, "x509: the presented chain is larger than "
                        + X509Authenticator.MAX_CHAIN_BYTES + " bytes");
            }
            for (int j = 0; j < ders.size(); j++) {
                if (Arrays.equals(ders.get(j), der)) {
                    return Rejected.of(RejectionReason.MALFORMED, "x509: presented certificate " + ordinal
                            + " duplicates certificate " + (j + 1));
                }
            }
            ders.add(der);
            if (digest != null) {
                // The length first, big-endian, byte by byte: no buffer allocated per certificate.
                digest.update((byte) (der.length >>> 24));
                digest.update((byte) (der.length >>> 16));
                digest.update((byte) (der.length >>> 8));
                digest.update((byte) der.length);
                digest.update(der);
            }
        }
        return new Encoded(presented, ders, digest == null ? null : ByteBuffer.wrap(digest.digest()));
    }

    /**
     * The certificates to verify, re-parsed where they are not the JDK's own, or a {@link Rejected} naming the
     * certificate the JDK cannot parse.
     */
    static Object parse(Encoded in) {
        List<X509Certificate> certs = new ArrayList<>(in.ders().size());
        for (int i = 0; i < in.ders().size(); i++) {
            X509Certificate presented = in.presented().get(i);
            if (isJdkCertificate(presented)) {
                certs.add(presented);
                continue;
            }
            try {
                certs.add(Certificates.parseDer(in.ders().get(i)));
            } catch (CertificateException e) {
                return Rejected.of(RejectionReason.MALFORMED, "x509: presented certificate " + (i + 1)
                        + " is malformed: " + truncate(e.getMessage()));
            }
        }
        return List.copyOf(certs);
    }

    /** Whether {@code c} is the JDK's own X.509 implementation, defined by the boot class loader. */
    static boolean isJdkCertificate(X509Certificate c) {
        Class<?> type = c.getClass();
        return type.getClassLoader() == null && type.getName().equals("sun.security.x509.X509CertImpl");
    }

    private static String truncate(String s) {
        if (s == null) {
            return "unparseable";
        }
        String line = s.replaceAll("[\\r\\n]+", " ");
        return line.length() <= 160 ? line : line.substring(0, 160) + "...";
    }
}
