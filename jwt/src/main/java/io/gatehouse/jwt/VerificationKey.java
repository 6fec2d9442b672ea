package io.gatehouse.jwt;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECFieldFp;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * A trusted public key with its ready-made verifier, built once when the key is loaded so that the request
 * path does no key conversion and no verifier construction. The key's type fixes which algorithms it may
 * verify (RSA: RS* and PS*, or one family when a JWK pins it; EC: the one ES algorithm of its curve), so a
 * header can never steer a key into another primitive.
 *
 * <p>Weak keys are refused at construction: RSA below 2048 bits, an even modulus, an even or unit public
 * exponent, moduli with the ROCA fingerprint; EC keys off their curve or on curves other than P-256, P-384 and P-521.
 *
 * <p>RS* signatures are checked as Go's crypto/rsa checks them ({@link RsaPkcs1Verifier}: the exact encoding, with
 * the DigestInfo's NULL, which the JDK does not insist on); PS* signatures with the JDK through a per-thread
 * {@link Signature} (no provider lookup per request); ECDSA signatures with BouncyCastle's lightweight API and a precomputed table kept with the key
 * ({@link EcdsaP1363Verifier}), an order of magnitude faster than SunEC on JDK 17.
 *
 * <p>Immutable and thread-safe.
 */
public final class VerificationKey {

    /** The smallest RSA modulus accepted, in bits. */
    public static final int MIN_RSA_BITS = 2048;

    private final String keyId;
    private final PublicKey publicKey;
    private final Set<JwtAlgorithm> algorithms;
    /** Set for RSA keys, null for EC keys. */
    private final RSAPublicKey rsa;
    /** Set for RSA keys: RS* verification as Go's crypto/rsa; null for EC keys. */
    private final RsaPkcs1Verifier pkcs1;
    /** Set for EC keys (with the key's precomputation), null for RSA keys. */
    private final EcdsaP1363Verifier ecdsa;

    private VerificationKey(String keyId, PublicKey publicKey, Set<JwtAlgorithm> algorithms, RSAPublicKey rsa,
                            EcdsaP1363Verifier ecdsa) {
        this.keyId = keyId;
        this.publicKey = publicKey;
        this.algorithms = Collections.unmodifiableSet(algorithms);
        this.rsa = rsa;
        this.pkcs1 = rsa == null ? null : new RsaPkcs1Verifier(rsa);
        this.ecdsa = ecdsa;
    }

    /**
     * A key that may verify every algorithm of its type.
     *
     * @param keyId the {@code kid} tokens name it by, or null for a key without one
     * @param key   the RSA or EC public key; not null
     * @return a key accepting every algorithm of its family (for EC, the one of its curve)
     * @throws IllegalArgumentException if the key is not RSA or EC, or is weak (see the class comment)
     */
    public static VerificationKey of(String keyId, PublicKey key) {
        return of(keyId, key, JwtAlgorithm.all(), false);
    }

    /**
     * A key limited to {@code algorithms}.
     *
     * @param keyId      the {@code kid} tokens name it by, or null for a key without one
     * @param key        the RSA or EC public key; not null
     * @param algorithms the algorithms the key may verify, each fitting the key
     * @return a key accepting exactly {@code algorithms}
     * @throws IllegalArgumentException if an algorithm does not fit the key's type, or the key is weak
     */
    public static VerificationKey of(String keyId, PublicKey key, Set<JwtAlgorithm> algorithms) {
        return of(keyId, key, algorithms, true);
    }

    private static VerificationKey of(String keyId, PublicKey key, Set<JwtAlgorithm> requested, boolean strict) {
        Objects.requireNonNull(key, "key");
        EnumSet<JwtAlgorithm> fitting = EnumSet.noneOf(JwtAlgorithm.class);
        if (key instanceof RSAPublicKey rsa) {
            checkRsa(rsa);
            for (JwtAlgorithm a : requested) {
                if (a.family() != JwtAlgorithm.Family.ECDSA) {
                    fitting.add(a);
                } else if (strict) {
                    throw new IllegalArgumentException(a + " does not fit an RSA key");
                }
            }
            return new VerificationKey(keyId, key, fitting, rsa, null);
        }
        if (key instanceof ECPublicKey ec) {
            JwtAlgorithm curveAlg = checkEc(ec);
            for (JwtAlgorithm a : requested) {
                if (a == curveAlg) {
                    fitting.add(a);
                } else if (strict) {
                    throw new IllegalArgumentException(a + " does not fit an EC key on this curve (" + curveAlg + ")");
                }
            }
            return new VerificationKey(keyId, key, fitting, null, new EcdsaP1363Verifier(curveAlg, ec));
        }
        throw new IllegalArgumentException("unsupported key type " + key.getAlgorithm() + "; only RSA and EC keys verify tokens");
    }

