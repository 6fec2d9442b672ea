package io.gatehouse.benchmarks;

import io.gatehouse.core.AuthenticationResult;
import io.gatehouse.serviceaccount.ServiceAccountTokenAuthenticator;
import java.security.KeyPair;
import java.security.PublicKey;
import java.security.Signature;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * An uncached bound service account token (RS256, object lookup on) against one raw RSA verify of the same
 * signing input: the target is at most 1.08x.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class ServiceAccountBenchmark {

    private String token;
    private ServiceAccountTokenAuthenticator authenticator;
    private PublicKey publicKey;
    private Signature verifier;
    private byte[] input;
    private byte[] signature;

    @Setup
    public void setUp() throws Exception {
        KeyPair keys = BenchFixtures.rsa();
        token = BenchFixtures.serviceAccountToken(keys);
        authenticator = BenchFixtures.serviceAccounts(keys);
        publicKey = keys.getPublic();
        verifier = Signature.getInstance("SHA256withRSA");
        input = JwtBenchmark.signingInput(token);
        signature = JwtBenchmark.signature(token);
        AuthenticationResult r = authenticator.authenticate(token, List.of());
        if (!r.isAuthenticated() || !rawJcaRs256Verify()) {
            throw new IllegalStateException("the service account token does not authenticate: " + r);
        }
    }

    @Benchmark
    public boolean rawJcaRs256Verify() throws Exception {
        verifier.initVerify(publicKey);
        verifier.update(input);
        return verifier.verify(signature);
    }

    @Benchmark
    public AuthenticationResult uncachedRs256() {
        return authenticator.authenticate(token, List.of());
    }
}
