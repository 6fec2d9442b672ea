package io.gatehouse.benchmarks;

import io.gatehouse.core.AuthenticationChain;
import io.gatehouse.core.AuthenticationListener;
import io.gatehouse.core.AuthenticationRequest;
import io.gatehouse.core.AuthenticationResult;
import io.gatehouse.core.TokenCachePolicy;
import io.gatehouse.core.UserInfo;
import io.gatehouse.statictoken.StaticTokenAuthenticator;
import io.gatehouse.x509.RequestHeaderAuthenticator;
import io.gatehouse.x509.X509Authenticator;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
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
 * The front-proxy paths. A request-header request (the proxy's certificate verdict from the cache, then the
 * identity headers read: user, two groups, one extra) against the cached x509 path on the same certificate (target:
 * at most 2x). A WebSocket upgrade carrying its token in {@code Sec-WebSocket-Protocol} against the same token as an
 * {@code Authorization} header, both answered from the chain's token cache (target: under 200 ns more).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class FrontProxyBenchmark {

    private X509Authenticator x509;
    private RequestHeaderAuthenticator requestHeader;
    private AuthenticationRequest certificateOnly;
    private AuthenticationRequest proxied;
    private AuthenticationChain tokens;
    private AuthenticationRequest bearer;
    private AuthenticationRequest webSocket;

    @Setup
    public void setUp() throws Exception {
        BenchFixtures.Pki pki = BenchFixtures.pki();
        x509 = BenchFixtures.x509(pki, true);
        requestHeader = RequestHeaderAuthenticator.builder().trustAnchors(List.of(pki.ca()))
                .listener(AuthenticationListener.NONE).build();
        certificateOnly = AuthenticationRequest.builder().peerCertificates(List.of(pki.leaf())).build();
        proxied = AuthenticationRequest.builder().peerCertificates(List.of(pki.leaf()))
                .header("Accept", "application/json").header("User-Agent", "kubectl/v1.33")
                .header("X-Remote-User", "erin").header("X-Remote-Uid", "77")
                .header("X-Remote-Group", "ops").header("X-Remote-Group", "oncall")
                .header("X-Remote-Extra-Scopes", "read").build();
        tokens = AuthenticationChain.builder().listener(AuthenticationListener.NONE)
                .tokenCache(new TokenCachePolicy(Duration.ofHours(1), Duration.ZERO, 10_000))
                .addToken("static-token", StaticTokenAuthenticator.builder()
                        .token(BenchFixtures.STATIC_TOKEN, UserInfo.of("alice", "1")).build()).build();
        bearer = AuthenticationRequest.builder().header("Authorization", "Bearer " + BenchFixtures.STATIC_TOKEN)
                .header("Connection", "Upgrade").header("Upgrade", "websocket")
                .header("Sec-WebSocket-Protocol", "v4.channel.k8s.io").build();
        String entry = "base64url.bearer.authorization.k8s.io." + Base64.getUrlEncoder().withoutPadding()
                .encodeToString(BenchFixtures.STATIC_TOKEN.getBytes(StandardCharsets.UTF_8));
        webSocket = AuthenticationRequest.builder().header("Connection", "Upgrade").header("Upgrade", "websocket")
                .header("Sec-WebSocket-Protocol", entry + ", v4.channel.k8s.io").build();
        if (!x509Cached().isAuthenticated() || !requestHeaderCached().isAuthenticated()
                || !bearerCacheHit().isAuthenticated() || !webSocketCacheHit().isAuthenticated()) {
            throw new IllegalStateException("a benchmark request does not authenticate");
        }
    }

    @TearDown
    public void tearDown() {
        x509.close();
        requestHeader.close();
        tokens.close();
    }

    @Benchmark
    public AuthenticationResult x509Cached() {
        return x509.authenticate(certificateOnly);
    }

    @Benchmark
    public AuthenticationResult requestHeaderCached() {
        return requestHeader.authenticate(proxied);
    }

    @Benchmark
    public AuthenticationResult bearerCacheHit() {
        return tokens.authenticate(bearer);
    }

    @Benchmark
    public AuthenticationResult webSocketCacheHit() {
        return tokens.authenticate(webSocket);
    }
}
