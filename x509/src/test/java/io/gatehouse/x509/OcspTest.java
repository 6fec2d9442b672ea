package io.gatehouse.x509;

import io.gatehouse.core.AuthenticationRequest;
import io.gatehouse.core.AuthenticationResult.Authenticated;
import io.gatehouse.core.AuthenticationResult.Rejected;
import io.gatehouse.core.AuthenticationResult;
import io.gatehouse.core.RejectionReason;
import io.gatehouse.core.testing.RecordingListener;
import io.gatehouse.testing.TestPki;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * OCSP against a real responder ({@code openssl ocsp} on loopback, skipped with the reason printed when
 * openssl is absent), and against scripted loopback servers for timeouts and oversized answers.
 */
class OcspTest {

    static final TestPki.Issued CA = TestPki.root("ocsp-ca");
    static final TestPki.Issued DELEGATE = TestPki.cert("CN=ocsp-responder").issuer(CA)
            .eku(KeyPurposeId.id_kp_OCSPSigning).issue();
    static String opensslMissing;

    @TempDir
    Path dir;

    @BeforeAll
    static void checkOpenssl() {
        opensslMissing = OpensslOcspResponder.unavailableReason();
        if (opensslMissing != null) {
            System.out.println("SKIPPED OCSP tests against openssl: " + opensslMissing);
        }
    }

    static void needOpenssl() {
        assumeTrue(opensslMissing == null, () -> "openssl unavailable: " + opensslMissing);
    }

    static TestPki.Issued client(String cn, URI responder) {
        return TestPki.cert("CN=" + cn).issuer(CA).clientAuth().ocsp(responder == null ? null : responder.toString()).issue();
    }

    static X509Authenticator authenticator(OcspSettings.Mode mode, URI configured, RecordingListener listener,
                                           Duration timeout, Duration cacheTtl) {
        return X509Authenticator.builder().trustAnchors(List.of(CA.cert()))
                .ocsp(new OcspSettings(mode, configured, timeout, 4096))
                .listener(listener).cacheTtl(cacheTtl).build();
    }

    static AuthenticationResult authenticate(X509Authenticator a, TestPki.Issued client) {
        return a.authenticate(AuthenticationRequest.builder().peerCertificates(List.of(client.cert())).build());
    }

    @Test
    void goodAndRevokedAnswersFromTheCertificatesResponder() throws Exception {
        needOpenssl();
        // A delegated responder signs; the responder is configured, since the certificates name none.
        TestPki.Issued good = client("good", null);
        TestPki.Issued revoked = client("revoked", null);
        try (OpensslOcspResponder responder = OpensslOcspResponder.start(dir, CA, DELEGATE, List.of(good.cert()),
                List.of(revoked.cert()), 60);
             X509Authenticator a = authenticator(OcspSettings.Mode.HARD_FAIL, responder.url(), new RecordingListener(),
                     Duration.ofSeconds(5), Duration.ZERO)) {
            assertEquals("good", assertInstanceOf(Authenticated.class, authenticate(a, good)).user().name());
            Rejected r = assertInstanceOf(Rejected.class, authenticate(a, revoked));
            assertEquals(RejectionReason.REVOKED, r.reason());
            assertTrue(r.message().contains("x509: certificate SN=" + revoked.cert().getSerialNumber()
                    + " (\"revoked\") was revoked at "), r.message());
            assertTrue(r.message().endsWith(", reason keyCompromise, according to the OCSP responder of \"ocsp-ca\""), r.message());
        }
    }

    @Test
    void theAiaAddressIsUsedAndAnswersAreCachedUntilNextUpdate() throws Exception {
        needOpenssl();
        // openssl picks its port at start; learn a free loopback port, name it in the certificate's AIA, and relay
        // it to the responder that serves the certificate.
        TestPki.Issued good;
        try (OpensslOcspResponder responder = OpensslOcspResponder.start(dir, CA, CA, List.of(), List.of(), 60)) {
            URI url = responder.url();
            good = client("aia", url);
        }
        try (X509Authenticator a = authenticator(OcspSettings.Mode.HARD_FAIL, null, new RecordingListener(),
                Duration.ofSeconds(5), Duration.ZERO)) {
            try (OpensslOcspResponder responder = OpensslOcspResponder.start(dir, CA, CA, List.of(good.cert()), List.of(), 60);
                 Relay relay = Relay.to(OcspChecker.responderFromAia(good.cert()).getPort(), responder.url().getPort())) {
                assumeTrue(relay != null, "the port named in the certificate was taken meanwhile");
                assertInstanceOf(Authenticated.class, authenticate(a, good));
            }
            // The responder is gone; the answer is cached until its nextUpdate (an hour ahead).
            assertInstanceOf(Authenticated.class, authenticate(a, good));
        }
    }

