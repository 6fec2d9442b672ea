package io.gatehouse.examples.adversarial;

import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;

/**
 * An OIDC provider on 127.0.0.1 over HTTPS whose behaviour a test scripts while it runs: healthy, down
 * (connection refused), 500s, HTML, a 50 MiB body, answers slower than any timeout. It serves several issuers
 * by path ({@code /<name>/.well-known/openid-configuration} and {@code /<name>/jwks}), all with one JWKS.
 */
final class ScriptedIssuer implements AutoCloseable {

    enum Mode { OK, REFUSED, ERROR_500, HTML, HUGE, SLOW }

    static final int HUGE_BYTES = 50 * 1024 * 1024;

    final String caPem;
    private final Pki.Issued ca;
    private final SSLContext tls;
    private final int port;
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "scripted-issuer");
        t.setDaemon(true);
        return t;
    });
    private volatile HttpsServer server;
    private volatile Mode mode = Mode.OK;
    private volatile String jwks = "{\"keys\":[]}";
    /** Requests answered or refused by a running server (refused connections are not counted). */
    final AtomicInteger requests = new AtomicInteger();
    /** Bytes of HUGE bodies actually written before the client hung up. */
    final AtomicInteger hugeBytesWritten = new AtomicInteger();

    ScriptedIssuer() throws IOException {
        Instant now = Instant.now();
        ca = Pki.ca("scripted-issuer-ca", now);
        caPem = Pki.pem(ca.certificate());
        tls = Pki.serverContext(Pki.loopbackServer(ca, now), ca);
        HttpsServer s = create(0);
        port = s.getAddress().getPort();
        server = s;
        s.start();
    }

    private HttpsServer create(int p) throws IOException {
        HttpsServer s = HttpsServer.create(new InetSocketAddress("127.0.0.1", p), 64);
        s.setHttpsConfigurator(new HttpsConfigurator(tls));
        s.setExecutor(executor);
        s.createContext("/", this::handle);
        return s;
    }

    String issuer(String name) {
        return "https://127.0.0.1:" + port + "/" + name;
    }

    void mode(Mode m) throws IOException {
        if (m == Mode.REFUSED) {
            stopServer();
        } else if (server == null) {
            HttpsServer s = create(port);
            server = s;
            s.start();
        }
        this.mode = m;
    }

    /** Serves these public keys: {@code kids[i]} names {@code keys[i]}. */
    void keys(List<String> kids, List<KeyPair> keys) {
        List<JWK> jwk = new ArrayList<>();
        for (int i = 0; i < kids.size(); i++) {
            java.security.PublicKey pub = keys.get(i).getPublic();
            jwk.add(pub instanceof RSAPublicKey rsa ? new RSAKey.Builder(rsa).keyID(kids.get(i)).build()
                    : new ECKey.Builder(com.nimbusds.jose.jwk.Curve.P_256, (ECPublicKey) pub).keyID(kids.get(i)).build());
        }
        StringBuilder b = new StringBuilder("{\"keys\":[");
        for (int i = 0; i < jwk.size(); i++) {
            b.append(i == 0 ? "" : ",").append(jwk.get(i).toJSONString());
        }
        jwks = b.append("]}").toString();
    }

    private void handle(HttpExchange ex) throws IOException {
        requests.incrementAndGet();
        try (ex) {
            String path = ex.getRequestURI().getPath();
            switch (mode) {
                case ERROR_500 -> send(ex, 500, "text/plain", "internal error");
                case HTML -> send(ex, 200, "text/html", "<html><body><h1>Bad Gateway</h1>please log in</body></html>");
                case SLOW -> {
                    try {
                        Thread.sleep(4_000);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    send(ex, 200, "application/json", body(path));
                }
                case HUGE -> huge(ex);
                default -> send(ex, 200, "application/json", body(path));
            }
        } catch (IOException e) {
            // The client hung up, as it should on a huge or slow answer.
        }
    }

    private String body(String path) {
        if (path.endsWith("/.well-known/openid-configuration")) {
            String issuer = "https://127.0.0.1:" + port + path.substring(0, path.length() - "/.well-known/openid-configuration".length());
            return "{\"issuer\":\"" + issuer + "\",\"jwks_uri\":\"" + issuer + "/jwks\"}";
        }
        return jwks;
    }

    private void huge(HttpExchange ex) throws IOException {
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(200, HUGE_BYTES);
        byte[] chunk = new byte[64 * 1024];
        java.util.Arrays.fill(chunk, (byte) ' ');
        chunk[0] = '{';
        OutputStream out = ex.getResponseBody();
        for (int written = 0; written < HUGE_BYTES; written += chunk.length) {
            out.write(chunk);
            hugeBytesWritten.addAndGet(chunk.length);
            chunk[0] = ' ';
        }
    }

    private static void send(HttpExchange ex, int status, String type, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", type);
        ex.sendResponseHeaders(status, b.length);
        ex.getResponseBody().write(b);
    }

    private void stopServer() {
        HttpsServer s = server;
        server = null;
        if (s != null) {
            s.stop(0);
        }
    }

    @Override
    public void close() {
        stopServer();
        executor.shutdownNow();
    }
}
