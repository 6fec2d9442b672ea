package io.gatehouse.x509;

import io.gatehouse.core.internal.Pem;
import io.gatehouse.core.ConfigurationException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.CRLException;
import java.security.cert.X509CRL;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The certificate revocation lists of one CRL file: PEM ({@code X509 CRL} blocks, several allowed) or a
 * single DER CRL. Immutable; a reload builds a new instance.
 *
 * <p>A CRL is refused at load time when it is not a v2 CRL with a non-critical CRL number (RFC 5280 §5.2.3
 * requires one), or when it carries any critical extension: Gatehouse handles complete CRLs only, so
 * delta CRLs and CRLs scoped by an issuing distribution point are refused rather than misread.
 */
final class CrlSet {

    /** The largest CRL file read. */
    static final long MAX_CRL_FILE_BYTES = 64L << 20;
    private static final String CRL_NUMBER = "2.5.29.20";

    private final List<X509CRL> crls;

    private CrlSet(List<X509CRL> crls) {
        this.crls = List.copyOf(crls);
    }

    static CrlSet of(List<X509CRL> crls) {
        for (X509CRL crl : crls) {
            check(crl, "CRL");
        }
        return new CrlSet(crls);
    }

    List<X509CRL> crls() {
        return crls;
    }

    /**
     * Parses a CRL file.
     *
     * @throws ConfigurationException if the file is empty, unparseable or holds a CRL Gatehouse refuses
     */
    static CrlSet parse(Path file) throws IOException {
        byte[] data = TrustAnchors.readCapped(file, MAX_CRL_FILE_BYTES, "CRL file");
        String source = file.toString();
        if (data.length == 0) {
            throw new ConfigurationException(source, "empty CRL file");
        }
        List<byte[]> ders = new ArrayList<>();
        if (Pem.looksLikePem(data)) {
            List<Pem.Block> blocks;
            try {
                blocks = Pem.parse(new String(data, StandardCharsets.ISO_8859_1));
            } catch (IllegalArgumentException e) {
                throw new ConfigurationException(source, "not a PEM CRL file: " + e.getMessage());
            }
            for (Pem.Block b : blocks) {
                if (b.label().equals("X509 CRL") && !b.hasHeaders()) {
                    ders.add(b.der());
                }
            }
            if (ders.isEmpty()) {
                throw new ConfigurationException(source, "no X509 CRL block in the file");
            }
        } else {
            ders.add(data);
        }
        List<X509CRL> crls = new ArrayList<>();
        for (int i = 0; i < ders.size(); i++) {
            String what = ders.size() == 1 ? "the CRL" : "CRL " + (i + 1);
            X509CRL crl;
            try {
                crl = (X509CRL) Certificates.factory().generateCRL(new ByteArrayInputStream(ders.get(i)));
                if (!java.util.Arrays.equals(crl.getEncoded(), ders.get(i))) {
                    throw new CRLException("trailing data after the CRL");
                }
            } catch (CRLException | RuntimeException e) {
                throw new ConfigurationException(source, what + " cannot be parsed: "
                        + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
            }
            try {
                check(crl, what);
            } catch (IllegalArgumentException e) {
                throw new ConfigurationException(source, e.getMessage());
            }
            crls.add(crl);
        }
        return new CrlSet(crls);
    }

    private static void check(X509CRL crl, String what) {
        Set<String> critical = crl.getCriticalExtensionOIDs();
        if (critical != null && !critical.isEmpty()) {
            throw new IllegalArgumentException(what + " of " + crl.getIssuerX500Principal().getName()
                    + " has critical extensions " + critical + "; only complete CRLs without critical extensions are supported");
        }
        if (crl.getVersion() != 2 || crl.getExtensionValue(CRL_NUMBER) == null) {
            throw new IllegalArgumentException(what + " of " + crl.getIssuerX500Principal().getName()
                    + " has no CRL number (RFC 5280 section 5.2.3)");
        }
    }

    /** For reload events. */
    String summary() {
        int entries = 0;
        for (X509CRL crl : crls) {
            entries += crl.getRevokedCertificates() == null ? 0 : crl.getRevokedCertificates().size();
        }
        return crls.size() + (crls.size() == 1 ? " CRL, " : " CRLs, ") + entries + " revoked certificates";
    }
}
