package io.gatehouse.benchmarks;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;
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
 * Baselines only: Ed25519 verification with the JDK and with BouncyCastle. Gatehouse does not accept
 * EdDSA tokens (Kubernetes' JWT authenticator does not), so there is no Gatehouse path to hold to them;
 * they are here so that a future EdDSA path has its floor measured beside the others.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class Ed25519Benchmark {

    private final byte[] message = "eyJhbGciOiJFZERTQSJ9.eyJzdWIiOiJhbGljZSJ9".getBytes(StandardCharsets.US_ASCII);
    private KeyPair jdkKeys;
    private byte[] jdkSignature;
    private Ed25519PublicKeyParameters bcPublic;
    private byte[] bcSignature;

    @Setup
    public void setUp() throws Exception {
        jdkKeys = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        Signature s = Signature.getInstance("Ed25519");
        s.initSign(jdkKeys.getPrivate());
        s.update(message);
        jdkSignature = s.sign();
        Ed25519PrivateKeyParameters bcPrivate = new Ed25519PrivateKeyParameters(new java.security.SecureRandom());
        bcPublic = bcPrivate.generatePublicKey();
        Ed25519Signer signer = new Ed25519Signer();
        signer.init(true, bcPrivate);
        signer.update(message, 0, message.length);
        bcSignature = signer.generateSignature();
        if (!rawJdkEd25519Verify() || !rawBcEd25519Verify()) {
            throw new IllegalStateException("Ed25519 baselines do not verify");
        }
    }

    @Benchmark
    public boolean rawJdkEd25519Verify() throws Exception {
        Signature s = Signature.getInstance("Ed25519");
        s.initVerify(jdkKeys.getPublic());
        s.update(message);
        return s.verify(jdkSignature);
    }

    @Benchmark
    public boolean rawBcEd25519Verify() {
        Ed25519Signer v = new Ed25519Signer();
        v.init(false, bcPublic);
        v.update(message, 0, message.length);
        return v.verifySignature(bcSignature);
    }
}
