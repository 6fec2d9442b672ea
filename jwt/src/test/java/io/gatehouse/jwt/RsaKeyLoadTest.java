package io.gatehouse.jwt;

import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.Base64URL;
import io.gatehouse.testing.JwtFixtures;
import java.math.BigInteger;
import java.security.interfaces.RSAPublicKey;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Malformed RSA keys are refused when they are loaded, with the reason, both when a caller hands the engine
 * a key object (which bypasses every check of the JDK's KeyFactory) and when the key arrives in a JWKS (where
 * the reason lands in {@link VerificationKeySet#skipped()}).
 */
class RsaKeyLoadTest {

    /** An RSA public key without the JDK's checks, as a caller's own key class may be. */
    record UncheckedRsaKey(BigInteger getModulus, BigInteger getPublicExponent) implements RSAPublicKey {
        @Override
        public String getAlgorithm() {
            return "RSA";
        }

        @Override
        public String getFormat() {
            return null;
        }

        @Override
        public byte[] getEncoded() {
            return null;
        }
    }

    static final BigInteger GOOD_MODULUS = ((RSAPublicKey) JwtFixtures.fresh("rsa2048").getPublic()).getModulus();

    static BigInteger modulus(String name) {
        return switch (name) {
            case "good" -> GOOD_MODULUS;
            case "even" -> GOOD_MODULUS.add(BigInteger.ONE);
            case "tiny" -> BigInteger.valueOf(3233); // 61 * 53
            case "1024" -> ((RSAPublicKey) JwtFixtures.fresh("rsa1024").getPublic()).getModulus();
            default -> throw new IllegalArgumentException(name);
        };
    }

    @ParameterizedTest(name = "{0} modulus, e = {1}")
    @CsvSource(delimiter = '|', value = {
            "even | 65537 | RSA modulus must be odd",
            "tiny | 17    | RSA key of 12 bits; at least 2048 required",
            "1024 | 65537 | RSA key of 1024 bits; at least 2048 required",
            "good | 1     | RSA public exponent must be odd and greater than 1",
            "good | 65536 | RSA public exponent must be odd and greater than 1",
            "good | 2     | RSA public exponent must be odd and greater than 1",
            "good | 0     | RSA public exponent must be odd and greater than 1"})
    void malformedKeyIsRefusedWithItsReason(String modulus, long exponent, String reason) {
        UncheckedRsaKey key = new UncheckedRsaKey(modulus(modulus), BigInteger.valueOf(exponent));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> VerificationKey.of("k", key));
        assertEquals(reason, e.getMessage());
    }

    /** e = 1 never reaches the engine's check from a JWKS: the JDK's KeyFactory refuses it first, in its words. */
    @ParameterizedTest(name = "{0} modulus, e = {1}")
    @CsvSource(delimiter = '|', value = {
            "even | 65537 | RSA modulus must be odd",
            "good | 1     | exponent",
            "good | 65536 | RSA public exponent must be odd and greater than 1"})
    void malformedJwkIsSkippedWithItsReason(String modulus, long exponent, String reason) {
        String jwk = new RSAKey.Builder(Base64URL.encode(modulus(modulus)), Base64URL.encode(BigInteger.valueOf(exponent)))
                .keyID("k").build().toJSONString();
        VerificationKeySet set = VerificationKeySet.fromJwks("{\"keys\":[" + jwk + "]}");
        assertEquals(0, set.size());
        assertEquals(1, set.skipped().size());
        assertTrue(set.skipped().get(0).startsWith("keys[0]: ") && set.skipped().get(0).contains(reason), set.skipped().toString());
    }

    @ParameterizedTest(name = "e = {0}")
    @CsvSource({"3", "17", "65537"})
    void wellFormedKeyLoads(long exponent) {
        VerificationKey key = VerificationKey.of("k", new UncheckedRsaKey(GOOD_MODULUS, BigInteger.valueOf(exponent)));
        assertEquals(6, key.algorithms().size());
    }
}
