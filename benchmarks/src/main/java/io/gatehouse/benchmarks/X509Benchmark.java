package io.gatehouse.benchmarks;

import io.gatehouse.core.AuthenticationRequest;
import io.gatehouse.core.AuthenticationResult;
import io.gatehouse.x509.X509Authenticator;
import java.io.ByteArrayInputStream;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.TimeUnit;
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
 * Client certificate authentication (RSA-2048 CA, one leaf) uncached and from the verified-chain cache,
 * against one raw RSA verification of the leaf's TBS bytes with the CA key: the least an uncached chain
 * check can cost (target 1.15x); the cached path's target is absolute (1 µs).
 *
 * <p>The uncached benchmark presents a freshly parsed, never verified certificate on every call: the JDK's
 * {@code X509CertImpl.verify} remembers the last key that verified a certificate object and skips the
 * signature the second time, and {@code CertificateFactory} hands out the same object for the same DER
 * (a 750-entry cache), so reusing one certificate measures no signature check at all. A pool of 1024
 * distinct leaves, parsed in the per-invocation setup (outside the measured time), defeats both.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class X509Benchmark {

    private BenchFixtures.Pki pki;
    private X509Authenticator uncached;
    private X509Authenticator cached;
    private AuthenticationRequest request;
    private Signature verifier;
    private byte[] tbs;
    private byte[] signature;

    @Setup
    public void setUp() throws Exception {
        pki = BenchFixtures.pki();
        uncached = BenchFixtures.x509(pki, false);
        cached = BenchFixtures.x509(pki, true);
        request = AuthenticationRequest.builder().peerCertificates(List.of(pki.leaf())).build();
        verifier = Signature.getInstance(pki.leaf().getSigAlgName());
        tbs = pki.leaf().getTBSCertificate();
        signature = pki.leaf().getSignature();
        if (!uncachedSameObject().isAuthenticated() || !cached().isAuthenticated() || !rawRsaVerifyOfTbs()) {
            throw new IllegalStateException("the client certificate does not authenticate: " + uncachedSameObject());
        }
    }

    @TearDown
    public void tearDown() throws Exception {
        uncached.close();
        cached.close();
    }

    @Benchmark
    public boolean rawRsaVerifyOfTbs() throws Exception {
        verifier.initVerify(pki.caKeys().getPublic());
        verifier.update(tbs);
        return verifier.verify(signature);
    }

    /** A request carrying a certificate object no one has verified yet. */
    @State(Scope.Thread)
    public static class FreshRequest {
        AuthenticationRequest request;
        private CertificateFactory factory;
        private List<byte[]> pool;
        private int next;

        @Setup(Level.Trial)
        public void load(X509Benchmark bench) throws Exception {
            factory = CertificateFactory.getInstance("X.509");
            pool = BenchFixtures.leaves(bench.pki, 1024);
        }

        @Setup(Level.Invocation)
        public void parse() throws Exception {
            byte[] der = pool.get(next);
            next = (next + 1) % pool.size();
            X509Certificate leaf = (X509Certificate) factory.generateCertificate(new ByteArrayInputStream(der));
            request = AuthenticationRequest.builder().peerCertificates(List.of(leaf)).build();
        }
    }

    @Benchmark
    public AuthenticationResult uncached(FreshRequest fresh) {
        return uncached.authenticate(fresh.request);
    }

    /** The same certificate object every time: what the JDK's per-object verification memo makes of it. */
    @Benchmark
    public AuthenticationResult uncachedSameObject() {
        return uncached.authenticate(request);
    }

    @Benchmark
    public AuthenticationResult cached() {
        return cached.authenticate(request);
    }
}
