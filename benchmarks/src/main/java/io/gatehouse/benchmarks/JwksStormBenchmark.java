package io.gatehouse.benchmarks;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.gatehouse.core.AuthenticationListener;
import io.gatehouse.core.AuthenticationResult;
import io.gatehouse.oidc.JwtIssuer;
import io.gatehouse.oidc.OidcAuthenticator;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * An unknown-kid storm: every token names a kid the issuer never published, as an attacker's would. The
 * issuer's JWKS is served over real TLS on loopback and counted; the auxiliary counter {@code fetches}
 * shows how many JWKS fetches the storm caused (at most one per refetch window, however many tokens).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class JwksStormBenchmark {

    private HttpsServer idp;
    private OidcAuthenticator authenticator;
    private final AtomicLong served = new AtomicLong();
    private String[] stormTokens;
    private int next;

    /** Fetches per iteration, reported beside the time per token. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class Fetches {
        public long fetches;
    }

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        BenchFixtures.LoopbackTls loopback = BenchFixtures.loopbackTls();
        SSLContext tls = loopback.context();

        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(2048);
        KeyPair published = rsa.generateKeyPair();
        KeyPair attacker = rsa.generateKeyPair();
        idp = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        idp.setHttpsConfigurator(new HttpsConfigurator(tls));
        String issuer = "https://127.0.0.1:" + idp.getAddress().getPort();
        String jwks = new JWKSet(new RSAKey.Builder((RSAPublicKey) published.getPublic()).keyID("published").build()).toString();
        String discovery = "{\"issuer\":\"" + issuer + "\",\"jwks_uri\":\"" + issuer + "/jwks\"}";
        idp.createContext("/.well-known/openid-configuration", ex -> {
            byte[] b = discovery.getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, b.length);
            ex.getResponseBody().write(b);
            ex.close();
        });
        idp.createContext("/jwks", ex -> {
            served.incrementAndGet();
            byte[] b = jwks.getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", "application/json");
            ex.sendResponseHeaders(200, b.length);
            ex.getResponseBody().write(b);
            ex.close();
        });
        idp.start();

        authenticator = OidcAuthenticator.builder().listener(AuthenticationListener.NONE)
                .unknownKidRefetchWindow(Duration.ofSeconds(10))
                .issuer(JwtIssuer.builder(issuer).audiences("gateway").username("sub", "-")
                        .certificateAuthority(loopback.certificatePem()).build())
                .build();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline && served.get() == 0) {
            Thread.sleep(20);
        }
        stormTokens = new String[1024];
        for (int i = 0; i < stormTokens.length; i++) {
            JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(issuer).audience("gateway").subject("mallory")
                    .expirationTime(Date.from(Instant.now().plus(Duration.ofHours(1)))).build();
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("unknown-" + i)
                    .type(JOSEObjectType.JWT).build(), claims);
            jwt.sign(new RSASSASigner((RSAPrivateKey) attacker.getPrivate()));
            stormTokens[i] = jwt.serialize();
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        authenticator.close();
        idp.stop(0);
    }

    /** One storm token: refused, and the issuer is asked again at most once per window. */
    @Benchmark
    public AuthenticationResult unknownKidToken(Fetches counter) {
        long before = served.get();
        AuthenticationResult r = authenticator.authenticate(stormTokens[next++ & (stormTokens.length - 1)], List.of());
        counter.fetches += served.get() - before;
        if (r.isAuthenticated()) {
            throw new IllegalStateException("a storm token authenticated");
        }
        return r;
    }
}
