package io.gatehouse.webhook;

import io.gatehouse.testing.TestPki;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;

/**
 * A scripted TokenReview server on 127.0.0.1 over real TLS: its certificate is issued by a test CA, and it requires
 * a client certificate issued by {@code clientCa} when one is given. Each POST is answered by the current script;
 * the server counts calls and keeps what it received.
 */
final class ReviewServer implements AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper();

    /** What the server received: the parsed body and the Authorization header (or null). */
    record Received(JsonNode body, String authorization) {
    }

    /** One scripted answer; {@code hang} holds the exchange open until the server closes. */
    record Answer(int status, byte[] body, Map<String, String> headers, boolean hang) {
        static Answer json(int status, String body) {
            return new Answer(status, body.getBytes(StandardCharsets.UTF_8), Map.of("Content-Type", "application/json"), false);
        }

        static Answer hanging() {
            return new Answer(0, new byte[0], Map.of(), true);
        }
    }

    private final HttpsServer server;
    private final ExecutorService executor;
    private final CountDownLatch release = new CountDownLatch(1);
    private final AtomicInteger calls = new AtomicInteger();
    private final AtomicInteger hanging = new AtomicInteger();
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private volatile Function<Received, Answer> script = r -> Answer.json(500, "{}");

    ReviewServer(TestPki.Issued serverPki, TestPki.Issued clientCa) throws Exception {
        TestPki.Issued cert = TestPki.loopbackServer(serverPki, java.time.Instant.now());
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("server", cert.keys().getPrivate(), new char[0], new Certificate[] {cert.cert()});
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, new char[0]);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        if (clientCa != null) {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("ca", clientCa.cert());
            tmf.init(trust);
        }
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(kmf.getKeyManagers(), clientCa == null ? null : tmf.getTrustManagers(), null);
        server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        server.setHttpsConfigurator(new HttpsConfigurator(tls) {
            @Override
            public void configure(HttpsParameters params) {
                SSLParameters p = tls.getDefaultSSLParameters();
                p.setNeedClientAuth(clientCa != null);
                params.setSSLParameters(p);
            }
        });
        executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "review-server");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    /** The review URL, with a path as webhook servers usually have. */
    String url() {
        return "https://127.0.0.1:" + server.getAddress().getPort() + "/review";
    }

    void script(Function<Received, Answer> script) {
        this.script = script;
    }

    int calls() {
        return calls.get();
    }

    /** Exchanges held open by a hanging answer right now. */
    int hanging() {
        return hanging.get();
    }

    List<Received> received() {
        return received;
    }

    /**
     * Writes a kubeconfig for this server: the CA as data, the client's certificate and key as data when given.
     */
    Path kubeconfig(Path dir, TestPki.Issued trusted, TestPki.Issued client, String extraUser) throws IOException {
        StringBuilder y = new StringBuilder();
        y.append("apiVersion: v1\nkind: Config\ncurrent-context: webhook\n");
        y.append("clusters:\n- name: remote\n  cluster:\n    server: ").append(url()).append('\n');
        if (trusted != null) {
            y.append("    certificate-authority-data: ").append(b64(TestPki.pem(trusted.cert()))).append('\n');
        }
        y.append("users:\n- name: gatehouse\n  user:\n");
        if (client != null) {
            y.append("    client-certificate-data: ").append(b64(TestPki.pem(client.cert()))).append('\n');
            y.append("    client-key-data: ").append(b64(TestPki.privateKeyPem(client.key()))).append('\n');
        }
        if (extraUser != null) {
            y.append(extraUser);
        }
        if (client == null && extraUser == null) {
            y.append("    {}\n");
        }
        y.append("contexts:\n- name: webhook\n  context:\n    cluster: remote\n    user: gatehouse\n");
        Path file = Files.createTempFile(dir, "webhook", ".kubeconfig");
        Files.writeString(file, y.toString());
        return file;
    }

    static String b64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            calls.incrementAndGet();
            byte[] body = ex.getRequestBody().readAllBytes();
            Received r = new Received(JSON.readTree(body), ex.getRequestHeaders().getFirst("Authorization"));
            received.add(r);
            Answer a = script.apply(r);
            if (a.hang()) {
                hanging.incrementAndGet();
                try {
                    release.await(60, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    hanging.decrementAndGet();
                }
                return;
            }
            a.headers().forEach((k, v) -> ex.getResponseHeaders().add(k, v));
            ex.sendResponseHeaders(a.status(), a.body().length == 0 ? -1 : a.body().length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(a.body());
            }
        }
    }

    @Override
    public void close() {
        release.countDown();
        server.stop(0);
        executor.shutdownNow();
    }
}
