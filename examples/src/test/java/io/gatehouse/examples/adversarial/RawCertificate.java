package io.gatehouse.examples.adversarial;

import java.math.BigInteger;
import java.security.Principal;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.util.Date;
import java.util.Set;

/**
 * A foreign {@link X509Certificate} that is nothing but bytes: how a mutated DER encoding reaches the
 * authenticator (a TLS stack may hand over certificates it never parsed). Everything but the encoding
 * throws, so an authenticator that trusts the object instead of re-parsing the bytes fails the test.
 */
final class RawCertificate extends X509Certificate {

    private final byte[] der;

    RawCertificate(byte[] der) {
        this.der = der.clone();
    }

    @Override
    public byte[] getEncoded() {
        return der.clone();
    }

    private static UnsupportedOperationException unparsed() {
        return new UnsupportedOperationException("a raw certificate is only bytes; parse them");
    }

    @Override public void checkValidity() { throw unparsed(); }
    @Override public void checkValidity(Date date) { throw unparsed(); }
    @Override public int getVersion() { throw unparsed(); }
    @Override public BigInteger getSerialNumber() { throw unparsed(); }
    @Override @SuppressWarnings("deprecation") public Principal getIssuerDN() { throw unparsed(); }
    @Override @SuppressWarnings("deprecation") public Principal getSubjectDN() { throw unparsed(); }
    @Override public Date getNotBefore() { throw unparsed(); }
    @Override public Date getNotAfter() { throw unparsed(); }
    @Override public byte[] getTBSCertificate() { throw unparsed(); }
    @Override public byte[] getSignature() { throw unparsed(); }
    @Override public String getSigAlgName() { throw unparsed(); }
    @Override public String getSigAlgOID() { throw unparsed(); }
    @Override public byte[] getSigAlgParams() { throw unparsed(); }
    @Override public boolean[] getIssuerUniqueID() { throw unparsed(); }
    @Override public boolean[] getSubjectUniqueID() { throw unparsed(); }
    @Override public boolean[] getKeyUsage() { throw unparsed(); }
    @Override public int getBasicConstraints() { throw unparsed(); }
    @Override public void verify(PublicKey key) { throw unparsed(); }
    @Override public void verify(PublicKey key, String sigProvider) { throw unparsed(); }
    @Override public String toString() { return "RawCertificate(" + der.length + " bytes)"; }
    @Override public PublicKey getPublicKey() { throw unparsed(); }
    @Override public boolean hasUnsupportedCriticalExtension() { throw unparsed(); }
    @Override public Set<String> getCriticalExtensionOIDs() { throw unparsed(); }
    @Override public Set<String> getNonCriticalExtensionOIDs() { throw unparsed(); }
    @Override public byte[] getExtensionValue(String oid) { throw unparsed(); }
}