    @Test
    void anAnswerWithoutNextUpdateIsNotCached() throws Exception {
        needOpenssl();
        TestPki.Issued good = client("uncached", null);
        OpensslOcspResponder responder = OpensslOcspResponder.start(dir, CA, CA, List.of(good.cert()), List.of(), 0);
        try (X509Authenticator a = authenticator(OcspSettings.Mode.HARD_FAIL, responder.url(), new RecordingListener(),
                Duration.ofSeconds(2), Duration.ZERO)) {
            try (responder) {
                assertInstanceOf(Authenticated.class, authenticate(a, good));
            }
            // No nextUpdate: nothing was cached, so the stopped responder now fails the check.
            assertEquals(RejectionReason.INTERNAL_ERROR, assertInstanceOf(Rejected.class, authenticate(a, good)).reason());
        }
    }

    @Test
    void unknownCertificatesAndMissingResponders() throws Exception {
        needOpenssl();
        TestPki.Issued stranger = client("stranger", null);
        try (OpensslOcspResponder responder = OpensslOcspResponder.start(dir, CA, CA, List.of(), List.of(), 0)) {
            try (X509Authenticator hard = authenticator(OcspSettings.Mode.HARD_FAIL, responder.url(), new RecordingListener(),
                    Duration.ofSeconds(5), Duration.ofMinutes(5))) {
                Rejected r = assertInstanceOf(Rejected.class, authenticate(hard, stranger));
                assertEquals(RejectionReason.UNTRUSTED_CERTIFICATE, r.reason());
                assertTrue(r.message().contains("does not know certificate SN="), r.message());
            }
            RecordingListener listener = new RecordingListener();
            try (X509Authenticator soft = authenticator(OcspSettings.Mode.SOFT_FAIL, responder.url(), listener,
                    Duration.ofSeconds(5), Duration.ofMinutes(5))) {
                assertInstanceOf(Authenticated.class, authenticate(soft, stranger));
                assertEquals(1, listener.eventsStartingWith("warning x509 OCSP the OCSP responder").size(), listener.events().toString());
                assertEquals(0, soft.cachedChains(), "a soft-failed check is never cached");
            }
        }
        try (X509Authenticator hard = authenticator(OcspSettings.Mode.HARD_FAIL, null, new RecordingListener(),
                Duration.ofSeconds(5), Duration.ofMinutes(5))) {
            Rejected r = assertInstanceOf(Rejected.class, authenticate(hard, stranger));
            assertEquals(RejectionReason.INTERNAL_ERROR, r.reason());
            assertTrue(r.message().endsWith("the certificate names no OCSP responder and none is configured"), r.message());
        }
    }

    @Test
    void aResponseSignedByAnUnauthorisedKeyIsRefused() throws Exception {
        needOpenssl();
        TestPki.Issued rogue = TestPki.cert("CN=rogue-responder").issuer(TestPki.root("rogue-ca"))
                .eku(KeyPurposeId.id_kp_OCSPSigning).issue();
        TestPki.Issued good = client("good", null);
        try (OpensslOcspResponder responder = OpensslOcspResponder.start(dir, CA, rogue, List.of(good.cert()), List.of(), 60);
             X509Authenticator a = authenticator(OcspSettings.Mode.HARD_FAIL, responder.url(), new RecordingListener(),
                     Duration.ofSeconds(5), Duration.ZERO)) {
            Rejected r = assertInstanceOf(Rejected.class, authenticate(a, good));
            assertEquals(RejectionReason.INTERNAL_ERROR, r.reason());
            assertTrue(r.message().endsWith("not signed by the issuer or a responder it authorised"), r.message());
        }
    }

