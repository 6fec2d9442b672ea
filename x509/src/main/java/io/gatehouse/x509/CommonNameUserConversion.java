package io.gatehouse.x509;

import io.gatehouse.core.AuthenticationResult;
import io.gatehouse.core.AuthenticationResult.Abstained;
import io.gatehouse.core.AuthenticationResult.Authenticated;
import io.gatehouse.core.AuthenticationResult.Rejected;
import io.gatehouse.core.KubernetesNames;
import io.gatehouse.core.RejectionReason;
import io.gatehouse.core.UserInfo;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Kubernetes' {@code CommonNameUserConversion}:
 * <ul>
 *   <li>name: the subject's common name; with several CNs, the last in DER order (as Go's
 *       {@code pkix.Name}); an empty CN abstains (no opinion, no error);</li>
 *   <li>groups: every organization (O), in order; organizational units are not used;</li>
 *   <li>UID: the subject attribute 1.3.6.1.4.1.57683.2 (Kubernetes' feature
 *       {@code AllowParsingUserUIDFromCertAuth}, on by default since 1.33): it must be a string
 *       ({@code unable to parse UID into a string}), at most one may be present ({@code expected 1 UID, but
 *       found multiple: [a b]}) and it must not be empty ({@code UID cannot be an empty string}); absent, the
 *       UID is empty;</li>
 *   <li>extra: {@code authentication.kubernetes.io/credential-id: X509SHA256=<hex SHA-256 of the leaf DER>}.</li>
 * </ul>
 * The result expires when the first certificate of the chain expires.
 */
public final class CommonNameUserConversion implements UserConversion {

    /** The subject attribute carrying the user's UID: CNCF's private enterprise number, arc 2. */
    public static final String UID_OID = "1.3.6.1.4.1.57683.2";

    private static final CommonNameUserConversion WITH_UID = new CommonNameUserConversion(true);
    private static final CommonNameUserConversion WITHOUT_UID = new CommonNameUserConversion(false);

    private final boolean parseUid;

    private CommonNameUserConversion(boolean parseUid) {
        this.parseUid = parseUid;
    }

    /**
     * The conversion with UIDs read from the subject (Kubernetes' default since 1.33).
     *
     * @return the shared conversion that reads UIDs
     */
    public static CommonNameUserConversion instance() {
        return WITH_UID;
    }

    /**
     * The conversion with the UID feature gate off: the UID is always empty.
     *
     * @return the shared conversion that ignores UIDs
     */
    public static CommonNameUserConversion withoutUid() {
        return WITHOUT_UID;
    }

    @Override
    public AuthenticationResult user(List<X509Certificate> chain) {
        byte[] der;
        try {
            der = chain.get(0).getEncoded();
        } catch (CertificateException e) {
            return Rejected.of(RejectionReason.MALFORMED, "x509: certificate cannot be encoded");
        }
        long expires = Long.MAX_VALUE;
        for (X509Certificate c : chain) {
            expires = Math.min(expires, c.getNotAfter().getTime());
        }
        return user(chain, der, expires);
    }

    @Override
    public AuthenticationResult user(List<X509Certificate> chain, byte[] der, long expires) {
        X509Certificate leaf = chain.get(0);
        SubjectNames names;
        try {
            // The subject's bytes from the certificate's own encoding; the principal's would be re-encoded.
            RawNames raw = RawNames.of(der);
            names = raw != null ? SubjectNames.of(raw.subject) : SubjectNames.of(leaf.getSubjectX500Principal());
        } catch (IllegalArgumentException e) {
            return Rejected.of(RejectionReason.MALFORMED, e.getMessage());
        }
        if (names.commonName().isEmpty()) {
            return Abstained.instance();
        }
        String uid = "";
        if (parseUid) {
            try {
                uid = uid(names);
            } catch (IllegalArgumentException e) {
                return Rejected.of(RejectionReason.INVALID_CLAIMS, e.getMessage());
            }
        }
        String credentialId = Certificates.credentialId(der);
        UserInfo user = new UserInfo(names.commonName(), uid, names.organizations(),
                Map.of(KubernetesNames.CREDENTIAL_ID_KEY, List.of(credentialId)));
        return Authenticated.of(user, Instant.ofEpochMilli(expires));
    }

    /** Kubernetes' {@code parseUIDFromCert}. */
    static String uid(SubjectNames names) {
        List<String> uids = names.values(UID_OID);
        for (String u : uids) {
            if (u == null) {
                throw new IllegalArgumentException("unable to parse UID into a string");
            }
        }
        if (uids.isEmpty()) {
            return "";
        }
        if (uids.size() != 1) {
            throw new IllegalArgumentException("expected 1 UID, but found multiple: [" + String.join(" ", uids) + "]");
        }
        if (uids.get(0).isEmpty()) {
            throw new IllegalArgumentException("UID cannot be an empty string");
        }
        return uids.get(0);
    }
}
