package io.gatehouse.jwt;

import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.interfaces.RSAPublicKey;

/**
 * RSASSA-PKCS1-v1_5 verification as Go's {@code crypto/rsa.VerifyPKCS1v15} (and so Kubernetes) performs it: the
 * signature must be exactly as long as the modulus and below it; {@code s^e mod n} must equal, byte for byte,
 * {@code 00 01 FF…FF 00 || DigestInfo(hash) || hash} with the DigestInfo's NULL parameters present. The JDK's
 * {@code SHA256withRSA} also accepts a DigestInfo without the NULL; Go does not, and neither does this.
 *
 * <p>The public operation is {@link BigInteger#modPow}, whose Montgomery steps run in HotSpot's intrinsics; the
 * JCA's verify is that same operation plus provider plumbing. Immutable and thread-safe; everything that
 * depends on the key alone is computed once.
 */
final class RsaPkcs1Verifier {

    private static final byte[] SHA256_PREFIX = hex("3031300d060960864801650304020105000420");
    private static final byte[] SHA384_PREFIX = hex("3041300d060960864801650304020205000430");
    private static final byte[] SHA512_PREFIX = hex("3051300d060960864801650304020305000440");

    private final BigInteger n;
    private final BigInteger e;
    /** The modulus length in bytes: the only signature length accepted. */
    private final int k;

    RsaPkcs1Verifier(RSAPublicKey key) {
        this.n = key.getModulus();
        this.e = key.getPublicExponent();
        this.k = (n.bitLength() + 7) / 8;
    }

    /** Whether {@code signature} is a valid PKCS#1 v1.5 signature of {@code signingInput} with {@code alg}'s hash. */
    boolean verify(JwtAlgorithm alg, byte[] signingInput, byte[] signature) {
        byte[] prefix = prefix(alg);
        MessageDigest digest = JcaInstances.digest(alg);
        int hashLength = digest.getDigestLength();
        int tLength = prefix.length + hashLength;
        if (k < tLength + 11 || signature.length != k) {
            return false;
        }
        BigInteger s = new BigInteger(1, signature);
        if (s.compareTo(n) >= 0) {
            return false;
        }
        byte[] m = s.modPow(e, n).toByteArray();
        byte[] hash = digest.digest(signingInput);
        // m holds the value's minimal two's-complement bytes: EM without its leading zero byte (an 0x01 after a
        // zero is positive, so no sign byte is added); anything longer or shorter cannot be a valid EM.
        if (m.length != k - 1 || m[0] != 0x01) {
            return false;
        }
        int psEnd = k - tLength - 1; // index in EM of the 0x00 separator
        for (int i = 2; i < psEnd; i++) {
            if (m[i - 1] != (byte) 0xFF) {
                return false;
            }
        }
        if (m[psEnd - 1] != 0) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (m[psEnd + i] != prefix[i]) {
                return false;
            }
        }
        int hashStart = psEnd + prefix.length;
        for (int i = 0; i < hashLength; i++) {
            if (m[hashStart + i] != hash[i]) {
                return false;
            }
        }
        return true;
    }

    private static byte[] prefix(JwtAlgorithm alg) {
        return switch (alg.hashName()) {
            case "SHA-256" -> SHA256_PREFIX;
            case "SHA-384" -> SHA384_PREFIX;
            case "SHA-512" -> SHA512_PREFIX;
            default -> throw new IllegalArgumentException("no PKCS#1 DigestInfo for " + alg);
        };
    }

    private static byte[] hex(String s) {
        byte[] out = new byte[s.length() / 2];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) Integer.parseInt(s.substring(2 * i, 2 * i + 2), 16);
        }
        return out;
    }
}