    @Test
    @org.junit.jupiter.api.Timeout(60)
    void aSilentResponderTimesOut() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            List<Socket> held = new ArrayList<>();
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        held.add(silent.accept());
                    }
                } catch (java.io.IOException e) {
                    // closed
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            URI url = URI.create("http://127.0.0.1:" + silent.getLocalPort() + "/");
            TestPki.Issued c = client("slow", null);
            try (X509Authenticator hard = authenticator(OcspSettings.Mode.HARD_FAIL, url, new RecordingListener(),
                    Duration.ofMillis(300), Duration.ofMinutes(5))) {
                // The silent responder holds every connection until the test ends: a verdict at all, naming the
                // timeout, is the timeout at work (the method's @Timeout guards against a hang).
                Rejected r = assertInstanceOf(Rejected.class, authenticate(hard, c));
                assertEquals(RejectionReason.INTERNAL_ERROR, r.reason());
                assertTrue(r.message().endsWith("no answer from " + url + " within 300 ms"), r.message());
            }
            RecordingListener listener = new RecordingListener();
            try (X509Authenticator soft = authenticator(OcspSettings.Mode.SOFT_FAIL, url, listener,
                    Duration.ofMillis(300), Duration.ofMinutes(5))) {
                assertInstanceOf(Authenticated.class, authenticate(soft, c));
                assertTrue(listener.events().get(0).endsWith("; accepted (soft-fail)"), listener.events().toString());
            }
            for (Socket s : held) {
                s.close();
            }
        }
    }

    @Test
    void anOversizedOrGarbageAnswerIsAFailedCheck() throws Exception {
        TestPki.Issued c = client("c", null);
        String[][] cases = {
                {"HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n" + "x".repeat(100_000), "response larger than 4096 bytes"},
                {"HTTP/1.1 200 OK\r\nContent-Length: 18\r\n\r\n<html>hello</html>", "not an OCSP response"},
                {"HTTP/1.1 503 Unavailable\r\nContent-Length: 0\r\n\r\n", "HTTP status 503"},
                {"HTTP/1.1 302 Found\r\nLocation: http://127.0.0.1:1/\r\nContent-Length: 0\r\n\r\n", "HTTP status 302"}};
        for (String[] expect : cases) {
            try (ScriptedHttp server = ScriptedHttp.answering(expect[0]);
                 X509Authenticator hard = authenticator(OcspSettings.Mode.HARD_FAIL, server.url(),
                         new RecordingListener(), Duration.ofSeconds(5), Duration.ofMinutes(5))) {
                Rejected r = assertInstanceOf(Rejected.class, authenticate(hard, c));
                assertEquals(RejectionReason.INTERNAL_ERROR, r.reason());
                assertTrue(r.message().contains(expect[1]), r.message());
            }
        }
    }

    /** A loopback HTTP server that reads each request and sends one fixed answer. */
    static final class ScriptedHttp implements AutoCloseable {
        private final ServerSocket server;

        private ScriptedHttp(ServerSocket server) {
            this.server = server;
        }

        static ScriptedHttp answering(String response) throws java.io.IOException {
            ServerSocket s = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            Thread t = new Thread(() -> {
                while (!s.isClosed()) {
                    try (Socket socket = s.accept()) {
                        java.io.InputStream in = socket.getInputStream();
                        StringBuilder head = new StringBuilder();
                        while (!head.toString().endsWith("\r\n\r\n")) {
                            int b = in.read();
                            if (b < 0) {
                                break;
                            }
                            head.append((char) b);
                        }
                        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?i)content-length: *(\\d+)")
                                .matcher(head);
                        if (m.find()) {
                            in.readNBytes(Integer.parseInt(m.group(1)));
                        }
                        socket.getOutputStream().write(response.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
                        socket.getOutputStream().flush();
                    } catch (java.io.IOException e) {
                        // next connection
                    }
                }
            }, "scripted-http");
            t.setDaemon(true);
            t.start();
            return new ScriptedHttp(s);
        }

        URI url() {
            return URI.create("http://127.0.0.1:" + server.getLocalPort() + "/ocsp");
        }

        @Override
        public void close() throws java.io.IOException {
            server.close();
        }
    }

    /** Forwards one loopback port to another, so a certificate's fixed AIA address can reach openssl's port. */
    static final class Relay implements AutoCloseable {
        private final ServerSocket server;

        private Relay(ServerSocket server) {
            this.server = server;
        }

        static Relay to(int from, int to) {
            ServerSocket s;
            try {
                s = new ServerSocket(from, 50, InetAddress.getLoopbackAddress());
            } catch (java.io.IOException e) {
                return null;
            }
            Thread t = new Thread(() -> {
                while (!s.isClosed()) {
                    try (Socket in = s.accept(); Socket out = new Socket(InetAddress.getLoopbackAddress(), to)) {
                        Thread back = new Thread(() -> pipe(out, in));
                        back.setDaemon(true);
                        back.start();
                        pipe(in, out);
                        back.join(5000);
                    } catch (java.io.IOException | InterruptedException e) {
                        // next connection
                    }
                }
            }, "ocsp-relay");
            t.setDaemon(true);
            t.start();
            return new Relay(s);
        }

        private static void pipe(Socket from, Socket to) {
            try {
                from.getInputStream().transferTo(to.getOutputStream());
                to.shutdownOutput();
            } catch (java.io.IOException e) {
                // connection ended
            }
        }

        @Override
        public void close() throws java.io.IOException {
            server.close();
        }
    }
}
