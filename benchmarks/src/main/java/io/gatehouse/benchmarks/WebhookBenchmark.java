package io.gatehouse.benchmarks;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import io.gatehouse.core.AuthenticationChain;
import io.gatehouse.core.AuthenticationListener;
import io.gatehouse.core.AuthenticationRequest;
import io.gatehouse.core.AuthenticationResult;
import io.gatehouse.core.TokenCachePolicy;
import io.gatehouse.webhook.WebhookTokenAuthenticator;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The webhook token authenticator against a TokenReview server on the loopback interface over mutual TLS.
 * A cached verdict (the webhook's own cache, and the chain's cache above it) is compared with
 * {@link TokenCacheBenchmark#baselineHmacPlusCaffeineHit}, the HMAC + Caffeine floor (run both classes in one
 * invocation); an uncached review is reported beside a bare {@link HttpClient} POST of the same body to the same
 * server over the same kind of connection, which is the round trip that dominates it.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class WebhookBenchmark {

    private static final String TOKEN = "0123456789abcdef0123456789abcdef";
    private static final byte[] ANSWER = ("{\"apiVersion\":\"authentication.k8s.io/v1\",\"kind\":\"TokenReview\","
            + "\"status\":{\"authenticated\":true,\"user\":{\"username\":\"jane\",\"uid\":\"42\",\"groups\":[\"dev\"]}}}")
            .getBytes(StandardCharsets.UTF_8);

    private HttpsServer server;
    private ExecutorService serverThreads;
    private WebhookTokenAuthenticator cachedWebhook;
    private WebhookTokenAuthenticator uncachedWebhook;
    private AuthenticationChain chain;
    private AuthenticationRequest request;
    private HttpClient bareClient;
    private HttpRequest barePost;

    @Setup
    public void setUp() throws Exception {
        KeyPair caKeys = BenchFixtures.ec("secp256r1");
        X509Certificate ca = certificate("CN=bench-webhook-ca", caKeys, caKeys.getPrivate(), true, false);
        KeyPair serverKeys = BenchFixtures.ec("secp256r1");
        X509Certificate serverCert = certificate("CN=127.0.0.1", serverKeys, caKeys.getPrivate(), false, true);
        KeyPair clientKeys = BenchFixtures.ec("secp256r1");
        X509Certificate clientCert = certificate("CN=gatehouse", clientKeys, caKeys.getPrivate(), false, false);

        // The JDK server otherwise writes headers and body in two segments, and the client's delayed ACK holds the
        // second for ~40 ms: a loopback artefact, not the round trip a webhook costs.
        System.setProperty("sun.net.httpserver.nodelay", "true");
        SSLContext serverTls = tls(serverCert, serverKeys.getPrivate(), ca);
        server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        server.setHttpsConfigurator(new HttpsConfigurator(serverTls) {
            @Override
            public void configure(HttpsParameters params) {
                SSLParameters p = serverTls.getDefaultSSLParameters();
                p.setNeedClientAuth(true);
                params.setSSLParameters(p);
            }
        });
        serverThreads = Executors.newFixedThreadPool(4);
        server.setExecutor(serverThreads);
        server.createContext("/review", ex -> {
            try (ex) {
                ex.getRequestBody().readAllBytes();
                ex.getResponseHeaders().add("Content-Type", "application/json");
                ex.sendResponseHeaders(200, ANSWER.length);
                try (OutputStream out = ex.getResponseBody()) {
                    out.write(ANSWER);
                }
            }
        });
        server.start();
        String url = "https://127.0.0.1:" + server.getAddress().getPort() + "/review";

        Path kubeconfig = Files.createTempFile("bench-webhook", ".kubeconfig");
        kubeconfig.toFile().deleteOnExit();
        Files.writeString(kubeconfig, "apiVersion: v1\nkind: Config\ncurrent-context: c\n"
                + "clusters:\n- name: w\n  cluster:\n    server: " + url + "\n    certificate-authority-data: " + b64(pem("CERTIFICATE", ca.getEncoded())) + "\n"
                + "users:\n- name: u\n  user:\n    client-certificate-data: " + b64(pem("CERTIFICATE", clientCert.getEncoded()))
                + "\n    client-key-data: " + b64(pem("PRIVATE KEY", clientKeys.getPrivate().getEncoded())) + "\n"
                + "contexts:\n- name: c\n  context:\n    cluster: w\n    user: u\n");
        cachedWebhook = WebhookTokenAuthenticator.builder(kubeconfig).version("v1").build();
        uncachedWebhook = WebhookTokenAuthenticator.builder(kubeconfig).version("v1").cacheTtl(Duration.ZERO).build();
        chain = AuthenticationChain.builder().listener(AuthenticationListener.NONE)
                .tokenCache(new TokenCachePolicy(Duration.ofHours(1), Duration.ZERO, 10_000))
                .addToken("webhook", cachedWebhook).build();
        request = AuthenticationRequest.bearer(TOKEN);
        if (!cachedWebhook.authenticate(TOKEN, List.of()).isAuthenticated() || !chain.authenticate(request).isAuthenticated()) {
            throw new IllegalStateException("the loopback webhook did not authenticate the benchmark token");
        }

        bareClient = HttpClient.newBuilder().sslContext(tls(clientCert, clientKeys.getPrivate(), ca))
                .followRedirects(HttpClient.Redirect.NEVER).build();
        barePost = HttpRequest.newBuilder(URI.create(url))
                .POST(HttpRequest.BodyPublishers.ofString("{\"apiVersion\":\"authentication.k8s.io/v1\",\"kind\":\"TokenReview\","
                        + "\"spec\":{\"token\":\"" + TOKEN + "\"}}"))
                .header("Content-Type", "application/json").build();
    }

    @TearDown
    public void tearDown() {
        server.stop(0);
        serverThreads.shutdownNow();
    }

    /** The webhook authenticator alone, answering from its own cache: one HMAC and one Caffeine hit. */
    @Benchmark
    public AuthenticationResult webhookCacheHit() {
        return cachedWebhook.authenticate(TOKEN, List.of());
    }

    /** The whole chain (bearer parsing, the chain's token cache) with the webhook behind it. */
    @Benchmark
    public AuthenticationResult chainCacheHitWithWebhook() {
        return chain.authenticate(request);
    }

    /** A review every time: encode, POST over mutual TLS on a kept-alive connection, decode, map. */
    @Benchmark
    public AuthenticationResult webhookUncached() {
        return uncachedWebhook.authenticate(TOKEN, List.of());
    }

    /** The round trip alone: a bare HttpClient POST of a TokenReview to the same server. */
    @Benchmark
    public byte[] bareHttpClientPost() throws Exception {
        return bareClient.send(barePost, HttpResponse.BodyHandlers.ofByteArray()).body();
    }

    private static X509Certificate certificate(String subject, KeyPair keys, PrivateKey issuer, boolean ca, boolean loopback)
            throws Exception {
        Instant now = Instant.now();
        JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(new X500Name("CN=bench-webhook-ca"),
                BigInteger.valueOf(now.toEpochMilli() ^ subject.hashCode()), Date.from(now.minusSeconds(3600)),
                Date.from(now.plus(Duration.ofDays(1))), new X500Name(subject), keys.getPublic());
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
        if (loopback) {
            b.addExtension(Extension.subjectAlternativeName, false,
                    new GeneralNames(new GeneralName(GeneralName.iPAddress, "127.0.0.1")));
        }
        return new JcaX509CertificateConverter().getCertificate(b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuer)));
    }

    /** A TLS context presenting {@code cert} and trusting {@code ca}. */
    private static SSLContext tls(X509Certificate cert, PrivateKey key, X509Certificate ca) throws Exception {
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        keys.setKeyEntry("me", key, new char[0], new Certificate[] {cert});
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, new char[0]);
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", ca);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return tls;
    }

    private static String pem(String label, byte[] der) {
        return "-----BEGIN " + label + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + label + "-----\n";
    }

    private static String b64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
