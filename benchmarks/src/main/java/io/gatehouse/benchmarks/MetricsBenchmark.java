package io.gatehouse.benchmarks;

import io.gatehouse.core.AuthenticationChain;
import io.gatehouse.core.AuthenticationListener;
import io.gatehouse.core.AuthenticationRequest;
import io.gatehouse.core.AuthenticationResult;
import io.gatehouse.core.TokenCachePolicy;
import io.gatehouse.core.UserInfo;
import io.gatehouse.micrometer.GatehouseMetrics;
import io.gatehouse.statictoken.StaticTokenAuthenticator;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * The chain's token-cache hit with the Micrometer binder attached (a Prometheus registry, as the gateway has) beside
 * the same hit with no listener (target: at most 1.15x, at most 256 B/op; run with {@code -prof gc}); the hit with a
 * listener that records nothing, which is what timing each request costs (the two clock reads every listened
 * request takes); and the gateway's own pair: the logging listener alone, and the binder in front of it.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class MetricsBenchmark {

    private static final String TOKEN = "0123456789abcdef0123456789abcdef";

    private AuthenticationChain plain;
    private AuthenticationChain metered;
    private AuthenticationChain timed;
    private AuthenticationChain logged;
    private AuthenticationChain loggedAndMetered;
    private AuthenticationRequest request;

    @Setup
    public void setUp() {
        StaticTokenAuthenticator tokens = StaticTokenAuthenticator.builder().token(TOKEN, UserInfo.of("alice", "1")).build();
        TokenCachePolicy cache = new TokenCachePolicy(Duration.ofHours(1), Duration.ZERO, 10_000);
        plain = AuthenticationChain.builder().listener(AuthenticationListener.NONE).tokenCache(cache)
                .addToken("static-token", tokens).build();
        metered = AuthenticationChain.builder()
                .listener(GatehouseMetrics.listener(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT)))
                .tokenCache(cache).addToken("static-token", tokens).build();
        timed = AuthenticationChain.builder().listener(new AuthenticationListener() { }).tokenCache(cache)
                .addToken("static-token", tokens).build();
        // The gateway's set-up: the logging listener always, the binder in front of it.
        logged = AuthenticationChain.builder().listener(AuthenticationListener.logging()).tokenCache(cache)
                .addToken("static-token", tokens).build();
        loggedAndMetered = AuthenticationChain.builder()
                .listener(GatehouseMetrics.listener(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
                        AuthenticationListener.logging()))
                .tokenCache(cache).addToken("static-token", tokens).build();
        request = AuthenticationRequest.bearer(TOKEN);
        plain.authenticate(request);
        metered.authenticate(request);
        timed.authenticate(request);
        logged.authenticate(request);
        loggedAndMetered.authenticate(request);
    }

    @Benchmark
    public AuthenticationResult chainCacheHit() {
        return plain.authenticate(request);
    }

    @Benchmark
    public AuthenticationResult chainCacheHitWithMetrics() {
        return metered.authenticate(request);
    }

    /** The hit with a listener that records nothing: the chain's timing and dispatch without any recording. */
    @Benchmark
    public AuthenticationResult chainCacheHitTimed() {
        return timed.authenticate(request);
    }

    /** The hit with the logging listener only: a chain that reports events but has no binder. */
    @Benchmark
    public AuthenticationResult chainCacheHitLogged() {
        return logged.authenticate(request);
    }

    /** The same with the binder in front of the logging listener, as the gateway wires them. */
    @Benchmark
    public AuthenticationResult chainCacheHitLoggedWithMetrics() {
        return loggedAndMetered.authenticate(request);
    }
}
