package io.gatehouse.benchmarks;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.gatehouse.bootstrap.BootstrapTokenAuthenticator;
import io.gatehouse.bootstrap.BootstrapTokenSecret;
import io.gatehouse.bootstrap.InMemoryBootstrapTokenStore;
import io.gatehouse.core.AuthenticationListener;
import io.gatehouse.core.UserInfo;
import io.gatehouse.oidc.JwtIssuer;
import io.gatehouse.oidc.OidcAuthenticator;
import io.gatehouse.serviceaccount.InMemoryServiceAccountRegistry;
import io.gatehouse.serviceaccount.ServiceAccountRecord;
import io.gatehouse.serviceaccount.ServiceAccountTokenAuthenticator;
import io.gatehouse.serviceaccount.ServiceAccountTokenIssuer;
import io.gatehouse.serviceaccount.TokenRequest;
import io.gatehouse.statictoken.StaticTokenAuthenticator;
import io.gatehouse.x509.X509Authenticator;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.RSAPrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Keys, tokens, certificates and authenticators shared by the benchmarks: the same credential shapes a
 * cluster sees (an OIDC ID token, a bound service account token, a bootstrap token, a static token, a
 * client certificate chain), generated fresh per run. Nothing here is secret beyond the benchmark.
 */
final class BenchFixtures {

    static final String OIDC_ISSUER = "https://issuer.example";
    static final String SA_ISSUER = "https://kubernetes.default.svc.cluster.local";
    static final String STATIC_TOKEN = "0123456789abcdef0123456789abcdef";
    static final String BOOTSTRAP_ID = "abcdef";
    static final String BOOTSTRAP_SECRET = "0123456789abcdef";
    static final String BOOTSTRAP_TOKEN = BOOTSTRAP_ID + "." + BOOTSTRAP_SECRET;

    private BenchFixtures() {
    }

