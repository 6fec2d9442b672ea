package io.gatehouse.core.internal;

import java.io.ByteArrayInputStream;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Certificates from PEM, as Kubernetes' {@code certutil.ParseCertsPEM} reads CA bundles: every {@code CERTIFICATE}
 * block must be one whole DER certificate, other blocks are skipped, and at least one certificate is required.
 * The PEM text is read by {@link Pem}, Gatehouse's one strict reader. Messages name the block by its ordinal,
 * never by its content.
 */
public final class PemCertificates {

    private PemCertificates() {
    }

    /**
     * Every certificate of a PEM bundle, in order.
     *
     * @throws IllegalArgumentException if the text is not PEM, a {@code CERTIFICATE} block is not a certificate, or
     *                                  there is none (the message is for a {@code ConfigurationException} that
     *                                  names the file)
     */
    public static List<X509Certificate> parse(String pem) {
        List<X509Certificate> certs = new ArrayList<>();
        int ordinal = 0;
        for (Pem.Block b : Pem.parse(pem)) {
            ordinal++;
            if (!b.label().equals("CERTIFICATE") || b.hasHeaders()) {
                continue;
            }
            try {
                certs.add(parseDer(b.der()));
            } catch (CertificateException e) {
                throw new IllegalArgumentException("PEM block " + ordinal + " is not a valid certificate: "
                        + e.getMessage());
            }
        }
        if (certs.isEmpty()) {
            throw new IllegalArgumentException("data does not contain any valid RSA or ECDSA certificates");
        }
        return certs;
    }

    /**
     * Exactly one DER certificate, parsed by the JDK's factory.
     *
     * @throws CertificateException if {@code der} is not one whole DER certificate (trailing bytes, PEM text and
     *                              anything the factory refuses)
     */
    public static X509Certificate parseDer(byte[] der) throws CertificateException {
        if (der.length == 0 || der[0] != 0x30) {
            throw new CertificateException("not a DER SEQUENCE");
        }
        X509Certificate c;
        try {
            c = (X509Certificate) factory().generateCertificate(new ByteArrayInputStream(der));
        } catch (RuntimeException e) {
            // Some JDK parsers throw unchecked exceptions on hostile input.
            throw new CertificateException("unparseable: " + e.getClass().getSimpleName());
        }
        if (!Arrays.equals(c.getEncoded(), der)) {
            throw new CertificateException("trailing data after the certificate");
        }
        return c;
    }

    /** A new X.509 certificate factory of the JDK (factories are not thread-safe). */
    public static CertificateFactory factory() {
        try {
            return CertificateFactory.getInstance("X.509");
        } catch (CertificateException e) {
            throw new IllegalStateException("X.509 is required of every Java platform", e);
        }
    }
}
