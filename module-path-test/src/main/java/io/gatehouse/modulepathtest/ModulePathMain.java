package io.gatehouse.modulepathtest;

import io.gatehouse.bootstrap.BootstrapTokenDirectory;
import io.gatehouse.bootstrap.BootstrapTokenGenerator;
import io.gatehouse.bootstrap.GeneratedBootstrapToken;
import io.gatehouse.core.AuthenticationChain;
import io.gatehouse.core.AuthenticationListener;
import io.gatehouse.core.AuthenticationRequest;
import io.gatehouse.core.AuthenticationResult;
import io.gatehouse.core.ChainConfigLoader;
import io.gatehouse.serviceaccount.ServiceAccountTokenIssuer;
import io.gatehouse.serviceaccount.TokenRequest;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Builds a chain of all five methods from a YAML file with {@link ChainConfigLoader} (each type found through
 * {@link java.util.ServiceLoader} in its own named module), authenticates a static token, a client certificate, a
 * bootstrap token and a service account token, and prints one line per verdict. Exit status 0 when every verdict
 * is the expected user, 1 otherwise.
 */
public final class ModulePathMain {

    private ModulePathMain() {
    }

    /** Runs in a fresh temporary directory; prints {@code ok <user>} or {@code FAILED …} per credential. */
    public static void main(String[] args) throws Exception {
        if (ModulePathMain.class.getModule().getName() == null) {
            System.out.println("FAILED not on the module path");
            System.exit(1);
        }
        Path dir = Files.createTempDirectory("gatehouse-module-path-");
        Instant now = Instant.now();

        String staticToken = "module-path-" + Long.toHexString(Double.doubleToLongBits(Math.random()));
        Files.writeString(dir.resolve("tokens.csv"), staticToken + ",alice,1001,\"team\"\n");

        KeyPair ca = ec();
        X509Certificate caCert = certificate("CN=module-path-ca", ca, "CN=module-path-ca", ca, true, now);
        KeyPair client = ec();
        X509Certificate clientCert = certificate("CN=bob,O=devs", client, "CN=module-path-ca", ca, false, now);
        Files.writeString(dir.resolve("ca.pem"), pem("CERTIFICATE", caCert.getEncoded()));

        Path secrets = Files.createDirectories(dir.resolve("bootstrap"));
        GeneratedBootstrapToken bootstrap = BootstrapTokenGenerator.builder().ttl(Duration.ofHours(1)).build().generate();
        try (BootstrapTokenDirectory store = BootstrapTokenDirectory.builder(secrets)
                .listener(AuthenticationListener.NONE).reloadInterval(Duration.ZERO).build()) {
            store.write(bootstrap.secret());
        }

        KeyPair signing = ec();
        Files.writeString(dir.resolve("sa.key"), pem("PRIVATE KEY", signing.getPrivate().getEncoded()));
        Files.writeString(dir.resolve("sa.pub"), pem("PUBLIC KEY", signing.getPublic().getEncoded()));
        String issuerUrl = "https://module-path.example";
        String saToken = ServiceAccountTokenIssuer.builder().signingKeyFile(dir.resolve("sa.key")).issuer(issuerUrl)
                .build().issue(TokenRequest.forServiceAccount("ns", "robot", "0b6c7d4e-1f2a-4b3c-8d9e-0f1a2b3c4d5e"))
                .token();

        Files.writeString(dir.resolve("gatehouse.yaml"), String.join("\n",
                "apiAudiences: [" + issuerUrl + "]",
                "authenticators:",
                "  - type: x509",
                "    clientCaFile: ca.pem",
                "  - type: static-token",
                "    file: tokens.csv",
                "  - type: bootstrap-token",
                "    secretsDirectory: bootstrap",
                "  - type: service-account",
                "    keyFiles: [sa.pub]",
                "    issuers: [" + issuerUrl + "]",
                "  - type: oidc",
                "    issuerUrl: https://127.0.0.1:9",
                "    clientId: module-path",
                ""));

        List<String> failures = new ArrayList<>();
        try (AuthenticationChain chain = ChainConfigLoader.create().load(dir.resolve("gatehouse.yaml"))) {
            Map<String, AuthenticationRequest> requests = Map.of(
                    "alice", AuthenticationRequest.bearer(staticToken),
                    "bob", AuthenticationRequest.builder().peerCertificates(List.of(clientCert, caCert)).build(),
                    "system:bootstrap:" + bootstrap.id(), AuthenticationRequest.bearer(bootstrap.token()),
                    "system:serviceaccount:ns:robot", AuthenticationRequest.bearer(saToken));
            for (Map.Entry<String, AuthenticationRequest> e : requests.entrySet()) {
                AuthenticationResult verdict = chain.authenticate(e.getValue());
                if (verdict instanceof AuthenticationResult.Authenticated ok && ok.user().name().equals(e.getKey())) {
                    System.out.println("ok " + e.getKey());
                } else {
                    failures.add(e.getKey() + ": " + verdict);
                }
            }
        }
        // gatehouse-kubernetes (fabric8's automatic modules, its JDK HTTP client, Jackson 3) through the same loader:
        // with no API server listening, a bootstrap token is rejected because the Secrets could not be listed.
        Files.writeString(dir.resolve("unreachable.kubeconfig"), String.join("\n",
                "apiVersion: v1", "kind: Config",
                "clusters:", "- name: none", "  cluster:", "    server: https://127.0.0.1:9",
                "users:", "- name: reader", "  user:", "    token: reader-token",
                "contexts:", "- name: none", "  context:", "    cluster: none", "    user: reader",
                "current-context: none", ""));
        Files.writeString(dir.resolve("kubernetes.yaml"), String.join("\n",
                "authenticators:",
                "  - type: bootstrap-token",
                "    kubeconfig: unreachable.kubeconfig",
                ""));
        try (AuthenticationChain chain = ChainConfigLoader.create().load(dir.resolve("kubernetes.yaml"))) {
            AuthenticationResult verdict = chain.authenticate(AuthenticationRequest.bearer(bootstrap.token()));
            if (verdict instanceof AuthenticationResult.Rejected r
                    && r.toString().contains("have not been listed from the Kubernetes API yet")) {
                System.out.println("ok kubernetes-api-unreachable-rejected");
            } else {
                failures.add("kubernetes: " + verdict);
            }
        }
        for (String f : failures) {
            System.out.println("FAILED " + f);
        }
        System.exit(failures.isEmpty() ? 0 : 1);
    }

    private static KeyPair ec() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        return g.generateKeyPair();
    }

    private static X509Certificate certificate(String subject, KeyPair keys, String issuer, KeyPair signer,
                                               boolean ca, Instant now) throws Exception {
        JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(new X500Name(issuer),
                BigInteger.valueOf(now.toEpochMilli()), Date.from(now.minusSeconds(60)),
                Date.from(now.plus(Duration.ofHours(1))), new X500Name(subject), keys.getPublic());
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
        if (!ca) {
            b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_clientAuth));
        }
        return new JcaX509CertificateConverter().getCertificate(
                b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer.getPrivate())));
    }

    private static String pem(String label, byte[] der) {
        Function<byte[], String> b64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))::encodeToString;
        return "-----BEGIN " + label + "-----\n" + b64.apply(der) + "\n-----END " + label + "-----\n";
    }
}