    static KeyPair rsa() throws GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        return g.generateKeyPair();
    }

    static KeyPair ec(String curve) throws GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec(curve));
        return g.generateKeyPair();
    }

    /** An ID token shaped like a real one: iss, aud, sub, iat, exp, email, groups. */
    static String oidcToken(KeyPair keys, JWSAlgorithm alg, String kid) throws Exception {
        JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(OIDC_ISSUER).audience("gateway").subject("alice")
                .claim("email", "alice@example.com").claim("groups", List.of("dev", "ops"))
                .issueTime(new Date()).expirationTime(Date.from(Instant.now().plusSeconds(3600))).build();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(alg).keyID(kid).type(JOSEObjectType.JWT).build(), claims);
        jwt.sign(keys.getPrivate() instanceof RSAPrivateKey r ? new RSASSASigner(r)
                : new ECDSASigner((ECPrivateKey) keys.getPrivate()));
        return jwt.serialize();
    }

    static OidcAuthenticator oidc(KeyPair rsa, KeyPair ec) {
        return OidcAuthenticator.builder().listener(AuthenticationListener.NONE)
                .issuer(JwtIssuer.builder(OIDC_ISSUER).audiences("gateway").username("sub", "-")
                        .signingAlgorithms(List.of("RS256", "ES256"))
                        .staticKey("rsa", rsa.getPublic()).staticKey("ec", ec.getPublic()).build())
                .build();
    }

    /** A service account token minted by the project's issuer (bound, one-hour, audience = issuer). */
    static String serviceAccountToken(KeyPair keys) {
        ServiceAccountTokenIssuer issuer = ServiceAccountTokenIssuer.builder().signingKey(keys).issuer(SA_ISSUER)
                .apiAudiences(List.of(SA_ISSUER)).build();
        return issuer.issue(TokenRequest.forServiceAccount("default", "builder", "4f1c6b0e-0000-4000-8000-000000000001")
                .withExpirationSeconds(3600)).token();
    }

    /** With object lookup on, as Kubernetes runs it: the service account must exist (an in-memory map here). */
    static ServiceAccountTokenAuthenticator serviceAccounts(KeyPair keys) {
        InMemoryServiceAccountRegistry registry = new InMemoryServiceAccountRegistry()
                .put(ServiceAccountRecord.of("default", "builder", "4f1c6b0e-0000-4000-8000-000000000001"));
        return ServiceAccountTokenAuthenticator.builder().keys(List.of(keys.getPublic())).issuers(List.of(SA_ISSUER))
                .apiAudiences(List.of(SA_ISSUER)).lookup(registry).listener(AuthenticationListener.NONE).build();
    }

    static StaticTokenAuthenticator staticTokens() {
        return StaticTokenAuthenticator.builder().token(STATIC_TOKEN, UserInfo.of("alice", "1")).build();
    }

    static BootstrapTokenAuthenticator bootstrap() {
        Map<String, String> data = new TreeMap<>();
        data.put(BootstrapTokenSecret.TOKEN_ID, BOOTSTRAP_ID);
        data.put(BootstrapTokenSecret.TOKEN_SECRET, BOOTSTRAP_SECRET);
        data.put(BootstrapTokenSecret.USAGE_AUTHENTICATION, "true");
        InMemoryBootstrapTokenStore store = new InMemoryBootstrapTokenStore()
                .put(new BootstrapTokenSecret("kube-system", "bootstrap-token-" + BOOTSTRAP_ID,
                        "bootstrap.kubernetes.io/token", data, false));
        return BootstrapTokenAuthenticator.builder().store(store).build();
    }

    /** A CA and a client certificate it signed, both RSA-2048 with SHA-256. */
    record Pki(X509Certificate ca, X509Certificate leaf, KeyPair caKeys) {
    }

    static Pki pki() throws Exception {
        KeyPair caKeys = rsa();
        KeyPair leafKeys = rsa();
        Instant now = Instant.now();
        X500Name caName = new X500Name("CN=bench-ca");
        JcaX509v3CertificateBuilder ca = new JcaX509v3CertificateBuilder(caName, BigInteger.ONE,
                Date.from(now.minusSeconds(3600)), Date.from(now.plus(Duration.ofDays(365))), caName, caKeys.getPublic());
        ca.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
        ca.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
        X509Certificate caCert = converter.getCertificate(
                ca.build(new JcaContentSignerBuilder("SHA256withRSA").build(caKeys.getPrivate())));
        JcaX509v3CertificateBuilder leaf = new JcaX509v3CertificateBuilder(caName, BigInteger.TWO,
                Date.from(now.minusSeconds(3600)), Date.from(now.plus(Duration.ofDays(30))),
                new X500Name("CN=alice,O=dev"), leafKeys.getPublic());
        leaf.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        leaf.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
        leaf.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_clientAuth));
        X509Certificate leafCert = converter.getCertificate(
                leaf.build(new JcaContentSignerBuilder("SHA256withRSA").build(caKeys.getPrivate())));
        return new Pki(caCert, leafCert, caKeys);
    }

    /**
     * {@code n} more client certificates (DER) for one fresh key, differing only in serial: more than the
     * JDK's CertificateFactory keeps in its parse cache (750), so parsing them round-robin always yields
     * a certificate object that has never been verified.
     */
    static List<byte[]> leaves(Pki pki, int n) throws Exception {
        KeyPair leafKeys = rsa();
        Instant now = Instant.now();
        org.bouncycastle.operator.ContentSigner signer = new JcaContentSignerBuilder("SHA256withRSA")
                .build(pki.caKeys().getPrivate());
        List<byte[]> out = new java.util.ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            JcaX509v3CertificateBuilder leaf = new JcaX509v3CertificateBuilder(new X500Name("CN=bench-ca"),
                    BigInteger.valueOf(1000L + i), Date.from(now.minusSeconds(3600)), Date.from(now.plus(Duration.ofDays(30))),
                    new X500Name("CN=alice,O=dev"), leafKeys.getPublic());
            leaf.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            leaf.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
            leaf.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_clientAuth));
            out.add(leaf.build(signer).getEncoded());
        }
        return out;
    }

    /** Client certificates; {@code cached} false turns the verified-chain cache off. */
    static X509Authenticator x509(Pki pki, boolean cached) {
        X509Authenticator.Builder b = X509Authenticator.builder().trustAnchors(List.of(pki.ca()))
                .listener(AuthenticationListener.NONE);
        if (!cached) {
            b.cacheMaximumSize(0);
        }
        return b.build();
    }

    /** A self-signed certificate for 127.0.0.1: the server's TLS context and the certificate as PEM to trust. */
    record LoopbackTls(javax.net.ssl.SSLContext context, String certificatePem) {
    }

    static LoopbackTls loopbackTls() throws Exception {
        KeyPair tlsKeys = ec("secp256r1");
        X500Name name = new X500Name("CN=127.0.0.1");
        X509Certificate cert = new JcaX509CertificateConverter().getCertificate(
                new JcaX509v3CertificateBuilder(name, BigInteger.ONE, Date.from(Instant.now().minusSeconds(60)),
                        Date.from(Instant.now().plus(Duration.ofDays(1))), name, tlsKeys.getPublic())
                        .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
                        .addExtension(Extension.subjectAlternativeName, false, new org.bouncycastle.asn1.x509.GeneralNames(
                                new org.bouncycastle.asn1.x509.GeneralName(org.bouncycastle.asn1.x509.GeneralName.iPAddress,
                                        "127.0.0.1")))
                        .build(new JcaContentSignerBuilder("SHA256withECDSA").build(tlsKeys.getPrivate())));
        java.security.KeyStore ks = java.security.KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("tls", tlsKeys.getPrivate(), new char[0], new java.security.cert.Certificate[] {cert});
        javax.net.ssl.KeyManagerFactory kmf = javax.net.ssl.KeyManagerFactory.getInstance(
                javax.net.ssl.KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, new char[0]);
        javax.net.ssl.SSLContext tls = javax.net.ssl.SSLContext.getInstance("TLS");
        tls.init(kmf.getKeyManagers(), null, null);
        String pem = "-----BEGIN CERTIFICATE-----\n" + java.util.Base64.getMimeEncoder().encodeToString(cert.getEncoded())
                + "\n-----END CERTIFICATE-----\n";
        return new LoopbackTls(tls, pem);
    }
}
