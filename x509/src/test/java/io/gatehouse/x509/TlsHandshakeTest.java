package io.gatehouse.x509;

import io.gatehouse.core.AuthenticationRequest;
import io.gatehouse.core.AuthenticationResult.Authenticated;
import io.gatehouse.core.AuthenticationResult.Rejected;
import io.gatehouse.core.AuthenticationResult;
import io.gatehouse.testing.TestPki;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A real TLS handshake on 127.0.0.1: a JDK {@link SSLServerSocket} that wants a client certificate and trusts
 * whatever is presented ({@link DeferringTrustManager}, as Kubernetes requests but does not verify in the
 * handshake), then hands the session's peer chain to the authenticator and writes the verdict back.
 */
class TlsHandshakeTest {

    static final Instant NOW = Instant.now();
    static final TestPki.Issued ROOT = TestPki.root("tls-root");
    static final TestPki.Issued INTERMEDIATE = TestPki.intermediate("tls-intermediate", ROOT);
    static final TestPki.Issued SERVER = TestPki.cert("CN=127.0.0.1").issuer(ROOT).eku(KeyPurposeId.id_kp_serverAuth)
            .extension("2.5.29.17", false, new GeneralNames(new GeneralName(GeneralName.iPAddress, "127.0.0.1"))).issue();
    static final TestPki.Issued VALID = TestPki.client("CN=tls-alice,O=tls", INTERMEDIATE);
    static final TestPki.Issued EXPIRED = TestPki.cert("CN=tls-expired").issuer(INTERMEDIATE).clientAuth()
            .validity(NOW.minus(Duration.ofDays(30)), NOW.minus(Duration.ofDays(1))).issue();
    static final TestPki.Issued WRONG_EKU = TestPki.cert("CN=tls-server-only").issuer(INTERMEDIATE)
            .eku(KeyPurposeId.id_kp_serverAuth).issue();
    static final TestPki.Issued IMPOSTOR_ROOT = TestPki.root("tls-root");
    static final TestPki.Issued IMPOSTOR = TestPki.client("CN=tls-alice,O=tls", IMPOSTOR_ROOT);
    static final TestPki.Issued CRL_REVOKED = TestPki.client("CN=tls-crl-revoked", INTERMEDIATE);
    static final TestPki.Issued OCSP_REVOKED = TestPki.client("CN=tls-ocsp-revoked", INTERMEDIATE);

    static OpensslOcspResponder responder;
    static String opensslMissing;
    static X509Authenticator authenticator;
    static SSLServerSocket serverSocket;
    static Thread serverThread;

    @TempDir
    static Path dir;

    @BeforeAll
    static void startServer() throws Exception {
        opensslMissing = OpensslOcspResponder.unavailableReason();
        OcspSettings ocsp = OcspSettings.off();
        if (opensslMissing == null) {
            Path ocspDir = Files.createDirectories(dir.resolve("ocsp"));
            responder = OpensslOcspResponder.start(ocspDir, INTERMEDIATE, INTERMEDIATE,
                    List.of(VALID.cert(), CRL_REVOKED.cert(), EXPIRED.cert(), WRONG_EKU.cert()), List.of(OCSP_REVOKED.cert()), 60);
            ocsp = new OcspSettings(OcspSettings.Mode.HARD_FAIL, responder.url(), Duration.ofSeconds(5), 16_384);
        } else {
            System.out.println("SKIPPED the OCSP handshake case: " + opensslMissing);
        }
        authenticator = X509Authenticator.builder()
                .trustAnchors(List.of(ROOT.cert()))
                .crls(List.of(TestPki.crl(INTERMEDIATE, NOW.minusSeconds(600), NOW.plus(Duration.ofDays(1)), 1, CRL_REVOKED.cert())))
                .ocsp(ocsp)
                .build();

        SSLContext server = SSLContext.getInstance("TLS");
        server.init(keyManagers(SERVER.key(), SERVER.cert(), ROOT.cert()), new TrustManager[] {authenticator.trustManager()}, null);
        serverSocket = (SSLServerSocket) server.getServerSocketFactory().createServerSocket(0, 50, InetAddress.getLoopbackAddress());
        serverSocket.setWantClientAuth(true);
        serverThread = new Thread(TlsHandshakeTest::serve, "tls-test-server");
        serverThread.setDaemon(true);
        serverThread.start();
    }

    @AfterAll
    static void stopServer() throws Exception {
        serverSocket.close();
        serverThread.join(5000);
        authenticator.close();
        if (responder != null) {
            responder.close();
        }
    }

