package io.gatehouse.x509;

import io.gatehouse.core.internal.GoText;
import io.gatehouse.core.RejectionReason;
import java.nio.ByteBuffer;
import java.security.PublicKey;
import java.security.cert.CRLReason;
import java.security.cert.X509CRL;
import java.security.cert.X509CRLEntry;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Checks a verified chain against the loaded CRLs.
 *
 * <p>For every certificate of the chain but the trust anchor, the CRLs that name its issuer and whose
 * signature verifies with the issuer's key apply (a CRL from another CA of the same name is ignored). The
 * issuer must be allowed to sign CRLs (key usage cRLSign, when it has a key usage). A serial listed by any
 * applicable CRL is revoked. The newest applicable CRL must be current: past its nextUpdate the chain is
 * refused, because an out-of-date CRL cannot vouch for anything. A certificate whose issuer has no CRL is
 * not checked by CRL.
 *
 * <p>Signature results are remembered per CRL and issuer key, so a large CRL is verified once, not per
 * request. Thread-safe.
 */
final class CrlChecker {

    /** The most issuer keys remembered per CRL; more are verified every time (hostile same-name issuers). */
    private static final int MAX_MEMO_PER_CRL = 64;

    private final Map<X509CRL, Map<ByteBuffer, Boolean>> verified = new ConcurrentHashMap<>();

    /**
     * @return the earliest nextUpdate of the CRLs relied on, or null when none has one or none applied
     * @throws VerifyException REVOKED for a revoked certificate; UNTRUSTED_CERTIFICATE for an out-of-date CRL
     *                         or an issuer not allowed to sign CRLs
     */
    Instant check(List<X509Certificate> chain, List<X509CRL> crls, Instant now) throws VerifyException {
        if (crls.isEmpty()) {
            return null;
        }
        Instant freshUntil = null;
        for (int i = 0; i + 1 < chain.size(); i++) {
            X509Certificate cert = chain.get(i);
            X509Certificate issuer = chain.get(i + 1);
            List<X509CRL> applicable = new ArrayList<>();
            for (X509CRL crl : crls) {
                if (crl.getIssuerX500Principal().equals(issuer.getSubjectX500Principal())
                        && signedBy(crl, issuer.getPublicKey())) {
                    applicable.add(crl);
                }
            }
            if (applicable.isEmpty()) {
                continue;
            }
            boolean[] ku = issuer.getKeyUsage();
            if (ku != null && (ku.length <= 6 || !ku[6])) {
                throw new VerifyException(RejectionReason.UNTRUSTED_CERTIFICATE, "x509: the CRL issuer "
                        + GoText.quote(Certificates.displayName(issuer))
                        + " is not allowed to sign CRLs (its key usage lacks cRLSign)");
            }
            X509CRL newest = null;
            for (X509CRL crl : applicable) {
                X509CRLEntry entry = crl.getRevokedCertificate(cert.getSerialNumber());
                if (entry != null && (entry.getCertificateIssuer() == null
                        || entry.getCertificateIssuer().equals(issuer.getSubjectX500Principal()))) {
                    throw revoked(cert, entry, issuer);
                }
                if (!crl.getThisUpdate().toInstant().isAfter(now)
                        && (newest == null || crl.getThisUpdate().after(newest.getThisUpdate()))) {
                    newest = crl;
                }
            }
            if (newest == null) {
                // Every CRL of this issuer is from the future (a clock problem): none can vouch yet.
                throw new VerifyException(RejectionReason.UNTRUSTED_CERTIFICATE, "x509: the CRL of "
                        + GoText.quote(Certificates.displayName(issuer)) + " is not valid yet");
            }
            Date next = newest.getNextUpdate();
            if (next != null) {
                if (next.toInstant().isBefore(now)) {
                    throw new VerifyException(RejectionReason.UNTRUSTED_CERTIFICATE, "x509: the CRL of "
                            + GoText.quote(Certificates.displayName(issuer)) + " is out of date: its next update was due at "
                            + Certificates.rfc3339(next.toInstant()));
                }
                if (freshUntil == null || next.toInstant().isBefore(freshUntil)) {
                    freshUntil = next.toInstant();
                }
            }
        }
        return freshUntil;
    }

    private boolean signedBy(X509CRL crl, PublicKey key) {
        Map<ByteBuffer, Boolean> memo = verified.computeIfAbsent(crl, k -> new ConcurrentHashMap<>());
        ByteBuffer id = ByteBuffer.wrap(key.getEncoded());
        Boolean known = memo.get(id);
        if (known != null) {
            return known;
        }
        boolean ok;
        try {
            crl.verify(key);
            ok = true;
        } catch (Exception e) {
            ok = false;
        }
        if (memo.size() < MAX_MEMO_PER_CRL) {
            memo.put(id, ok);
        }
        return ok;
    }

    /** Forgets signature results of CRLs no longer loaded. */
    void retainOnly(List<X509CRL> current) {
        verified.keySet().retainAll(new java.util.HashSet<>(current));
    }

    private static VerifyException revoked(X509Certificate cert, X509CRLEntry entry, X509Certificate issuer) {
        CRLReason reason = entry.getRevocationReason();
        return new VerifyException(RejectionReason.REVOKED, "x509: certificate SN=" + cert.getSerialNumber() + " ("
                + GoText.quote(Certificates.displayName(cert)) + ") was revoked at "
                + Certificates.rfc3339(entry.getRevocationDate().toInstant())
                + (reason == null ? "" : ", reason " + reasonName(reason)) + ", according to the CRL of "
                + GoText.quote(Certificates.displayName(issuer)));
    }

    static String reasonName(CRLReason reason) {
        return switch (reason) {
            case UNSPECIFIED -> "unspecified";
            case KEY_COMPROMISE -> "keyCompromise";
            case CA_COMPROMISE -> "cACompromise";
            case AFFILIATION_CHANGED -> "affiliationChanged";
            case SUPERSEDED -> "superseded";
            case CESSATION_OF_OPERATION -> "cessationOfOperation";
            case CERTIFICATE_HOLD -> "certificateHold";
            case REMOVE_FROM_CRL -> "removeFromCRL";
            case PRIVILEGE_WITHDRAWN -> "privilegeWithdrawn";
            case AA_COMPROMISE -> "aACompromise";
            default -> reason.name();
        };
    }
}
