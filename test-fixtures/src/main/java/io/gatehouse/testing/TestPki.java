package io.gatehouse.testing;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.CRLReason;
import java.security.cert.Certificate;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.AccessDescription;
import org.bouncycastle.asn1.x509.AuthorityInformationAccess;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLNumber;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CRLConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The one certificate builder of Gatehouse's tests: certificates, CRLs, PEM text and TLS contexts made in code
 * with BouncyCastle's builders (the JDK provider signs; the BC provider is never registered). EC P-256 keys and
 * SHA-256 signatures unless a spec says otherwise. {@link #cert(String)} describes any certificate fluently; the
 * shortcuts ({@link #root}, {@link #ca}, {@link #client}, {@link #loopbackServer}, …) cover the common shapes.
 */
public final class TestPki {

    private static final AtomicLong SERIALS = new AtomicLong(1000);

    private TestPki() {
    }

    /** A key pair and its certificate. */
    public record Issued(X509Certificate cert, KeyPair keys) {
        /** The private key. */
        public PrivateKey key() {
            return keys.getPrivate();
        }
    }

    public static KeyPair ecKey() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"));
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A fluent description of one certificate. */
    public static final class Spec {
        X500Name subject;
        Issued issuer;
        KeyPair keys;
        Instant notBefore = Instant.now().minusSeconds(3600);
        Instant notAfter = Instant.now().plusSeconds(86_400L * 365);
        BigInteger serial = BigInteger.valueOf(SERIALS.incrementAndGet());
        Integer pathLen;
        boolean ca;
        boolean basicConstraints = true;
        Integer keyUsage;
        List<KeyPurposeId> ekus;
        String ocspUrl;
        String serverIp;
        final List<Object[]> extra = new ArrayList<>();

        Spec(String subject) {
            this.subject = new X500Name(subject);
        }

        public Spec subject(X500Name name) {
            this.subject = name;
            return this;
        }

        public Spec issuer(Issued i) {
            this.issuer = i;
            return this;
        }

        public Spec keys(KeyPair k) {
            this.keys = k;
            return this;
        }

        /** The subject: organizations (groups) first, then the common name, as Kubernetes' client certificates read. */
        public Spec subject(String cn, List<String> organizations) {
            X500NameBuilder b = new X500NameBuilder(BCStyle.INSTANCE);
            organizations.forEach(o -> b.addRDN(BCStyle.O, o));
            this.subject = b.addRDN(BCStyle.CN, cn).build();
            return this;
        }

        /** A TLS server certificate for the IP address {@code ip} (serverAuth, an IP subject alternative name). */
        public Spec serverFor(String ip) {
            this.serverIp = ip;
            return eku(KeyPurposeId.id_kp_serverAuth);
        }

        public Spec validity(Instant from, Instant to) {
            this.notBefore = from;
            this.notAfter = to;
            return this;
        }

        public Spec serial(long s) {
            this.serial = BigInteger.valueOf(s);
            return this;
        }

        public Spec ca(Integer maxPathLen) {
            this.ca = true;
            this.pathLen = maxPathLen;
            if (keyUsage == null) {
                keyUsage = KeyUsage.keyCertSign | KeyUsage.cRLSign | KeyUsage.digitalSignature;
            }
            return this;
        }

        public Spec noBasicConstraints() {
            this.basicConstraints = false;
            return this;
        }

        public Spec keyUsage(int ku) {
            this.keyUsage = ku;
            return this;
        }

        public Spec eku(KeyPurposeId... purposes) {
            this.ekus = List.of(purposes);
            return this;
        }

        public Spec clientAuth() {
            return eku(KeyPurposeId.id_kp_clientAuth);
        }

        public Spec ocsp(String url) {
            this.ocspUrl = url;
            return this;
        }

        public Spec extension(String oid, boolean critical, ASN1Encodable value) {
            extra.add(new Object[] {oid, critical, value});
            return this;
        }

        /** Signs the certificate: self-signed without an issuer. */
        public Issued issue() {
            try {
                KeyPair k = keys != null ? keys : ecKey();
                X500Name issuerName = issuer == null ? subject
                        : X500Name.getInstance(issuer.cert().getSubjectX500Principal().getEncoded());
                PrivateKey signer = issuer == null ? k.getPrivate() : issuer.key();
                X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(issuerName, serial,
                        Date.from(notBefore), Date.from(notAfter), subject, k.getPublic());
                JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
                if (basicConstraints) {
                    b.addExtension(Extension.basicConstraints, true, ca
                            ? (pathLen == null ? new BasicConstraints(true) : new BasicConstraints(pathLen))
                            : new BasicConstraints(false));
                }
                if (keyUsage != null) {
                    b.addExtension(Extension.keyUsage, true, new KeyUsage(keyUsage));
                }
                if (ekus != null) {
                    b.addExtension(Extension.extendedKeyUsage, false,
                            new ExtendedKeyUsage(ekus.toArray(new KeyPurposeId[0])));
                }
                b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(k.getPublic()));
                if (issuer != null) {
                    b.addExtension(Extension.authorityKeyIdentifier, false,
                            ext.createAuthorityKeyIdentifier(issuer.cert().getPublicKey()));
                }
                if (serverIp != null) {
                    b.addExtension(Extension.subjectAlternativeName, false,
                            new GeneralNames(new GeneralName(GeneralName.iPAddress, serverIp)));
                }
                if (ocspUrl != null) {
                    b.addExtension(Extension.authorityInfoAccess, false, new AuthorityInformationAccess(
                            new AccessDescription(AccessDescription.id_ad_ocsp,
                                    new GeneralName(GeneralName.uniformResourceIdentifier, ocspUrl))));
                }
                for (Object[] e : extra) {
                    b.addExtension(new ASN1ObjectIdentifier((String) e[0]), (Boolean) e[1], (ASN1Encodable) e[2]);
                }
                X509CertificateHolder holder = b.build(signer(signer));
                return new Issued(new JcaX509CertificateConverter().getCertificate(holder), k);
            } catch (GeneralSecurityException | IOException | org.bouncycastle.operator.OperatorCreationException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    public static Spec cert(String subject) {
        return new Spec(subject);
    }

    public static Issued root(String cn) {
        return cert("CN=" + cn).ca(null).issue();
    }

    public static Issued intermediate(String cn, Issued issuer) {
        return cert("CN=" + cn).issuer(issuer).ca(null).issue();
    }

    public static Issued client(String subject, Issued issuer) {
        return cert(subject).issuer(issuer).clientAuth()
                .keyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment).issue();
    }

    /** A CA valid from an hour before {@code now} for 30 days. */
    public static Issued ca(String cn, Instant now) {
        return cert("CN=" + cn).validity(now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(30))).ca(null)
                .keyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign).issue();
    }

    /** An intermediate CA under {@code parent}, valid as {@link #ca(String, Instant)}. */
    public static Issued intermediate(Issued parent, String cn, Instant now) {
        return cert("CN=" + cn).issuer(parent).validity(now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(30)))
                .ca(null).keyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign).issue();
    }

    /** A client certificate for user {@code cn} in {@code groups}, valid as {@link #ca(String, Instant)}. */
    public static Issued client(Issued issuer, String cn, List<String> groups, Instant now) {
        return cert("CN=" + cn).subject(cn, groups).issuer(issuer)
                .validity(now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(30)))
                .keyUsage(KeyUsage.digitalSignature).clientAuth().issue();
    }

    /** A TLS server certificate for 127.0.0.1, valid as {@link #ca(String, Instant)}. */
    public static Issued loopbackServer(Issued issuer, Instant now) {
        return cert("CN=127.0.0.1").issuer(issuer).validity(now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(30)))
                .keyUsage(KeyUsage.digitalSignature).serverFor("127.0.0.1").issue();
    }

    /** A TLS server context presenting {@code server} and its issuer {@code ca}. */
    public static SSLContext serverContext(Issued server, Issued ca) {
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            char[] pw = "changeit".toCharArray();
            ks.setKeyEntry("server", server.key(), pw, new Certificate[] {server.cert(), ca.cert()});
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, pw);
            SSLContext tls = SSLContext.getInstance("TLS");
            tls.init(kmf.getKeyManagers(), null, null);
            return tls;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An RSA-2048 key pair. */
    public static KeyPair rsaKey() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(2048);
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public static ContentSigner signer(PrivateKey key) throws org.bouncycastle.operator.OperatorCreationException {
        String alg = key.getAlgorithm().equals("EC") ? "SHA256withECDSA" : "SHA256withRSA";
        return new JcaContentSignerBuilder(alg).build(key);
    }

    /** A CRL by {@code issuer} revoking {@code revoked}, issued a minute before {@code now}, valid for a day. */
    public static X509CRL crl(Issued issuer, Instant now, long number, X509Certificate... revoked) {
        return crl(issuer, now.minusSeconds(60), now.plus(Duration.ofDays(1)), number, revoked);
    }

    /** A v2 CRL by {@code issuer} revoking {@code revoked}, with a CRL number. */
    public static X509CRL crl(Issued issuer, Instant thisUpdate, Instant nextUpdate, long number, X509Certificate... revoked) {
        try {
            X509v2CRLBuilder b = new X509v2CRLBuilder(
                    X500Name.getInstance(issuer.cert().getSubjectX500Principal().getEncoded()), Date.from(thisUpdate));
            if (nextUpdate != null) {
                b.setNextUpdate(Date.from(nextUpdate));
            }
            for (X509Certificate c : revoked) {
                b.addCRLEntry(c.getSerialNumber(), Date.from(thisUpdate.minusSeconds(60)),
                        CRLReason.KEY_COMPROMISE.ordinal());
            }
            b.addExtension(Extension.cRLNumber, false, new CRLNumber(BigInteger.valueOf(number)));
            b.addExtension(Extension.authorityKeyIdentifier, false,
                    new JcaX509ExtensionUtils().createAuthorityKeyIdentifier(issuer.cert().getPublicKey()));
            return new JcaX509CRLConverter().getCRL(b.build(signer(issuer.key())));
        } catch (GeneralSecurityException | IOException | org.bouncycastle.operator.OperatorCreationException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String pem(String label, byte[] der) {
        StringWriter w = new StringWriter();
        w.write("-----BEGIN " + label + "-----\n");
        w.write(Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der));
        w.write("\n-----END " + label + "-----\n");
        return w.toString();
    }

    public static String pem(X509Certificate... certs) {
        StringBuilder sb = new StringBuilder();
        for (X509Certificate c : certs) {
            try {
                sb.append(pem("CERTIFICATE", c.getEncoded()));
            } catch (java.security.cert.CertificateEncodingException e) {
                throw new IllegalStateException(e);
            }
        }
        return sb.toString();
    }

    public static String pem(X509CRL crl) {
        try {
            return pem("X509 CRL", crl.getEncoded());
        } catch (java.security.cert.CRLException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * PEM text of certificates, CRLs and keys as BouncyCastle's PEM writer writes them (an EC private key as a
     * SEC1 {@code EC PRIVATE KEY}, as OpenSSL does).
     */
    public static String pemOf(Object... objects) {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(out)) {
            for (Object o : objects) {
                w.writeObject(o);
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toString();
    }

    /**
     * A private key in OpenSSL's traditional form: PKCS#1 {@code RSA PRIVATE KEY}, or SEC1 {@code EC PRIVATE KEY}
     * naming its curve inside, as {@code openssl ecparam -genkey} writes it.
     */
    public static String traditionalKeyPem(PrivateKey key) {
        try {
            org.bouncycastle.asn1.pkcs.PrivateKeyInfo info = org.bouncycastle.asn1.pkcs.PrivateKeyInfo.getInstance(key.getEncoded());
            if (key.getAlgorithm().equals("RSA")) {
                return pem("RSA PRIVATE KEY", info.parsePrivateKey().toASN1Primitive().getEncoded());
            }
            ASN1Encodable curve = info.getPrivateKeyAlgorithm().getParameters();
            BigInteger d = ((java.security.interfaces.ECPrivateKey) key).getS();
            int bits = ((java.security.interfaces.ECPrivateKey) key).getParams().getOrder().bitLength();
            return pem("EC PRIVATE KEY", new org.bouncycastle.asn1.sec.ECPrivateKey(bits, d, curve).getEncoded());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String privateKeyPem(PrivateKey key) {
        return pem("PRIVATE KEY", key.getEncoded());
    }

    /** Writes atomically (a new file renamed over the old), as the reload contract asks. */
    public static void write(Path file, String text) throws IOException {
        Path tmp = Files.createTempFile(file.getParent(), ".tmp", ".pem");
        Files.writeString(tmp, text);
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    public static X500Principal principal(String dn) {
        return new X500Principal(dn);
    }
}
