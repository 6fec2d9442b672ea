package io.gatehouse.x509;

import io.gatehouse.core.internal.PemCertificates;
import io.gatehouse.core.internal.Sha256;
import java.math.BigInteger;
import java.security.PublicKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;

/** Certificate helpers shared by the verifier, the revocation checks and the mapping. */
final class Certificates {

    /** The extensions Go's {@code crypto/x509} handles; any other critical one is "unhandled". */
    static final Set<String> HANDLED_EXTENSIONS = Set.of(
            "2.5.29.14", // subject key identifier
            "2.5.29.15", // key usage
            "2.5.29.17", // subject alternative name
            "2.5.29.19", // basic constraints
            "2.5.29.30", // name constraints
            "2.5.29.31", // CRL distribution points
            "2.5.29.32", // certificate policies
            "2.5.29.33", // policy mappings
            "2.5.29.35", // authority key identifier
            "2.5.29.36", // policy constraints
            "2.5.29.37", // extended key usage
            "2.5.29.54", // inhibit anyPolicy
            "1.3.6.1.5.5.7.1.1"); // authority information access

    static final String EKU_OID = "2.5.29.37";
    static final String EKU_ANY = "2.5.29.37.0";
    static final String EKU_SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
    static final String EKU_CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";
    static final String EKU_OCSP_SIGNING = "1.3.6.1.5.5.7.3.9";

    private static final DateTimeFormatter RFC3339 = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssXXX")
            .withZone(ZoneOffset.UTC);

    private Certificates() {
    }

    /** A new X.509 certificate factory of the JDK (factories are not thread-safe). */
    static CertificateFactory factory() {
        return PemCertificates.factory();
    }

    /** One whole DER certificate; see {@link PemCertificates#parseDer}. */
    static X509Certificate parseDer(byte[] der) throws CertificateException {
        return PemCertificates.parseDer(der);
    }

    /** Kubernetes' credential id of a leaf: {@code X509SHA256=<hex of SHA-256 over the DER>}. */
    static String credentialId(X509Certificate leaf) throws CertificateException {
        return credentialId(leaf.getEncoded());
    }

    /** {@link #credentialId(X509Certificate)} of a leaf's encoding. */
    static String credentialId(byte[] leafDer) {
        return "X509SHA256=" + HexFormat.of().formatHex(Sha256.digest(leafDer));
    }

    /**
     * Kubernetes' {@code certificateIdentifier}: {@code SN=<decimal serial>, SKID=<AA:BB>, AKID=<AA:BB>}, empty
     * key identifiers printed as nothing.
     */
    static String identifier(X509Certificate c) {
        BigInteger serial = c.getSerialNumber();
        return "SN=" + (serial == null ? "<nil>" : serial.toString()) + ", SKID=" + colonHex(subjectKeyId(c))
                + ", AKID=" + colonHex(authorityKeyId(c));
    }

    /** The subject key identifier, or an empty array when absent or malformed. */
    static byte[] subjectKeyId(X509Certificate c) {
        try {
            byte[] ext = extensionValue(c, "2.5.29.14");
            if (ext == null) {
                return new byte[0];
            }
            return SubjectKeyIdentifier.getInstance(unwrap(ext)).getKeyIdentifier();
        } catch (RuntimeException e) {
            return new byte[0];
        }
    }

    /** The authority key identifier's keyIdentifier, or an empty array when absent or malformed. */
    static byte[] authorityKeyId(X509Certificate c) {
        try {
            byte[] ext = extensionValue(c, "2.5.29.35");
            if (ext == null) {
                return new byte[0];
            }
            ASN1OctetString id = AuthorityKeyIdentifier.getInstance(unwrap(ext)).getKeyIdentifierObject();
            return id == null ? new byte[0] : id.getOctets();
        } catch (RuntimeException e) {
            return new byte[0];
        }
    }

    /**
     * {@link X509Certificate#getExtensionValue} that looks the OID up in the extension sets first: on JDK 17
     * asking for an absent extension builds and throws an exception inside the JDK, which costs more than the
     * rest of a cached verification.
     */
    static byte[] extensionValue(X509Certificate c, String oid) {
        Set<String> nonCritical = c.getNonCriticalExtensionOIDs();
        if (nonCritical == null || !nonCritical.contains(oid)) {
            Set<String> critical = c.getCriticalExtensionOIDs();
            if (critical == null || !critical.contains(oid)) {
                return null;
            }
        }
        return c.getExtensionValue(oid);
    }

    /** The DER inside an extension value's OCTET STRING wrapper. */
    static ASN1Primitive unwrap(byte[] extensionValue) {
        try {
            return ASN1Primitive.fromByteArray(ASN1OctetString.getInstance(extensionValue).getOctets());
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("malformed extension", e);
        }
    }

    static String colonHex(byte[] bytes) {
        StringBuilder sb = new StringBuilder(bytes.length * 3);
        for (int i = 0; i < bytes.length; i++) {
            if (i > 0) {
                sb.append(':');
            }
            sb.append(String.format("%02X", bytes[i] & 0xff));
        }
        return sb.toString();
    }

    /** Go's validity check, or null when {@code c} is valid at {@code now}; both bounds are inclusive. */
    static String validityError(X509Certificate c, Instant now) {
        Instant notBefore = c.getNotBefore().toInstant();
        Instant notAfter = c.getNotAfter().toInstant();
        if (now.isBefore(notBefore)) {
            return "x509: certificate has expired or is not yet valid: current time " + rfc3339(now) + " is before "
                    + rfc3339(notBefore);
        }
        if (now.isAfter(notAfter)) {
            return "x509: certificate has expired or is not yet valid: current time " + rfc3339(now) + " is after "
                    + rfc3339(notAfter);
        }
        return null;
    }

    /** Go's {@code time.RFC3339} in UTC: whole seconds, {@code Z}. */
    static String rfc3339(Instant t) {
        return RFC3339.format(t.truncatedTo(ChronoUnit.SECONDS));
    }

    /** Whether {@code c}'s signature verifies with {@code key}; never throws. */
    static boolean verifies(X509Certificate c, PublicKey key) {
        try {
            c.verify(key);
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    /** The certificate's extended key usages; null when it has no EKU extension; empty for an empty one. */
    static List<String> extendedKeyUsages(X509Certificate c) throws java.security.cert.CertificateParsingException {
        if (extensionValue(c, EKU_OID) == null) {
            return null;
        }
        List<String> ekus = c.getExtendedKeyUsage();
        return ekus == null ? List.of() : ekus;
    }

    /** A name for {@code c} in messages, as Go's hint: the CN, else the first O, else {@code serial:<n>}. */
    static String displayName(X509Certificate c) {
        try {
            SubjectNames names = SubjectNames.of(c.getSubjectX500Principal());
            if (!names.commonName().isEmpty()) {
                return names.commonName();
            }
            if (!names.organizations().isEmpty()) {
                return names.organizations().get(0);
            }
        } catch (RuntimeException e) {
            // fall through to the serial
        }
        return "serial:" + c.getSerialNumber();
    }
}
