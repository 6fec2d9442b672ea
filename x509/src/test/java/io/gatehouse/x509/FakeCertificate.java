package io.gatehouse.x509;

import java.math.BigInteger;
import java.security.Principal;
import java.security.PublicKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.Date;
import java.util.Set;
import javax.security.auth.x500.X500Principal;

/**
 * An {@link X509Certificate} whose encoding is whatever a test says, and whose other getters lie or throw:
 * the authenticator must judge only the bytes, re-parsed by the JDK.
 */
final class FakeCertificate extends X509Certificate {

    private static final long serialVersionUID = 1L;

    private final byte[] encoding;
    private final boolean throwOnEncode;

    FakeCertificate(byte[] encoding) {
        this.encoding = encoding;
        this.throwOnEncode = false;
    }

    private FakeCertificate(boolean throwOnEncode) {
        this.encoding = null;
        this.throwOnEncode = throwOnEncode;
    }

    /** A certificate whose getEncoded() throws. */
    static FakeCertificate unencodable() {
        return new FakeCertificate(true);
    }

    @Override
    public byte[] getEncoded() throws CertificateEncodingException {
        if (throwOnEncode) {
            throw new CertificateEncodingException("no encoding");
        }
        return encoding == null ? null : encoding.clone();
    }

    // Everything else lies: the subject claims to be the cluster admin.
    @Override
    public X500Principal getSubjectX500Principal() {
        return new X500Principal("CN=admin,O=system:masters");
    }

    @Override
    public void checkValidity() {
    }

    @Override
    public void checkValidity(Date date) {
    }

    @Override
    public int getVersion() {
        return 3;
    }

    @Override
    public BigInteger getSerialNumber() {
        return BigInteger.ONE;
    }

    @Override
    @SuppressWarnings("deprecation")
    public Principal getIssuerDN() {
        return getSubjectX500Principal();
    }

    @Override
    @SuppressWarnings("deprecation")
    public Principal getSubjectDN() {
        return getSubjectX500Principal();
    }

    @Override
    public Date getNotBefore() {
        return new Date(0);
    }

    @Override
    public Date getNotAfter() {
        return new Date(Long.MAX_VALUE);
    }

    @Override
    public byte[] getTBSCertificate() {
        throw new IllegalStateException("lying certificate");
    }

    @Override
    public byte[] getSignature() {
        return new byte[0];
    }

    @Override
    public String getSigAlgName() {
        return "none";
    }

    @Override
    public String getSigAlgOID() {
        return "0.0";
    }

    @Override
    public byte[] getSigAlgParams() {
        return null;
    }

    @Override
    public boolean[] getIssuerUniqueID() {
        return null;
    }

    @Override
    public boolean[] getSubjectUniqueID() {
        return null;
    }

    @Override
    public boolean[] getKeyUsage() {
        return null;
    }

    @Override
    public int getBasicConstraints() {
        return Integer.MAX_VALUE;
    }

    @Override
    public void verify(PublicKey key) {
        // "verifies" with any key
    }

    @Override
    public void verify(PublicKey key, String sigProvider) {
    }

    @Override
    public String toString() {
        return "FakeCertificate";
    }

    @Override
    public PublicKey getPublicKey() {
        return null;
    }

    @Override
    public boolean hasUnsupportedCriticalExtension() {
        return false;
    }

    @Override
    public Set<String> getCriticalExtensionOIDs() {
        return Set.of();
    }

    @Override
    public Set<String> getNonCriticalExtensionOIDs() {
        return Set.of();
    }

    @Override
    public byte[] getExtensionValue(String oid) {
        return null;
    }
}
