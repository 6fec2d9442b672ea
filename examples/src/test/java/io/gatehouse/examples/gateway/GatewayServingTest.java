package io.gatehouse.examples.gateway;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLSocket;
import org.eclipse.jetty.client.transport.HttpClientTransportDynamic;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.client.ClientUpgradeRequest;
import org.eclipse.jetty.websocket.client.WebSocketClient;
import org.eclipse.jetty.websocket.server.WebSocketUpgradeHandler;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gateway as an HTTP server and proxy, against real clients over TLS: HTTP/2 by ALPN, slow clients that never
 * finish a header, oversized headers, in-flight limits, graceful stop, a streaming proxy with its failure answers,
 * and WebSocket upgrades passed through. Nothing here measures time: waits are bounded generously and each
 * assertion is about what happened, not how fast.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class GatewayServingTest {

    @TempDir
    static Path dir;
    static DemoEnvironment demo;
    static String token;
    static Server upstream;
    static int upstreamPort;
    static final List<Map<String, List<String>>> upstreamHeaders = new CopyOnWriteArrayList<>();
    static volatile CountDownLatch release = new CountDownLatch(1);
    static volatile CountDownLatch entered = new CountDownLatch(1);
    static volatile CountDownLatch streamGate = new CountDownLatch(1);
    static final List<String> requestedProtocols = new CopyOnWriteArrayList<>();

    private final List<AutoCloseable> open = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        demo = DemoEnvironment.create(dir, Instant.now());
        token = Files.readString(demo.tokenValueFile).trim();
        upstream = new Server();
        ServerConnector c = new ServerConnector(upstream);
        c.setHost("127.0.0.1");
        c.setPort(0);
        upstream.addConnector(c);
        WebSocketUpgradeHandler ws = WebSocketUpgradeHandler.from(upstream, container -> {
            container.setMaxBinaryMessageSize(8 << 20);
            container.addMapping("/ws", (req, resp, cb) -> {
                Map<String, List<String>> seen = new LinkedHashMap<>();
                req.getHeaders().forEach(f -> seen.computeIfAbsent(f.getName(), k -> new ArrayList<>()).add(f.getValue()));
                upstreamHeaders.add(seen);
                requestedProtocols.clear();
                requestedProtocols.addAll(req.getSubProtocols());
                if (req.getSubProtocols().contains("v5.channel.k8s.io")) {
                    resp.setAcceptedSubProtocol("v5.channel.k8s.io");
                }
                return new Echo();
            });
        });
        ws.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                Map<String, List<String>> seen = new LinkedHashMap<>();
                request.getHeaders().forEach(f -> seen.computeIfAbsent(f.getName(), k -> new ArrayList<>()).add(f.getValue()));
                upstreamHeaders.add(seen);
                switch (request.getHttpURI().getPath()) {
                    case "/block" -> {
                        entered.countDown();
                        release.await(60, TimeUnit.SECONDS);
                        Content.Sink.write(response, true, "released", callback);
                    }
                    case "/stream" -> {
                        try (OutputStream out = Content.Sink.asOutputStream(response)) {
                            out.write("first\n".getBytes(StandardCharsets.UTF_8));
                            out.flush();
                            streamGate.await(60, TimeUnit.SECONDS);
                            out.write("second\n".getBytes(StandardCharsets.UTF_8));
                        }
                        callback.succeeded();
                    }
                    case "/digest" -> {
                        MessageDigest sha = MessageDigest.getInstance("SHA-256");
                        long n = 0;
                        try (InputStream in = Content.Source.asInputStream(request)) {
                            byte[] buf = new byte[65536];
                            for (int r; (r = in.read(buf)) > 0; n += r) {
                                sha.update(buf, 0, r);
                            }
                        }
                        Content.Sink.write(response, true, n + " " + HexFormat.of().formatHex(sha.digest()), callback);
                    }
                    case "/bytes" -> {
                        Random random = new Random(11);
                        byte[] chunk = new byte[65536];
                        try (OutputStream out = Content.Sink.asOutputStream(response)) {
                            for (int i = 0; i < 384; i++) {
                                random.nextBytes(chunk);
                                out.write(chunk);
                            }
                        }
                        callback.succeeded();
                    }
                    case "/silent" -> {
                        entered.countDown();
                        release.await(60, TimeUnit.SECONDS);
                        callback.succeeded();
                    }
                    default -> Content.Sink.write(response, true, "upstream saw " + request.getHttpURI().getPathQuery(),
                            callback);
                }
                return true;
            }
        });
        upstream.setHandler(ws);
        upstream.start();
        upstreamPort = c.getLocalPort();
    }

    @AfterAll
    static void stop() throws Exception {
        release.countDown();
        streamGate.countDown();
        upstream.stop();
    }

    @AfterEach
    void closeAll() throws Exception {
        release.countDown();
        streamGate.countDown();
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    private GatewayMain.Running gateway(String... extra) throws Exception {
        List<String> flags = new ArrayList<>(List.of("--bind-address=127.0.0.1", "--secure-port=0",
                "--tls-cert-file=" + demo.servingCert, "--tls-private-key-file=" + demo.servingKey,
                "--client-ca-file=" + demo.caFile, "--token-auth-file=" + demo.tokenFile,
                "--upstream=http://127.0.0.1:" + upstreamPort));
        flags.addAll(List.of(extra));
        GatewayMain.Running r = GatewayMain.start(GatewayFlags.parse(flags, Set.of(), new LinkedHashMap<>()));
        open.add(r);
        return r;
    }

    private static HttpRequest.Builder get(GatewayMain.Running g, String path) {
        return HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + g.port() + path))
                .header("Authorization", "Bearer " + token);
    }

    @Test
    void http2IsNegotiatedByAlpnAndServesTheSameAnswers() throws Exception {
        GatewayMain.Running g = gateway();
        HttpClient h2 = TestClients.http2(demo.caFile);
        HttpResponse<String> own = h2.send(get(g, "/version").build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(HttpClient.Version.HTTP_2, own.version());
        assertEquals(200, own.statusCode());
        assertTrue(own.body().contains("\"gitVersion\""), own.body());
        HttpResponse<String> proxied = h2.send(get(g, "/api/v1/pods?limit=1").build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(HttpClient.Version.HTTP_2, proxied.version());
        assertEquals("upstream saw /api/v1/pods?limit=1", proxied.body());
        HttpResponse<String> refused = h2.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + g.port()
                + "/version")).header("Authorization", "Bearer wrong").build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(401, refused.statusCode());
        HttpResponse<String> h1 = TestClients.trusting(demo.caFile).send(get(g, "/version").build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(HttpClient.Version.HTTP_1_1, h1.version());
        assertEquals(own.body(), h1.body());
    }

    @Test
    void fiveHundredSlowClientsNeverLockOthersOutAndAreDroppedAtTheHeaderDeadline() throws Exception {
        GatewayMain.Running g = gateway("--read-header-timeout=3s");
        javax.net.ssl.SSLContext tls = TestClients.context(demo.caFile, null, null);
        // Far more than the old fixed pool's eight threads: each finishes TLS, then sends its header a byte at a time.
        int n = 500;
        List<SSLSocket> slow = new ArrayList<>();
        CompletableFuture<Void> trickling;
        try {
            for (int i = 0; i < n; i++) {
                SSLSocket s = (SSLSocket) tls.getSocketFactory().createSocket("127.0.0.1", g.port());
                s.startHandshake();
                s.getOutputStream().write("GET /version HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII));
                s.getOutputStream().flush();
                slow.add(s);
            }
            AtomicInteger writesRefused = new AtomicInteger();
            trickling = CompletableFuture.runAsync(() -> {
                // One more header byte on every connection every 100 ms: an idle timeout alone would never fire.
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
                while (g.server().connectionsClosedForLateHeader() < n && System.nanoTime() < deadline) {
                    for (SSLSocket s : slow) {
                        try {
                            s.getOutputStream().write('X');
                            s.getOutputStream().flush();
                        } catch (IOException closed) {
                            writesRefused.incrementAndGet();
                        }
                    }
                    try {
                        Thread.sleep(100);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            HttpResponse<String> r = TestClients.trusting(demo.caFile).send(get(g, "/version")
                    .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode(), "a good request is answered while 500 clients trickle their headers");
            trickling.get(120, TimeUnit.SECONDS);
            assertEquals(n, g.server().connectionsClosedForLateHeader(), "every slow connection was dropped");
            for (SSLSocket s : slow) {
                s.setSoTimeout(30_000);
                int read;
                try {
                    read = s.getInputStream().read();
                } catch (IOException reset) {
                    read = -1;
                }
                assertEquals(-1, read, "the server closed the slow connection without answering");
            }
        } finally {
            for (SSLSocket s : slow) {
                s.close();
            }
        }
        // A client that finishes in time is not affected.
        assertEquals(200, TestClients.trusting(demo.caFile).send(get(g, "/version").build(),
                HttpResponse.BodyHandlers.ofString()).statusCode());
    }

    @Test
    void headersUpToOneMebibyteAreReadAndBeyondAre431() throws Exception {
        GatewayMain.Running g = gateway();
        HttpClient client = TestClients.trusting(demo.caFile);
        String big = "x".repeat(200_000);
        HttpResponse<String> ok = client.send(get(g, "/version").header("X-Big", big).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, ok.statusCode(), "a 200 KB header block is within Go's 1 MiB");
        String huge = "x".repeat(1 << 20);
        HttpResponse<String> tooBig = client.send(get(g, "/version").header("X-Big", huge).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(431, tooBig.statusCode());
    }

    @Test
    void beyondMaxRequestsInflightTheAnswerIs429WithRetryAfter() throws Exception {
        GatewayMain.Running g = gateway("--max-requests-inflight=1", "--max-mutating-requests-inflight=1");
        HttpClient client = TestClients.trusting(demo.caFile);
        release = new CountDownLatch(1);
        entered = new CountDownLatch(1);
        CompletableFuture<HttpResponse<String>> first = client.sendAsync(get(g, "/block").build(),
                HttpResponse.BodyHandlers.ofString());
        assertTrue(entered.await(30, TimeUnit.SECONDS), "the first request reached the upstream");
        assertEquals(0, g.server().inFlightSeatsFree()[0]);

        HttpResponse<String> second = client.send(get(g, "/api/v1/pods").build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(429, second.statusCode());
        assertEquals("1", second.headers().firstValue("Retry-After").orElse(null));
        assertEquals("Too many requests, please try again later.\n", second.body());

        // The mutating pool is separate; watches and system:masters take no seat.
        HttpResponse<String> post = client.send(get(g, "/api/v1/namespaces").POST(HttpRequest.BodyPublishers.ofString("{}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, post.statusCode());
        assertEquals(200, client.send(get(g, "/api/v1/pods?watch=true").build(), HttpResponse.BodyHandlers.ofString())
                .statusCode());
        HttpClient admin = TestClients.presenting(demo.caFile, Pem.readCertificates(demo.clientCert).get(0),
                Pem.readPrivateKey(demo.clientKey));
        HttpResponse<String> master = admin.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + g.port()
                + "/api/v1/pods")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, master.statusCode(), "system:masters is exempt, as in kube-apiserver");

        release.countDown();
        assertEquals("released", first.get(30, TimeUnit.SECONDS).body());
        // The seat comes back when the server completes the exchange, which may be a moment after the client has
        // read the body: wait for it, then the next request is served.
        awaitTrue(() -> g.server().inFlightSeatsFree()[0] == 1 && g.server().inFlightSeatsFree()[1] == 1);
        assertEquals(200, client.send(get(g, "/api/v1/pods").build(), HttpResponse.BodyHandlers.ofString()).statusCode(),
                "the seat came back when the response completed");
    }

    @Test
    void theLongRunningCheckFollowsKubernetes() {
        assertTrue(InFlightLimits.longRunning("/api/v1/pods", "watch=true"));
        assertTrue(InFlightLimits.longRunning("/api/v1/watch/pods", null));
        assertTrue(InFlightLimits.longRunning("/apis/apps/v1/watch/namespaces/a/deployments", null));
        assertTrue(InFlightLimits.longRunning("/api/v1/namespaces/a/pods/p/exec", "command=ls"));
        assertTrue(InFlightLimits.longRunning("/api/v1/namespaces/a/pods/p/log", null));
        assertTrue(InFlightLimits.longRunning("/api/v1/namespaces/a/services/s/proxy/x/y", null));
        assertTrue(InFlightLimits.longRunning("/api/v1/nodes/n/proxy/metrics", null));
        assertFalse(InFlightLimits.longRunning("/api/v1/pods", "watch=false"));
        assertFalse(InFlightLimits.longRunning("/api/v1/namespaces/a/pods/exec", null), "a pod named exec");
        assertFalse(InFlightLimits.longRunning("/api/v1/namespaces/a/pods/p/status", null));
        assertFalse(InFlightLimits.longRunning("/version", null));
        assertTrue(InFlightLimits.longRunning("/apis/apps/v1/deployments", "limit=5&watch=1"));
        assertFalse(InFlightLimits.longRunning("/metrics", "watch=true"), "a non-resource path is never a watch");
    }

    @Test
    void aStopLetsInFlightRequestsFinishAndRefusesNewOnes() throws Exception {
        GatewayMain.Running g = gateway();
        HttpClient client = TestClients.trusting(demo.caFile);
        release = new CountDownLatch(1);
        entered = new CountDownLatch(1);
        CompletableFuture<HttpResponse<String>> inFlight = client.sendAsync(get(g, "/block").build(),
                HttpResponse.BodyHandlers.ofString());
        assertTrue(entered.await(30, TimeUnit.SECONDS));
        CompletableFuture<Void> stopping = CompletableFuture.runAsync(g::close);
        // New connections are refused once the connector closes.
        awaitTrue(() -> {
            try (java.net.Socket s = new java.net.Socket("127.0.0.1", g.port())) {
                return false;
            } catch (IOException refused) {
                return true;
            }
        });
        assertFalse(stopping.isDone(), "the stop waits for the request in flight");
        release.countDown();
        HttpResponse<String> r = inFlight.get(30, TimeUnit.SECONDS);
        assertEquals(200, r.statusCode());
        assertEquals("released", r.body());
        stopping.get(60, TimeUnit.SECONDS);
    }

    @Test
    void sigtermDrainsTheRequestInFlightBeforeTheProcessExits() throws Exception {
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(javaBin, "-cp", System.getProperty("java.class.path"), GatewayMain.class.getName(),
                "--bind-address=127.0.0.1", "--secure-port=0", "--tls-cert-file=" + demo.servingCert,
                "--tls-private-key-file=" + demo.servingKey, "--token-auth-file=" + demo.tokenFile,
                "--upstream=http://127.0.0.1:" + upstreamPort).redirectErrorStream(true).start();
        try {
            java.io.BufferedReader out = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream(),
                    StandardCharsets.UTF_8));
            int port = -1;
            for (String line; port < 0 && (line = out.readLine()) != null; ) {
                java.util.regex.Matcher m = java.util.regex.Pattern.compile("listening on https://127.0.0.1:(\\d+)")
                        .matcher(line);
                if (m.find()) {
                    port = Integer.parseInt(m.group(1));
                }
            }
            assertTrue(port > 0, "the gateway printed its port");
            CompletableFuture.runAsync(() -> out.lines().forEach(l -> { })); // keep its output drained
            release = new CountDownLatch(1);
            entered = new CountDownLatch(1);
            HttpClient client = TestClients.trusting(demo.caFile);
            CompletableFuture<HttpResponse<String>> inFlight = client.sendAsync(HttpRequest.newBuilder(
                    URI.create("https://127.0.0.1:" + port + "/block")).header("Authorization", "Bearer " + token).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertTrue(entered.await(30, TimeUnit.SECONDS));
            p.destroy(); // SIGTERM
            assertFalse(p.waitFor(1, TimeUnit.SECONDS), "the process waits for the request in flight");
            release.countDown();
            HttpResponse<String> r = inFlight.get(30, TimeUnit.SECONDS);
            assertEquals(200, r.statusCode());
            assertEquals("released", r.body());
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "then it exits");
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void bodiesStreamBothWaysThroughTheProxy() throws Exception {
        GatewayMain.Running g = gateway();
        HttpClient client = TestClients.trusting(demo.caFile);
        // The response's first chunk arrives while the upstream still holds its second: nothing is buffered whole.
        streamGate = new CountDownLatch(1);
        HttpResponse<InputStream> r = client.send(get(g, "/stream").build(), HttpResponse.BodyHandlers.ofInputStream());
        InputStream in = r.body();
        byte[] first = in.readNBytes("first\n".length());
        assertEquals("first\n", new String(first, StandardCharsets.UTF_8));
        streamGate.countDown();
        assertEquals("second\n", new String(in.readAllBytes(), StandardCharsets.UTF_8));

        // 24 MiB up and 24 MiB down, intact.
        byte[] payload = new byte[24 << 20];
        new Random(7).nextBytes(payload);
        HttpResponse<String> digest = client.send(get(g, "/digest").POST(HttpRequest.BodyPublishers.ofByteArray(payload))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(payload.length + " " + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(payload)),
                digest.body());
        HttpResponse<byte[]> down = client.send(get(g, "/bytes").build(), HttpResponse.BodyHandlers.ofByteArray());
        Random random = new Random(11);
        byte[] expected = new byte[24 << 20];
        byte[] chunk = new byte[65536];
        for (int i = 0; i < 384; i++) {
            random.nextBytes(chunk);
            System.arraycopy(chunk, 0, expected, i * chunk.length, chunk.length);
        }
        assertArrayEquals(expected, down.body());
        // The upstream saw the identity, not the credential.
        Map<String, List<String>> seen = upstreamHeaders.get(upstreamHeaders.size() - 1);
        assertEquals(List.of(DemoEnvironment.VIEWER), seen.get("X-Remote-User"));
        assertNull(seen.get("Authorization"));
    }

    @Test
    void anUnreachableUpstreamIs502AndASilentOne504() throws Exception {
        int closedPort;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        List<String> flags = new ArrayList<>(List.of("--bind-address=127.0.0.1", "--secure-port=0",
                "--tls-cert-file=" + demo.servingCert, "--tls-private-key-file=" + demo.servingKey,
                "--token-auth-file=" + demo.tokenFile, "--upstream=http://127.0.0.1:" + closedPort));
        GatewayMain.Running down = GatewayMain.start(GatewayFlags.parse(flags, Set.of(), new LinkedHashMap<>()));
        open.add(down);
        HttpClient client = TestClients.trusting(demo.caFile);
        HttpResponse<String> r = client.send(get(down, "/api/v1/pods").build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(502, r.statusCode());
        assertTrue(r.body().contains("\"message\":\"upstream unavailable\""), r.body());

        GatewayMain.Running g = gateway("--upstream-idle-timeout=1s");
        release = new CountDownLatch(1);
        HttpResponse<String> silent = client.send(get(g, "/silent").build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(504, silent.statusCode());
        assertTrue(silent.body().contains("\"message\":\"upstream timed out\""), silent.body());
    }

    @Test
    void webSocketUpgradesPassThroughWithTheIdentityAndWithoutTheToken() throws Exception {
        GatewayMain.Running g = gateway();
        WebSocketClient ws = webSocketClient();
        String tokenProtocol = "base64url.bearer.authorization.k8s.io."
                + Base64.getUrlEncoder().withoutPadding().encodeToString(token.getBytes(StandardCharsets.UTF_8));
        ClientUpgradeRequest up = new ClientUpgradeRequest(URI.create("wss://127.0.0.1:" + g.port() + "/ws?stdout=1"));
        up.setSubProtocols(tokenProtocol, "v5.channel.k8s.io");
        up.setHeader("X-Remote-User", "system:admin");
        Received received = new Received();
        Session session = ws.connect(received, up).get(30, TimeUnit.SECONDS);
        assertEquals("v5.channel.k8s.io", session.getUpgradeResponse().getAcceptedSubProtocol());
        assertEquals(List.of("v5.channel.k8s.io"), requestedProtocols, "the token entry never reaches the upstream");
        Map<String, List<String>> seen = upstreamHeaders.get(upstreamHeaders.size() - 1);
        assertEquals(List.of(DemoEnvironment.VIEWER), seen.get("X-Remote-User"), "the identity, never the forged one");
        assertEquals(List.of("demo:viewers", "system:authenticated"), seen.get("X-Remote-Group"));
        assertFalse(seen.toString().contains(token), "no credential upstream");

        session.sendText("hello", org.eclipse.jetty.websocket.api.Callback.NOOP);
        assertEquals("echo:hello", received.texts.poll(30, TimeUnit.SECONDS));
        byte[] big = new byte[1 << 20];
        new Random(3).nextBytes(big);
        session.sendBinary(ByteBuffer.wrap(big), org.eclipse.jetty.websocket.api.Callback.NOOP);
        byte[] back = received.binaries.poll(30, TimeUnit.SECONDS);
        assertNotNull(back);
        assertArrayEquals(big, back);
        session.sendText("close-me", org.eclipse.jetty.websocket.api.Callback.NOOP);
        assertEquals(4001, received.closeCode.poll(30, TimeUnit.SECONDS), "the upstream's close code passes through");
    }

    @Test
    void aWebSocketOverHttp2IsPassedThroughToo() throws Exception {
        GatewayMain.Running g = gateway();
        SslContextFactory.Client ssl = new SslContextFactory.Client();
        ssl.setSslContext(TestClients.context(demo.caFile, null, null));
        ClientConnector connector = new ClientConnector();
        connector.setSslContextFactory(ssl);
        org.eclipse.jetty.client.HttpClient http = new org.eclipse.jetty.client.HttpClient(
                new org.eclipse.jetty.http2.client.transport.HttpClientTransportOverHTTP2(
                        new org.eclipse.jetty.http2.client.HTTP2Client(connector)));
        WebSocketClient ws = new WebSocketClient(http);
        ws.start();
        open.add(ws::stop);
        ClientUpgradeRequest up = new ClientUpgradeRequest(URI.create("wss://127.0.0.1:" + g.port() + "/ws"));
        up.setHeader("Authorization", "Bearer " + token);
        up.setSubProtocols("v5.channel.k8s.io");
        Received received = new Received();
        Session session = ws.connect(received, up).get(30, TimeUnit.SECONDS);
        // The client's only transport is HTTP/2: the upgrade was an extended CONNECT.
        assertEquals("HTTP/2.0", session.getUpgradeRequest().getHttpVersion());
        assertEquals("v5.channel.k8s.io", session.getUpgradeResponse().getAcceptedSubProtocol());
        Map<String, List<String>> seen = upstreamHeaders.get(upstreamHeaders.size() - 1);
        assertEquals(List.of(DemoEnvironment.VIEWER), seen.get("X-Remote-User"));
        session.sendText("over h2", org.eclipse.jetty.websocket.api.Callback.NOOP);
        assertEquals("echo:over h2", received.texts.poll(30, TimeUnit.SECONDS));
    }

    @Test
    void aWebSocketWithoutACredentialIsRefusedBeforeTheUpstreamHearsOfIt() throws Exception {
        GatewayMain.Running g = gateway();
        WebSocketClient ws = webSocketClient();
        int before = upstreamHeaders.size();
        ClientUpgradeRequest up = new ClientUpgradeRequest(URI.create("wss://127.0.0.1:" + g.port() + "/ws"));
        up.setHeader("Authorization", "Bearer wrong");
        Exception e = assertThrows(Exception.class, () -> ws.connect(new Received(), up).get(30, TimeUnit.SECONDS));
        assertTrue(e.getCause() instanceof org.eclipse.jetty.websocket.api.exceptions.UpgradeException u
                && u.getResponseStatusCode() == 401, e.toString());
        assertEquals(before, upstreamHeaders.size());
    }

    @Test
    void servingFlagsAreCheckedBeforeAnythingListens() {
        for (String bad : List.of("--max-requests-inflight=-1", "--max-mutating-requests-inflight=x",
                "--http2-max-streams-per-connection=1.5", "--shutdown-delay-duration=soon", "--upstream-idle-timeout=0s",
                "--read-header-timeout=0s", "--max-connections=-3")) {
            GatewayFlags.FlagException e = assertThrows(GatewayFlags.FlagException.class,
                    () -> GatewayFlags.parse(List.of(bad), Set.of(), new LinkedHashMap<>()), bad);
            assertTrue(e.getMessage().startsWith("invalid argument \"" + bad.substring(bad.indexOf('=') + 1) + "\" for --"
                    + bad.substring(2, bad.indexOf('='))), e.getMessage());
        }
    }

    private WebSocketClient webSocketClient() throws Exception {
        SslContextFactory.Client ssl = new SslContextFactory.Client();
        ssl.setSslContext(TestClients.context(demo.caFile, null, null));
        ClientConnector connector = new ClientConnector();
        connector.setSslContextFactory(ssl);
        org.eclipse.jetty.client.HttpClient http = new org.eclipse.jetty.client.HttpClient(new HttpClientTransportDynamic(connector));
        WebSocketClient ws = new WebSocketClient(http);
        ws.setMaxBinaryMessageSize(8 << 20);
        ws.start();
        open.add(ws::stop);
        return ws;
    }

    private static void awaitTrue(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "condition never held");
            Thread.sleep(20);
        }
    }

    /** The upstream's WebSocket: echoes text with a prefix and binary as is; "close-me" closes with 4001. */
    public static final class Echo implements Session.Listener.AutoDemanding {
        private Session session;

        @Override
        public void onWebSocketOpen(Session s) {
            session = s;
        }

        @Override
        public void onWebSocketText(String message) {
            if (message.equals("close-me")) {
                session.close(4001, "bye", org.eclipse.jetty.websocket.api.Callback.NOOP);
            } else {
                session.sendText("echo:" + message, org.eclipse.jetty.websocket.api.Callback.NOOP);
            }
        }

        @Override
        public void onWebSocketBinary(ByteBuffer payload, org.eclipse.jetty.websocket.api.Callback callback) {
            ByteBuffer copy = ByteBuffer.allocate(payload.remaining()).put(payload).flip();
            callback.succeed();
            session.sendBinary(copy, org.eclipse.jetty.websocket.api.Callback.NOOP);
        }
    }

    /** A client end that records what arrives. */
    public static final class Received implements Session.Listener.AutoDemanding {
        final BlockingQueue<String> texts = new LinkedBlockingQueue<>();
        final BlockingQueue<byte[]> binaries = new LinkedBlockingQueue<>();
        final BlockingQueue<Integer> closeCode = new LinkedBlockingQueue<>();
        final AtomicInteger errors = new AtomicInteger();

        @Override
        public void onWebSocketText(String message) {
            texts.add(message);
        }

        @Override
        public void onWebSocketBinary(ByteBuffer payload, org.eclipse.jetty.websocket.api.Callback callback) {
            byte[] b = new byte[payload.remaining()];
            payload.get(b);
            binaries.add(b);
            callback.succeed();
        }

        @Override
        public void onWebSocketClose(int code, String reason) {
            closeCode.add(code);
        }

        @Override
        public void onWebSocketError(Throwable cause) {
            errors.incrementAndGet();
        }
    }
}