    /** Accepts connections one by one: handshake, authenticate the peer chain, write the verdict, close. */
    static void serve() {
        while (!serverSocket.isClosed()) {
            try (SSLSocket s = (SSLSocket) serverSocket.accept()) {
                s.setSoTimeout(10_000);
                s.startHandshake();
                List<X509Certificate> chain = new ArrayList<>();
                try {
                    for (Certificate c : s.getSession().getPeerCertificates()) {
                        chain.add((X509Certificate) c);
                    }
                } catch (SSLPeerUnverifiedException e) {
                    // no client certificate: an empty chain
                }
                AuthenticationResult r = authenticator.authenticate(AuthenticationRequest.builder().peerCertificates(chain).build());
                String verdict;
                if (r instanceof Authenticated a) {
                    verdict = "AUTHENTICATED " + a.user().name() + " " + a.user().groups();
                } else if (r instanceof Rejected rej) {
                    verdict = "REJECTED " + rej.reason() + " " + rej.message();
                } else {
                    verdict = "ABSTAINED";
                }
                OutputStream out = s.getOutputStream();
                out.write((verdict.replace('\n', ' ') + "\n").getBytes(StandardCharsets.UTF_8));
                out.flush();
            } catch (IOException e) {
                // a failed handshake or a closed server; the client side reports it
            }
        }
    }

    /** Connects with {@code chain} as the client certificate (none when null) and returns the server's verdict. */
    static String connect(TestPki.Issued client, X509Certificate... chain) throws Exception {
        SSLContext ctx = SSLContext.getInstance("TLS");
        KeyManager[] kms = client == null ? new KeyManager[0] : new KeyManager[] {new FixedKeyManager(client.key(), chain)};
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("root", ROOT.cert());
        TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
        tmf.init(trust);
        ctx.init(kms, tmf.getTrustManagers(), null);
        try (SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket(InetAddress.getLoopbackAddress(), serverSocket.getLocalPort())) {
            s.setSoTimeout(20_000);
            s.startHandshake();
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
            return in.readLine();
        }
    }

    static KeyManager[] keyManagers(PrivateKey key, X509Certificate... chain) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("k", key, "pw".toCharArray(), chain);
        KeyManagerFactory kmf = KeyManagerFactory.getInstance("PKIX");
        kmf.init(ks, "pw".toCharArray());
        return kmf.getKeyManagers();
    }

    @Test
    void aValidChainWithAnIntermediate() throws Exception {
        assertEquals("AUTHENTICATED tls-alice [tls]", connect(VALID, VALID.cert(), INTERMEDIATE.cert()));
    }

    @Test
    void noClientCertificateAbstains() throws Exception {
        assertEquals("ABSTAINED", connect(null));
    }

    @Test
    void anExpiredCertificate() throws Exception {
        String verdict = connect(EXPIRED, EXPIRED.cert(), INTERMEDIATE.cert());
        assertTrue(verdict.startsWith("REJECTED EXPIRED verifying certificate SN=" + EXPIRED.cert().getSerialNumber()), verdict);
        assertTrue(verdict.contains("x509: certificate has expired or is not yet valid: current time "), verdict);
    }

    @Test
    void aCertificateWithoutClientAuth() throws Exception {
        String verdict = connect(WRONG_EKU, WRONG_EKU.cert(), INTERMEDIATE.cert());
        assertTrue(verdict.startsWith("REJECTED INVALID_CREDENTIAL ")
                && verdict.endsWith("failed: x509: certificate specifies an incompatible key usage"), verdict);
    }

    @Test
    void anUnknownCaWithTheSameSubjectName() throws Exception {
        String verdict = connect(IMPOSTOR, IMPOSTOR.cert(), IMPOSTOR_ROOT.cert());
        assertTrue(verdict.startsWith("REJECTED UNTRUSTED_CERTIFICATE "), verdict);
        assertTrue(verdict.endsWith("failed: x509: certificate signed by unknown authority (possibly because of "
                + "\"x509: ECDSA verification failure\" while trying to verify candidate authority certificate \"tls-root\")"), verdict);
    }

    @Test
    void aCertificateRevokedByCrl() throws Exception {
        String verdict = connect(CRL_REVOKED, CRL_REVOKED.cert(), INTERMEDIATE.cert());
        assertTrue(verdict.startsWith("REJECTED REVOKED ") && verdict.contains("according to the CRL of \"tls-intermediate\""),
                verdict);
    }

    @Test
    void aCertificateRevokedByOcsp() throws Exception {
        assumeTrue(opensslMissing == null, () -> "openssl unavailable: " + opensslMissing);
        String verdict = connect(OCSP_REVOKED, OCSP_REVOKED.cert(), INTERMEDIATE.cert());
        assertTrue(verdict.startsWith("REJECTED REVOKED ")
                && verdict.contains("according to the OCSP responder of \"tls-intermediate\""), verdict);
    }

    /** Presents one chain whatever the server asks for, so that tests choose exactly what the server sees. */
    static final class FixedKeyManager extends X509ExtendedKeyManager {
        private final PrivateKey key;
        private final X509Certificate[] chain;

        FixedKeyManager(PrivateKey key, X509Certificate[] chain) {
            this.key = key;
            this.chain = chain.clone();
        }

        @Override
        public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
            return "client";
        }

        @Override
        public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
            return "client";
        }

        @Override
        public X509Certificate[] getCertificateChain(String alias) {
            return chain.clone();
        }

        @Override
        public PrivateKey getPrivateKey(String alias) {
            return key;
        }

        @Override
        public String[] getClientAliases(String keyType, Principal[] issuers) {
            return new String[] {"client"};
        }

        @Override
        public String[] getServerAliases(String keyType, Principal[] issuers) {
            return null;
        }

        @Override
        public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
            return null;
        }
    }
}
