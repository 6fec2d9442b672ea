package io.gatehouse.examples.adversarial;

import com.sun.net.httpserver.HttpServer;
import io.gatehouse.core.AuthenticationChain;
import io.gatehouse.core.AuthenticationListener;
import io.gatehouse.core.AuthenticationRequest;
import io.gatehouse.core.AuthenticationResult.Authenticated;
import io.gatehouse.core.AuthenticationResult.Rejected;
import io.gatehouse.core.AuthenticationResult;
import io.gatehouse.core.RejectionReason;
import io.gatehouse.testing.TestPki;
import io.gatehouse.x509.OcspSettings.Mode;
import io.gatehouse.x509.OcspSettings;
import io.gatehouse.x509.X509Authenticator;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

/**
 * The OCSP responder unreachable, hanging, or answering garbage: soft-fail authenticates, hard-fail rejects,
 * and neither waits longer than the configured OCSP timeout.
 */
class OcspFaultTest {

    static final Duration TIMEOUT = Duration.ofMillis(400);
    static TestPki.Issued ca;
    static AuthenticationRequest client;
    static HttpServer responder;
    static URI refused;
    static final CountDownLatch RELEASE = new CountDownLatch(1);
    static final AtomicInteger HANG_ANSWERED = new AtomicInteger();

    @BeforeAll
    static void start() throws Exception {
        Instant now = Instant.now();
        ca = TestPki.ca("ocsp-fault-ca", now);
        client = AuthenticationRequest.builder().peerCertificates(List.of(TestPki.client(ca, "carol", List.of("ops"), now).cert())).build();
        responder = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        responder.setExecutor(Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "ocsp-responder");
            t.setDaemon(true);
            return t;
        }));
        responder.createContext("/hang", ex -> {
            try {
                // Held until the tests end (at most a minute): only the client's own timeout can end the wait.
                RELEASE.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            HANG_ANSWERED.incrementAndGet();
            ex.close();
        });
        responder.createContext("/html", ex -> {
            byte[] b = "<html>maintenance</html>".getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", "text/html");
            ex.sendResponseHeaders(200, b.length);
            ex.getResponseBody().write(b);
            ex.close();
        });
        responder.createContext("/500", ex -> {
            ex.sendResponseHeaders(500, -1);
            ex.close();
        });
        responder.createContext("/huge", ex -> {
            ex.getResponseHeaders().set("Content-Type", "application/ocsp-response");
            ex.sendResponseHeaders(200, 0);
            byte[] chunk = new byte[64 * 1024];
            try (var out = ex.getResponseBody()) {
                for (int i = 0; i < 800; i++) {
                    out.write(chunk);
                }
            } catch (java.io.IOException e) {
                // hung up on, as it should be
            }
        });
        responder.start();
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            refused = URI.create("http://127.0.0.1:" + s.getLocalPort() + "/");
        }
    }

    @AfterAll
    static void stop() {
        RELEASE.countDown();
        responder.stop(0);
    }

    private static URI responder(String fault) {
        return fault.equals("refused") ? refused
                : URI.create("http://127.0.0.1:" + responder.getAddress().getPort() + "/" + fault);
    }

    @ParameterizedTest(name = "{0} responder, {1}")
    @CsvSource({
        "refused, SOFT_FAIL", "refused, HARD_FAIL",
        "hang,    SOFT_FAIL", "hang,    HARD_FAIL",
        "html,    SOFT_FAIL", "html,    HARD_FAIL",
        "500,     SOFT_FAIL", "500,     HARD_FAIL",
        "huge,    SOFT_FAIL", "huge,    HARD_FAIL",
        "refused, OFF",
    })
    void theConfiguredPolicyDecides(String fault, Mode mode) throws Exception {
        try (X509Authenticator x509 = X509Authenticator.builder().trustAnchors(List.of(ca.cert()))
                .ocsp(new OcspSettings(mode, responder(fault), TIMEOUT, 16 * 1024))
                .listener(AuthenticationListener.NONE).build();
             AuthenticationChain chain = AuthenticationChain.builder().add("x509", x509).listener(AuthenticationListener.NONE).build()) {
            for (int i = 0; i < 3; i++) {
                AuthenticationResult r = chain.authenticate(client);
                // Counted, not timed: the hanging responder answers only when the tests end, so a verdict that
                // arrives at all while it has answered nothing was cut off by the configured timeout.
                if (fault.equals("hang")) {
                    assertEquals(0, HANG_ANSWERED.get(), "the OCSP check waited for the hanging responder");
                }
                if (mode == Mode.HARD_FAIL) {
                    Rejected rejected = assertInstanceOf(Rejected.class, r, r::toString);
                    assertEquals(RejectionReason.INTERNAL_ERROR, rejected.reason(), rejected::toString);
                } else {
                    assertEquals("carol", assertInstanceOf(Authenticated.class, r, r::toString).user().name());
                }
            }
        }
    }
}
