package io.gatehouse.testing;

import com.nimbusds.jose.jwk.JWK;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;

/**
 * The one scripted OpenID provider of Gatehouse's tests: HTTPS on 127.0.0.1 (a loopback server certificate from
 * one test CA shared by all instances, {@link #caPem()}), answering
 * <ul>
 *   <li>any path ending in {@code /.well-known/openid-configuration} with a discovery document whose issuer is
 *       this server's URL plus the path before it and whose {@code jwks_uri} is that issuer plus {@code /jwks};</li>
 *   <li>any path ending in {@code /jwks} with the keys given to {@link #keys};</li>
 *   <li>any path scripted with {@link #answer} (status, body, headers, delay) as scripted, before the above;</li>
 *   <li>everything, while a {@link Fault} is set, with that fault: refused connections (the server stops and later
 *       restarts on the same port), 500s, HTML, a 50 MiB body, or a slow answer: {@link Fault#SLOW} holds every
 *       answer until the fault is changed (at most {@link #SLOW_HOLD}), so that a client that ignored its own
 *       timeouts would wait far longer than any scheduling delay.</li>
 * </ul>
 * It counts requests in all and per path and remembers each path's last {@code Authorization} header.
 */
public final class ScriptedIdp implements AutoCloseable {

    /** What every request gets while set, instead of its scripted answer. */
    public enum Fault { NONE, REFUSED, ERROR_500, HTML, HUGE, SLOW }

    /** The longest a {@link Fault#SLOW} answer is held if the fault is never changed. */
    public static final Duration SLOW_HOLD = Duration.ofSeconds(30);

    /** The size of a {@link Fault#HUGE} body. */
    public static final int HUGE_BYTES = 50 * 1024 * 1024;

    /** One scripted answer. */
    public record Answer(int status, String body, Map<String, String> headers, Duration delay) {
        /** 200 with a JSON body. */
        public static Answer json(String body) {
            return new Answer(200, body, Map.of(), Duration.ZERO);
        }
    }

