package io.gatehouse.benchmarks;

import io.gatehouse.bootstrap.BootstrapTokenAuthenticator;
import io.gatehouse.core.AuthenticationResult;
import io.gatehouse.statictoken.StaticTokenAuthenticator;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
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
 * The token methods without signatures, static token file and bootstrap tokens, against the hashing they
 * cannot avoid: SHA-256 and HMAC-SHA256 of a token. The targets are absolute (a static lookup within
 * 1 µs).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class MethodsBenchmark {

    private StaticTokenAuthenticator staticTokens;
    private BootstrapTokenAuthenticator bootstrap;
    private MessageDigest sha256;
    private Mac hmac;
    private byte[] tokenBytes;

    @Setup
    public void setUp() throws Exception {
        staticTokens = BenchFixtures.staticTokens();
        bootstrap = BenchFixtures.bootstrap();
        sha256 = MessageDigest.getInstance("SHA-256");
        hmac = Mac.getInstance("HmacSHA256");
        hmac.init(new SecretKeySpec(new byte[32], "HmacSHA256"));
        tokenBytes = BenchFixtures.STATIC_TOKEN.getBytes(StandardCharsets.UTF_8);
        if (!staticTokenHit().isAuthenticated() || !bootstrapHit().isAuthenticated()) {
            throw new IllegalStateException("fixtures do not authenticate: " + staticTokenHit() + " " + bootstrapHit());
        }
    }

    /** Baseline: SHA-256 of a 32-character token (reused digest). */
    @Benchmark
    public byte[] sha256OfToken() {
        return sha256.digest(tokenBytes);
    }

    /** Baseline: HMAC-SHA256 of a 32-character token (reused Mac). */
    @Benchmark
    public byte[] hmacSha256OfToken() {
        return hmac.doFinal(tokenBytes);
    }

    @Benchmark
    public AuthenticationResult staticTokenHit() {
        return staticTokens.authenticate(BenchFixtures.STATIC_TOKEN, List.of());
    }

    /** A token of the right shape that is not in the file: the miss costs the same hash. */
    @Benchmark
    public AuthenticationResult staticTokenMiss() {
        return staticTokens.authenticate("fedcba9876543210fedcba9876543210", List.of());
    }

    @Benchmark
    public AuthenticationResult bootstrapHit() {
        return bootstrap.authenticate(BenchFixtures.BOOTSTRAP_TOKEN, List.of());
    }
}
