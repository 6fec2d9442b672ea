package io.gatehouse.jwt;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.Signature;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;

/**
 * Per-thread JCA {@link Signature} and {@link MessageDigest} objects, one per algorithm. A
 * {@code getInstance} call walks the provider list on every request (a few microseconds, several objects);
 * a JCA object is not thread-safe but is reusable after {@code initVerify} or {@code digest}, so each thread
 * keeps its own. The objects hold no key material between calls that matters: {@code initVerify} replaces
 * the public key and resets the state, and {@code digest} resets the digest.
 */
final class JcaInstances {

    private static final JwtAlgorithm[] ALGORITHMS = JwtAlgorithm.values();

    private static final ThreadLocal<Signature[]> SIGNATURES =
            ThreadLocal.withInitial(() -> new Signature[ALGORITHMS.length]);
    private static final ThreadLocal<MessageDigest[]> DIGESTS =
            ThreadLocal.withInitial(() -> new MessageDigest[ALGORITHMS.length]);

    private JcaInstances() {
    }

    /** This thread's RSA verifier for {@code alg} (RS* or PS*), parameters already set. */
    static Signature rsa(JwtAlgorithm alg) throws GeneralSecurityException {
        Signature[] mine = SIGNATURES.get();
        Signature s = mine[alg.ordinal()];
        if (s == null) {
            s = create(alg);
            mine[alg.ordinal()] = s;
        }
        return s;
    }

    /** This thread's message digest of {@code alg}'s hash (SHA-256, -384 or -512). */
    static MessageDigest digest(JwtAlgorithm alg) {
        MessageDigest[] mine = DIGESTS.get();
        MessageDigest d = mine[alg.ordinal()];
        if (d == null) {
            try {
                d = MessageDigest.getInstance(alg.hashName());
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("the JDK lacks " + alg.hashName(), e);
            }
            mine[alg.ordinal()] = d;
        }
        return d;
    }

    private static Signature create(JwtAlgorithm alg) throws GeneralSecurityException {
        String hash = alg.hashName();
        return switch (alg.family()) {
            case RSA_PKCS1 -> Signature.getInstance(hash.replace("-", "") + "withRSA");
            case RSA_PSS -> {
                // RFC 7518 3.5: MGF1 with the same hash, salt as long as the hash output, trailer 1.
                Signature s = Signature.getInstance("RSASSA-PSS");
                int saltLength = Integer.parseInt(hash.substring(4)) / 8;
                s.setParameter(new PSSParameterSpec(hash, "MGF1", new MGF1ParameterSpec(hash), saltLength, 1));
                yield s;
            }
            case ECDSA -> throw new IllegalArgumentException(alg + " is verified with BouncyCastle");
        };
    }
}
