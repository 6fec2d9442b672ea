package io.gatehouse.x509;

import java.security.PublicKey;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Set;
import javax.security.auth.x500.X500Principal;

/**
 * What the path search and validation read from one certificate, read once. The JDK's accessors re-resolve
 * attribute names and copy on every call (on JDK 17 they are the larger part of an uncached verification
 * apart from the signature), so each verification reads every certificate once through this record; the
 * trust anchors' facts are read when the bundle is loaded and shared by all verifications.
 *
 * <p>Immutable; arrays are never exposed to callers outside this package and never modified.
 */
final class CertFacts {

    final X509Certificate cert;
    final X500Principal subject;
    final X500Principal issuer;
    /** The names' encodings (null if the certificate's structure could not be walked): compared first. */
    final byte[] rawSubject;
    final byte[] rawIssuer;
    final PublicKey publicKey;
    /** notBefore and notAfter in epoch milliseconds (the precision of X.509 times and of the JDK's checks). */
    final long notBefore;
    final long notAfter;
    final java.time.Instant notBeforeInstant;
    final java.time.Instant notAfterInstant;
    final int version;
    /** {@link X509Certificate#getBasicConstraints()}: -1 not a CA, else the path length constraint. */
    final int basicConstraints;
    final boolean[] keyUsage;
    /** The EKU list; null without an EKU extension; empty for an empty one. */
    final List<String> extendedKeyUsages;
    /** The EKU extension exists but cannot be parsed. */
    final boolean extendedKeyUsageUnparseable;
    final boolean unhandledCriticalExtension;
    /** Whether {@link DirectPath} can judge this certificate (see there); its per-path checks aside. */
    final boolean directCandidate;
    final String sigAlgOid;
    /** The subject key identifier: read at once for anchors, on first use for presented certificates. */
    private byte[] subjectKeyId;
    final byte[] authorityKeyId;
    private final boolean hasSubjectKeyId;
    /**
     * Whether subject and issuer are the same name, as the JDK compares them; read on first use (a leaf's is
     * never needed, and comparing two names of the same shape canonicalises both), at once for anchors.
     */
    private Boolean selfIssued;
    /** For trust anchors, whether the certificate is self-signed, read once; else null (computed on demand). */
    private final Boolean selfSigned;

    private CertFacts(X509Certificate c, byte[] der, boolean anchor) {
        this.cert = c;
        this.subject = c.getSubjectX500Principal();
        this.issuer = c.getIssuerX500Principal();
        this.publicKey = c.getPublicKey();
        this.notBefore = c.getNotBefore().getTime();
        this.notAfter = c.getNotAfter().getTime();
        this.notBeforeInstant = java.time.Instant.ofEpochMilli(notBefore);
        this.notAfterInstant = java.time.Instant.ofEpochMilli(notAfter);
        this.version = c.getVersion();
        this.basicConstraints = c.getBasicConstraints();
        this.keyUsage = c.getKeyUsage();
        Set<String> critical = c.getCriticalExtensionOIDs();
        Set<String> nonCritical = c.getNonCriticalExtensionOIDs();
        List<String> ekus = null;
        boolean ekuBad = false;
        if (contains(critical, nonCritical, Certificates.EKU_OID)) {
            try {
                List<String> parsed = c.getExtendedKeyUsage();
                ekus = parsed == null ? List.of() : List.copyOf(parsed);
            } catch (CertificateParsingException | RuntimeException e) {
                ekuBad = true;
            }
        }
        this.extendedKeyUsages = ekus;
        this.extendedKeyUsageUnparseable = ekuBad;
        boolean unhandled = false;
        if (critical != null) {
            for (String oid : critical) {
                unhandled |= !Certificates.HANDLED_EXTENSIONS.contains(oid);
            }
        }
        this.unhandledCriticalExtension = unhandled;
        this.sigAlgOid = c.getSigAlgOID();
        this.directCandidate = version == 3 && DirectPath.handles(critical, nonCritical)
                && DirectPath.acceptableSignature(sigAlgOid) && DirectPath.acceptableKey(publicKey);
        this.hasSubjectKeyId = contains(critical, nonCritical, "2.5.29.14");
        if (anchor) {
            subjectKeyId();
        }
        byte[] akid = null;
        if (!contains(critical, nonCritical, "2.5.29.35")) {
            akid = new byte[0];
        } else if (der != null) {
            akid = RawNames.authorityKeyId(der);
        }
        this.authorityKeyId = akid != null ? akid : Certificates.authorityKeyId(c);
        RawNames raw = der != null ? RawNames.of(der) : rawNames(c);
        this.rawSubject = raw == null ? null : raw.subject;
        this.rawIssuer = raw == null ? null : raw.issuer;
        this.selfSigned = anchor ? Boolean.valueOf(selfIssued() && Certificates.verifies(c, publicKey)) : null;
    }

    /** The facts of a presented certificate. */
    static CertFacts of(X509Certificate c) {
        return new CertFacts(c, null, false);
    }

    /** The facts of a presented certificate whose encoding {@code der} the caller already holds. */
    static CertFacts of(X509Certificate c, byte[] der) {
        return new CertFacts(c, der, false);
    }

    /** The facts of a trust anchor, its self-signature included. */
    static CertFacts ofAnchor(X509Certificate c) {
        return new CertFacts(c, null, true);
    }

    /** Whether the certificate names itself as issuer and its signature verifies with its own key. */
    boolean selfSigned() {
        return selfSigned != null ? selfSigned : selfIssued() && Certificates.verifies(cert, publicKey);
    }

    /** Whether subject and issuer are the same name, as the JDK compares them. */
    boolean selfIssued() {
        Boolean self = selfIssued;
        if (self == null) {
            self = RawNames.sameName(rawSubject, subject, rawIssuer, issuer);
            selfIssued = self;
        }
        return self;
    }

    private static RawNames rawNames(X509Certificate c) {
        try {
            return RawNames.of(c.getEncoded());
        } catch (java.security.cert.CertificateEncodingException | RuntimeException e) {
            return null;
        }
    }

    /** Whether this certificate's issuer is {@code parent}'s subject, as the JDK compares names. */
    boolean issuedBy(CertFacts parent) {
        return RawNames.sameName(rawIssuer, issuer, parent.rawSubject, parent.subject);
    }

    /** Whether this certificate's subject is {@code other}'s subject, as the JDK compares names. */
    boolean sameSubject(CertFacts other) {
        return RawNames.sameName(rawSubject, subject, other.rawSubject, other.subject);
    }

    private static boolean contains(Set<String> a, Set<String> b, String oid) {
        return (a != null && a.contains(oid)) || (b != null && b.contains(oid));
    }

    /**
     * The subject key identifier, empty when absent or malformed. Presented certificates' facts are used by one
     * thread; anchors' are read in the constructor, before they are shared.
     */
    byte[] subjectKeyId() {
        byte[] id = subjectKeyId;
        if (id == null) {
            id = hasSubjectKeyId ? Certificates.subjectKeyId(cert) : new byte[0];
            subjectKeyId = id;
        }
        return id;
    }

    /** Whether the certificate is valid at {@code millis} as the JDK judges it (both bounds inclusive). */
    boolean validAt(long millis) {
        return millis >= notBefore && millis <= notAfter;
    }
}
