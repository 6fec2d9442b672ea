package io.gatehouse.examples.adversarial;

import java.io.StringWriter;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
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
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** Throwaway keys and certificates for the adversarial suite: EC P-256 CAs, client and loopback server certificates. */
final class Pki {

    /** A certificate with its key pair. */
    record Issued(X509Certificate certificate, KeyPair keys) {
    }

    private static final SecureRandom RANDOM = new SecureRandom();

    private Pki() {
    }

    static KeyPair ec() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"));
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static KeyPair rsa() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(2048);
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static Issued ca(String cn, Instant now) {
        KeyPair keys = ec();
        return new Issued(sign(name(cn, List.of()), name(cn, List.of()), keys.getPublic(), keys, now, true, null), keys);
    }

    static Issued intermediate(Issued parent, String cn, Instant now) {
        KeyPair keys = ec();
        return new Issued(sign(subjectOf(parent), name(cn, List.of()), keys.getPublic(), parent.keys(), now, true, null), keys);
    }

    static Issued client(Issued issuer, String cn, List<String> groups, Instant now) {
        KeyPair keys = ec();
        return new Issued(sign(subjectOf(issuer), name(cn, groups), keys.getPublic(), issuer.keys(), now, false,
                KeyPurposeId.id_kp_clientAuth), keys);
    }

    /** A TLS server certificate for 127.0.0.1. */
    static Issued loopbackServer(Issued issuer, Instant now) {
        KeyPair keys = ec();
        return new Issued(sign(subjectOf(issuer), name("127.0.0.1", List.of()), keys.getPublic(), issuer.keys(), now, false,
                KeyPurposeId.id_kp_serverAuth), keys);
    }

    /** A CRL by {@code issuer} revoking {@code revoked}, valid for a day, numbered {@code number}. */
    static java.security.cert.X509CRL crl(Issued issuer, Instant now, long number, X509Certificate... revoked) {
        try {
            org.bouncycastle.cert.X509v2CRLBuilder b = new org.bouncycastle.cert.X509v2CRLBuilder(subjectOf(issuer),
                    Date.from(now.minusSeconds(60)));
            b.setNextUpdate(Date.from(now.plus(Duration.ofDays(1))));
            for (X509Certificate c : revoked) {
                b.addCRLEntry(c.getSerialNumber(), Date.from(now.minusSeconds(120)), org.bouncycastle.asn1.x509.CRLReason.keyCompromise);
            }
            b.addExtension(Extension.cRLNumber, false, new org.bouncycastle.asn1.x509.CRLNumber(BigInteger.valueOf(number)));
            b.addExtension(Extension.authorityKeyIdentifier, false,
                    new org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils().createAuthorityKeyIdentifier(issuer.keys().getPublic()));
            return new org.bouncycastle.cert.jcajce.JcaX509CRLConverter().getCRL(
                    b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuer.keys().getPrivate())));
        } catch (Exception e) {
            throw new IllegalStateException("cannot make a CRL", e);
        }
    }

    static String pem(Object... objects) {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(out)) {
            for (Object o : objects) {
                w.writeObject(o);
            }
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toString();
    }

    static SSLContext serverContext(Issued server, Issued ca) {
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            char[] pw = "changeit".toCharArray();
            ks.setKeyEntry("server", server.keys().getPrivate(), pw, new Certificate[] {server.certificate(), ca.certificate()});
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, pw);
            SSLContext tls = SSLContext.getInstance("TLS");
            tls.init(kmf.getKeyManagers(), null, null);
            return tls;
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static X500Name subjectOf(Issued issued) {
        return X500Name.getInstance(issued.certificate().getSubjectX500Principal().getEncoded());
    }

    private static X500Name name(String cn, List<String> organizations) {
        X500NameBuilder b = new X500NameBuilder(BCStyle.INSTANCE);
        organizations.forEach(o -> b.addRDN(BCStyle.O, o));
        return b.addRDN(BCStyle.CN, cn).build();
    }

    private static X509Certificate sign(X500Name issuer, X500Name subject, java.security.PublicKey key, KeyPair signer,
                                        Instant now, boolean ca, KeyPurposeId purpose) {
        try {
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(issuer, new BigInteger(64, RANDOM).add(BigInteger.ONE),
                    Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(30))), subject, key);
            org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils ext = new org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils();
            b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(key))
                    .addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(signer.getPublic()));
            if (ca) {
                b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
                        .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            } else {
                b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                        .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
                        .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose));
                if (purpose == KeyPurposeId.id_kp_serverAuth) {
                    b.addExtension(Extension.subjectAlternativeName, false,
                            new GeneralNames(new GeneralName(GeneralName.iPAddress, "127.0.0.1")));
                }
            }
            return new JcaX509CertificateConverter().getCertificate(
                    b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer.getPrivate())));
        } catch (Exception e) {
            throw new IllegalStateException("cannot make a certificate", e);
        }
    }
}
