package io.gatehouse.examples.gateway;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** Throwaway certificates for the demo and for tests: an EC P-256 CA, serving and client certificates. */
final class Certificates {

    /** A certificate with its key. */
    record Issued(X509Certificate certificate, KeyPair keys) {
    }

    private static final SecureRandom RANDOM = new SecureRandom();

    private Certificates() {
    }

    static KeyPair ecKeyPair() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"));
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("EC P-256 is required of every Java platform", e);
        }
    }

    static Issued certificateAuthority(String commonName, Instant now, Duration validity) {
        KeyPair keys = ecKeyPair();
        X500Name name = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, commonName).build();
        try {
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder b = builder(name, name, keys, now, validity)
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                    .addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(keys.getPublic()));
            return new Issued(sign(b, keys), keys);
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new IllegalStateException("cannot make a CA certificate", e);
        }
    }

    /** A TLS server certificate for {@code hosts} (IP addresses or DNS names). */
    static Issued server(Issued ca, List<String> hosts, Instant now, Duration validity) {
        KeyPair keys = ecKeyPair();
        X500Name subject = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, hosts.get(0)).build();
        GeneralName[] names = hosts.stream()
                .map(h -> new GeneralName(h.matches("[0-9.]+|.*:.*") ? GeneralName.iPAddress : GeneralName.dNSName, h))
                .toArray(GeneralName[]::new);
        try {
            X509v3CertificateBuilder b = leaf(ca, subject, keys, now, validity, KeyPurposeId.id_kp_serverAuth)
                    .addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names));
            return new Issued(sign(b, ca.keys()), keys);
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new IllegalStateException("cannot make a server certificate", e);
        }
    }

    /** A client certificate as Kubernetes maps it: CN = user name, one O per group. */
    static Issued client(Issued ca, String user, List<String> groups, Instant now, Duration validity) {
        KeyPair keys = ecKeyPair();
        X500NameBuilder subject = new X500NameBuilder(BCStyle.INSTANCE);
        for (String g : groups) {
            subject.addRDN(BCStyle.O, g);
        }
        subject.addRDN(BCStyle.CN, user);
        try {
            return new Issued(sign(leaf(ca, subject.build(), keys, now, validity, KeyPurposeId.id_kp_clientAuth), ca.keys()), keys);
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new IllegalStateException("cannot make a client certificate", e);
        }
    }

    private static X509v3CertificateBuilder leaf(Issued ca, X500Name subject, KeyPair keys, Instant now, Duration validity,
                                                 KeyPurposeId purpose) throws GeneralSecurityException, java.io.IOException {
        JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
        return builder(X500Name.getInstance(ca.certificate().getSubjectX500Principal().getEncoded()), subject, keys, now, validity)
                .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
                .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose))
                .addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(ca.certificate()));
    }

    private static X509v3CertificateBuilder builder(X500Name issuer, X500Name subject, KeyPair keys, Instant now,
                                                    Duration validity) {
        return new JcaX509v3CertificateBuilder(issuer, new BigInteger(64, RANDOM).add(BigInteger.ONE),
                Date.from(now.minus(Duration.ofMinutes(5))), Date.from(now.plus(validity)), subject, keys.getPublic());
    }

    private static X509Certificate sign(X509v3CertificateBuilder b, KeyPair signer) throws GeneralSecurityException {
        try {
            return new JcaX509CertificateConverter().getCertificate(
                    b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer.getPrivate())));
        } catch (OperatorCreationException e) {
            throw new GeneralSecurityException(e);
        }
    }
}