    /**
     * The key's {@code kid}, or null.
     *
     * @return the key id, or null when the key has none
     */
    public String keyId() {
        return keyId;
    }

    /**
     * The public key.
     *
     * @return the key, never null
     */
    public PublicKey publicKey() {
        return publicKey;
    }

    /**
     * The algorithms this key may verify; unmodifiable.
     *
     * @return the algorithms, never null
     */
    public Set<JwtAlgorithm> algorithms() {
        return algorithms;
    }

    /**
     * Whether the key may verify {@code alg}.
     *
     * @param alg the algorithm
     * @return true if {@code alg} is among {@link #algorithms()}
     */
    public boolean accepts(JwtAlgorithm alg) {
        return algorithms.contains(alg);
    }

    /** Verifies a parsed token's signature with this key; false for any failure, never throws. */
    boolean verify(JwtAlgorithm alg, CompactJws jws) {
        return verify(alg, jws.signingInput(), jws.signatureBytes());
    }

    /**
     * Verifies {@code signature} over {@code signingInput} with {@code alg}; false for any failure (an
     * algorithm the key may not verify, a malformed signature, a mismatch), never throws.
     */
    boolean verify(JwtAlgorithm alg, byte[] signingInput, byte[] signature) {
        if (!accepts(alg)) {
            return false;
        }
        if (ecdsa != null) {
            return ecdsa.verify(signingInput, signature);
        }
        if (alg.family() == JwtAlgorithm.Family.RSA_PKCS1) {
            return pkcs1.verify(alg, signingInput, signature);
        }
        try {
            Signature verifier = JcaInstances.rsa(alg);
            verifier.initVerify(rsa);
            verifier.update(signingInput);
            return verifier.verify(signature);
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }

    private static void checkRsa(RSAPublicKey rsa) {
        BigInteger n = rsa.getModulus();
        BigInteger e = rsa.getPublicExponent();
        if (n.bitLength() < MIN_RSA_BITS) {
            throw new IllegalArgumentException("RSA key of " + n.bitLength() + " bits; at least " + MIN_RSA_BITS + " required");
        }
        if (!n.testBit(0)) {
            // A product of two odd primes is odd; an even modulus is not an RSA key (the JDK still loads one).
            throw new IllegalArgumentException("RSA modulus must be odd");
        }
        if (!e.testBit(0) || e.compareTo(BigInteger.ONE) <= 0) {
            throw new IllegalArgumentException("RSA public exponent must be odd and greater than 1");
        }
        if (RocaFingerprint.matches(n)) {
            throw new IllegalArgumentException("RSA modulus has the ROCA fingerprint (CVE-2017-15361)");
        }
    }

    private static JwtAlgorithm checkEc(ECPublicKey ec) {
        ECParameterSpec params = ec.getParams();
        JwtAlgorithm alg = switch (params.getCurve().getField().getFieldSize()) {
            case 256 -> JwtAlgorithm.ES256;
            case 384 -> JwtAlgorithm.ES384;
            case 521 -> JwtAlgorithm.ES512;
            default -> throw new IllegalArgumentException("EC curve of " + params.getCurve().getField().getFieldSize()
                    + " bits; only P-256, P-384 and P-521 are supported");
        };
        if (!(params.getCurve().getField() instanceof ECFieldFp fp)) {
            throw new IllegalArgumentException("only prime-field EC curves are supported");
        }
        ECPoint w = ec.getW();
        BigInteger p = fp.getP();
        BigInteger x = w.getAffineX();
        BigInteger y = w.getAffineY();
        if (x == null || y == null || x.signum() < 0 || y.signum() < 0 || x.compareTo(p) >= 0 || y.compareTo(p) >= 0
                || !y.multiply(y).subtract(x.pow(3).add(params.getCurve().getA().multiply(x)).add(params.getCurve().getB()))
                .mod(p).equals(BigInteger.ZERO)) {
            throw new IllegalArgumentException("EC public point is not on its curve");
        }
        return alg;
    }

    @Override
    public String toString() {
        return "VerificationKey{kid=" + keyId + ", type=" + publicKey.getAlgorithm() + ", algorithms=" + algorithms + "}";
    }
}
