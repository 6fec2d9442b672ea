package io.gatehouse.oidc;

import com.nimbusds.jose.jwk.JWK;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.gatehouse.testing.JwtFixtures;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A small scripted OpenID provider on 127.0.0.1 over real TLS (a self-signed certificate for the IP, made
 * with BouncyCastle): discovery at any path ending in {@code /.well-known/openid-configuration}, the JWKS
 * at {@code /jwks}, each answer replaceable while running; it counts hits per path.
 */
final class ScriptedIdp implements AutoCloseable {

    /** One scripted answer. */
    record Answer(int status, String body, Map<String, String> headers, Duration delay) {
        static Answer json(String body) {
            return new Answer(200, body, Map.of(), Duration.ZERO);
        }
    }

    private static volatile Object[] tls;

    private final HttpsServer server;
    private final Map<String, Answer> answers = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> hits = new ConcurrentHashMap<>();
    private final Map<String, String> authorization = new ConcurrentHashMap<>();
    private volatile String issuer;

    ScriptedIdp() throws Exception {
        Object[] t = tls();
        server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.setHttpsConfigurator(new HttpsConfigurator((SSLContext) t[0]));
        server.setExecutor(Executors.newCachedThreadPool(r -> {
            Thread th = new Thread(r, "scripted-idp");
            th.setDaemon(true);
            return th;
        }));
        server.createContext("/", this::handle);
        server.start();
        issuer = url();
        discovery("/.well-known/openid-configuration", issuer);
    }

    /** https://127.0.0.1:port */
    String url() {
        return "https://127.0.0.1:" + server.getAddress().getPort();
    }

    /** The CA (the server's own certificate) as PEM. */
    static String caPem() throws Exception {
        X509Certificate cert = (X509Certificate) tls()[1];
        return "-----BEGIN CERTIFICATE-----\n" + Base64.getMimeEncoder().encodeToString(cert.getEncoded())
                + "\n-----END CERTIFICATE-----\n";
    }

    /** Serves a discovery document at {@code path} naming {@code issuerUrl} and this server's /jwks. */
    ScriptedIdp discovery(String path, String issuerUrl) {
        answers.put(path, Answer.json("{\"issuer\":\"" + issuerUrl + "\",\"jwks_uri\":\"" + url() + "/jwks\"}"));
        return this;
    }

    /** Serves these public keys at /jwks. */
    ScriptedIdp keys(Map<String, KeyPair> byKid) {
        StringBuilder sb = new StringBuilder("{\"keys\":[");
        byKid.forEach((kid, pair) -> {
            JWK jwk = JwtFixtures.publicJwk(pair.getPublic(), kid);
            sb.append(sb.length() > 9 ? "," : "").append(jwk.toJSONString());
        });
        answers.put("/jwks", Answer.json(sb.append("]}").toString()));
        return this;
    }

    ScriptedIdp answer(String path, Answer a) {
        answers.put(path, a);
        return this;
    }

    int hits(String path) {
        AtomicInteger n = hits.get(path);
        return n == null ? 0 : n.get();
    }

    /** The Authorization header of the last request to {@code path} ("" for none, null if never hit). */
    String lastAuthorization(String path) {
        return authorization.get(path);
    }

    private void handle(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getPath();
        hits.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
        String auth = ex.getRequestHeaders().getFirst("Authorization");
        authorization.put(path, auth == null ? "" : auth);
        Answer a = answers.getOrDefault(path, new Answer(404, "not found", Map.of(), Duration.ZERO));
        try {
            if (!a.delay().isZero()) {
                Thread.sleep(a.delay().toMillis());
            }
            byte[] body = a.body().getBytes(StandardCharsets.UTF_8);
            a.headers().forEach((k, v) -> ex.getResponseHeaders().add(k, v));
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.sendResponseHeaders(a.status(), body.length == 0 ? -1 : body.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            // The client gave up (a timeout test); nothing to do.
        } finally {
            ex.close();
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private static Object[] tls() throws Exception {
        Object[] t = tls;
        if (t != null) {
            return t;
        }
        synchronized (ScriptedIdp.class) {
            if (tls == null) {
                KeyPair kp = JwtFixtures.fresh("ec256");
                X500Name name = new X500Name("CN=127.0.0.1");
                Instant now = Instant.now();
                JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(name, BigInteger.valueOf(now.toEpochMilli()),
                        Date.from(now.minus(Duration.ofDays(1))), Date.from(now.plus(Duration.ofDays(2))), name, kp.getPublic());
                b.addExtension(Extension.subjectAlternativeName, false,
                        new GeneralNames(new GeneralName(GeneralName.iPAddress, "127.0.0.1")));
                b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
                X509Certificate cert = new JcaX509CertificateConverter()
                        .getCertificate(b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(kp.getPrivate())));
                KeyStore ks = KeyStore.getInstance("PKCS12");
                ks.load(null, null);
                char[] pw = "test-only".toCharArray();
                ks.setKeyEntry("server", kp.getPrivate(), pw, new java.security.cert.Certificate[] {cert});
                KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(ks, pw);
                SSLContext ctx = SSLContext.getInstance("TLS");
                ctx.init(kmf.getKeyManagers(), null, null);
                tls = new Object[] {ctx, cert};
            }
            return tls;
        }
    }
}