    private static final String DISCOVERY = "/.well-known/openid-configuration";
    private static volatile TestPki.Issued sharedCa;
    private static volatile SSLContext sharedTls;

    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "scripted-idp");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, Answer> answers = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> hits = new ConcurrentHashMap<>();
    private final Map<String, String> authorization = new ConcurrentHashMap<>();
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicInteger hugeBytesWritten = new AtomicInteger();
    private final int port;
    private volatile HttpsServer server;
    private volatile Fault fault = Fault.NONE;
    private volatile String jwks = "{\"keys\":[]}";

    /** Starts serving on a free port. */
    public ScriptedIdp() throws IOException {
        HttpsServer s = create(0);
        port = s.getAddress().getPort();
        server = s;
        s.start();
    }

    /** The test CA that issued every instance's server certificate, as PEM. */
    public static String caPem() {
        return TestPki.pem(ca().cert());
    }

    /** {@code https://127.0.0.1:<port>}. */
    public String url() {
        return "https://127.0.0.1:" + port;
    }

    /** {@code https://127.0.0.1:<port>/<name>}: an issuer whose discovery and JWKS this server answers. */
    public String issuer(String name) {
        return url() + "/" + name;
    }

    /** Serves a discovery document at {@code path} naming {@code issuerUrl} and this server's {@code /jwks}. */
    public ScriptedIdp discovery(String path, String issuerUrl) {
        return answer(path, Answer.json("{\"issuer\":\"" + issuerUrl + "\",\"jwks_uri\":\"" + url() + "/jwks\"}"));
    }

    /** Serves these public keys, by key id, at every {@code …/jwks}. */
    public ScriptedIdp keys(Map<String, KeyPair> byKid) {
        StringBuilder sb = new StringBuilder("{\"keys\":[");
        byKid.forEach((kid, pair) -> {
            JWK jwk = JwtFixtures.publicJwk(pair.getPublic(), kid);
            sb.append(sb.length() > 9 ? "," : "").append(jwk.toJSONString());
        });
        jwks = sb.append("]}").toString();
        answers.remove("/jwks"); // new keys replace whatever /jwks was scripted to answer
        return this;
    }

    /** Serves these public keys: {@code kids[i]} names {@code keys[i]}. */
    public ScriptedIdp keys(List<String> kids, List<KeyPair> keys) {
        Map<String, KeyPair> byKid = new LinkedHashMap<>();
        for (int i = 0; i < kids.size(); i++) {
            byKid.put(kids.get(i), keys.get(i));
        }
        return keys(byKid);
    }

    /** Answers {@code path} with {@code a} from now on. */
    public ScriptedIdp answer(String path, Answer a) {
        answers.put(path, a);
        return this;
    }

    /** Answers every request with {@code f} from now on ({@link Fault#NONE}: as scripted again). */
    public void fault(Fault f) throws IOException {
        if (f == Fault.REFUSED) {
            stopServer();
        } else if (server == null) {
            HttpsServer s = create(port);
            server = s;
            s.start();
        }
        this.fault = f;
    }

    /** Requests to {@code path} so far. */
    public int hits(String path) {
        AtomicInteger n = hits.get(path);
        return n == null ? 0 : n.get();
    }

    /** Requests answered by a running server so far (refused connections are not counted). */
    public int requests() {
        return requests.get();
    }

    /** Bytes of {@link Fault#HUGE} bodies actually written before clients hung up. */
    public int hugeBytesWritten() {
        return hugeBytesWritten.get();
    }

    /** The Authorization header of the last request to {@code path} ("" for none, null if never hit). */
    public String lastAuthorization(String path) {
        return authorization.get(path);
    }

    @Override
    public void close() {
        stopServer();
        executor.shutdownNow();
    }

    private HttpsServer create(int p) throws IOException {
        HttpsServer s = HttpsServer.create(new InetSocketAddress("127.0.0.1", p), 64);
        s.setHttpsConfigurator(new HttpsConfigurator(tls()));
        s.setExecutor(executor);
        s.createContext("/", this::handle);
        return s;
    }

    private void stopServer() {
        HttpsServer s = server;
        server = null;
        if (s != null) {
            s.stop(0);
        }
    }

    private void handle(HttpExchange ex) throws IOException {
        requests.incrementAndGet();
        String path = ex.getRequestURI().getPath();
        hits.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
        String auth = ex.getRequestHeaders().getFirst("Authorization");
        authorization.put(path, auth == null ? "" : auth);
        try (ex) {
            switch (fault) {
                case ERROR_500 -> send(ex, new Answer(500, "internal error", Map.of("Content-Type", "text/plain"), Duration.ZERO));
                case HTML -> send(ex, new Answer(200, "<html><body><h1>Bad Gateway</h1>please log in</body></html>",
                        Map.of("Content-Type", "text/html"), Duration.ZERO));
                case SLOW -> {
                    holdWhileSlow();
                    send(ex, scripted(path));
                }
                case HUGE -> huge(ex);
                default -> send(ex, scripted(path));
            }
        } catch (IOException e) {
            // The client gave up, as it should on a huge or slow answer.
        }
    }

    private void holdWhileSlow() {
        long end = System.nanoTime() + SLOW_HOLD.toNanos();
        try {
            while (fault == Fault.SLOW && System.nanoTime() < end) {
                Thread.sleep(10);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private Answer scripted(String path) {
        Answer a = answers.get(path);
        if (a != null) {
            return a;
        }
        if (path.endsWith(DISCOVERY)) {
            String issuer = url() + path.substring(0, path.length() - DISCOVERY.length());
            return Answer.json("{\"issuer\":\"" + issuer + "\",\"jwks_uri\":\"" + issuer + "/jwks\"}");
        }
        if (path.endsWith("/jwks")) {
            return Answer.json(jwks);
        }
        return new Answer(404, "not found", Map.of(), Duration.ZERO);
    }

    private static void send(HttpExchange ex, Answer a) throws IOException {
        if (!a.delay().isZero()) {
            try {
                Thread.sleep(a.delay().toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        byte[] body = a.body().getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        a.headers().forEach((k, v) -> ex.getResponseHeaders().set(k, v));
        ex.sendResponseHeaders(a.status(), body.length == 0 ? -1 : body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
    }

    private void huge(HttpExchange ex) throws IOException {
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(200, HUGE_BYTES);
        byte[] chunk = new byte[64 * 1024];
        Arrays.fill(chunk, (byte) ' ');
        chunk[0] = '{';
        OutputStream out = ex.getResponseBody();
        for (int written = 0; written < HUGE_BYTES; written += chunk.length) {
            out.write(chunk);
            hugeBytesWritten.addAndGet(chunk.length);
            chunk[0] = ' ';
        }
    }

    private static TestPki.Issued ca() {
        tls();
        return sharedCa;
    }

    private static SSLContext tls() {
        SSLContext t = sharedTls;
        if (t != null) {
            return t;
        }
        synchronized (ScriptedIdp.class) {
            if (sharedTls == null) {
                Instant now = Instant.now();
                TestPki.Issued ca = TestPki.ca("scripted-idp-ca", now);
                sharedCa = ca;
                sharedTls = TestPki.serverContext(TestPki.loopbackServer(ca, now), ca);
            }
            return sharedTls;
        }
    }
}
