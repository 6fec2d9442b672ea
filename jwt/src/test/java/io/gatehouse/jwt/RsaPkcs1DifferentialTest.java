package io.gatehouse.jwt;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.spec.RSAKeyGenParameterSpec;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * RS256/384/512 through the engine's own PKCS#1 v1.5 check against the JDK's SHA*withRSA on random keys (2048 and
 * 3072 bits, e = 65537 and 3), random messages and mutated signatures: the verdicts agree on every input. (They
 * differ only on a DigestInfo without its NULL, which Wycheproof covers and mutation cannot produce.)
 */
class RsaPkcs1DifferentialTest {

    private static final List<KeyPair> KEYS = List.of(
            generate(2048, RSAKeyGenParameterSpec.F4), generate(3072, RSAKeyGenParameterSpec.F4),
            generate(2048, RSAKeyGenParameterSpec.F0));

    private static KeyPair generate(int bits, BigInteger e) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(new RSAKeyGenParameterSpec(bits, e));
            return g.generateKeyPair();
        } catch (Exception ex) {
            throw new IllegalStateException(ex);
        }
    }

    @Property(tries = 300)
    void agreesWithTheJdkOnValidAndMutatedSignatures(@ForAll @IntRange(min = 0, max = 2) int keyIndex,
                                                     @ForAll @IntRange(min = 0, max = 2) int algIndex,
                                                     @ForAll @Size(max = 200) byte[] message,
                                                     @ForAll @IntRange(min = 0, max = 5) int mutation,
                                                     @ForAll @IntRange(min = 0, max = 100_000) int where) throws Exception {
        KeyPair keys = KEYS.get(keyIndex);
        JwtAlgorithm alg = List.of(JwtAlgorithm.RS256, JwtAlgorithm.RS384, JwtAlgorithm.RS512).get(algIndex);
        String jca = alg.hashName().replace("-", "") + "withRSA";
        Signature signer = Signature.getInstance(jca);
        signer.initSign(keys.getPrivate());
        signer.update(message);
        byte[] sig = signer.sign();
        byte[] presented = switch (mutation) {
            case 0 -> sig;
            case 1 -> flip(sig, where % (sig.length * 8));
            case 2 -> Arrays.copyOf(sig, sig.length - 1 - where % 8);
            case 3 -> Arrays.copyOf(sig, sig.length + 1 + where % 8);
            case 4 -> new byte[sig.length];
            default -> {
                byte[] other = message.clone();
                yield other.length == 0 ? new byte[] {1} : flip(sig, 0);
            }
        };
        Signature jdk = Signature.getInstance(jca);
        jdk.initVerify(keys.getPublic());
        jdk.update(message);
        boolean expected;
        try {
            expected = jdk.verify(presented);
        } catch (java.security.SignatureException e) {
            expected = false;
        }
        VerificationKey key = VerificationKey.of("k", keys.getPublic());
        assertEquals(expected, key.verify(alg, message, presented), "mutation " + mutation);
        if (mutation == 0) {
            assertEquals(true, expected, "a fresh signature verifies");
        }
    }

    private static byte[] flip(byte[] in, int bit) {
        byte[] out = in.clone();
        out[bit / 8] ^= (byte) (1 << (bit % 8));
        return out;
    }
}
