package io.gatehouse.jwt;

import com.nimbusds.jose.util.JSONObjectUtils;
import io.gatehouse.testing.JwtFixtures;
import java.nio.file.Files;
import java.security.KeyFactory;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Wycheproof's RSA PKCS#1 v1.5 and PSS verification vectors of the sizes tokens use (2048, 3072 and 4096
 * bits; SHA-256/384/512; PSS with MGF1 of the same hash and the salt as long as the hash, the only PSS
 * parameters JWS allows) through {@link VerificationKey#verify}, the engine's RS and PS path: every valid
 * signature accepted, every invalid one rejected (modified padding, BER or otherwise mis-encoded DigestInfo,
 * wrong hash, signature at or above the modulus, wrong length, modified PSS salt or trailer).
 *
 * <p>The one "acceptable" case per PKCS#1 file is a DigestInfo without the NULL parameters. The JDK's
 * SHA*withRSA accepts it (it retries the comparison without the NULL); Go's crypto/rsa, and so Kubernetes,
 * rejects it, and so does the engine (RS* is verified as Go verifies it); PS* has no such case.
 */
class WycheproofRsaTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "rsa_signature_2048_sha256_test.json, RS256",
            "rsa_signature_2048_sha384_test.json, RS384",
            "rsa_signature_2048_sha512_test.json, RS512",
            "rsa_signature_3072_sha256_test.json, RS256",
            "rsa_signature_3072_sha384_test.json, RS384",
            "rsa_signature_3072_sha512_test.json, RS512",
            "rsa_signature_4096_sha256_test.json, RS256",
            "rsa_signature_4096_sha384_test.json, RS384",
            "rsa_signature_4096_sha512_test.json, RS512",
            "rsa_pss_2048_sha256_mgf1_32_test.json, PS256",
            "rsa_pss_2048_sha384_mgf1_48_test.json, PS384",
            "rsa_pss_3072_sha256_mgf1_32_test.json, PS256",
            "rsa_pss_4096_sha256_mgf1_32_test.json, PS256",
            "rsa_pss_4096_sha384_mgf1_48_test.json, PS384",
            "rsa_pss_4096_sha512_mgf1_64_test.json, PS512"})
    @SuppressWarnings("unchecked")
    void verificationVectors(String file, JwtAlgorithm alg) throws Exception {
        Map<String, Object> root = JSONObjectUtils.parse(Files.readString(JwtFixtures.corpus("wycheproof", "testvectors_v1", file)));
        KeyFactory rsa = KeyFactory.getInstance("RSA");
        HexFormat hex = HexFormat.of();
        int valid = 0;
        int invalid = 0;
        int acceptable = 0;
        int acceptableAccepted = 0;
        List<String> wrong = new ArrayList<>();
        for (Object g : (List<Object>) root.get("testGroups")) {
            Map<String, Object> group = (Map<String, Object>) g;
            assertEquals(alg.hashName(), group.get("sha"), "the file's hash is the algorithm's");
            if (alg.family() == JwtAlgorithm.Family.RSA_PSS) {
                assertEquals(alg.hashName(), group.get("mgfSha"), "MGF1 with the same hash, as JWS requires");
                assertEquals(Integer.parseInt(alg.name().substring(2)) / 8, ((Number) group.get("sLen")).intValue(),
                        "salt as long as the hash, as JWS requires");
            }
            RSAPublicKey pub = (RSAPublicKey) rsa.generatePublic(
                    new X509EncodedKeySpec(hex.parseHex((String) group.get("publicKeyDer"))));
            VerificationKey key = VerificationKey.of(null, pub, EnumSet.of(alg));
            for (Object o : (List<Object>) group.get("tests")) {
                Map<String, Object> test = (Map<String, Object>) o;
                boolean accepted = key.verify(alg, hex.parseHex((String) test.get("msg")), hex.parseHex((String) test.get("sig")));
                String name = "tc" + test.get("tcId") + " " + test.get("comment") + " " + test.get("flags");
                switch ((String) test.get("result")) {
                    case "valid" -> {
                        valid++;
                        if (!accepted) {
                            wrong.add(name + ": valid but rejected");
                        }
                    }
                    case "invalid" -> {
                        invalid++;
                        if (accepted) {
                            wrong.add(name + ": invalid but accepted");
                        }
                    }
                    default -> {
                        acceptable++;
                        assertEquals(List.of("MissingNull"), test.get("flags"), name);
                        acceptableAccepted += accepted ? 1 : 0;
                    }
                }
            }
        }
        System.out.printf("Wycheproof %s as %s: %d valid, %d invalid, %d acceptable (%d accepted), %d wrong%n",
                file, alg, valid, invalid, acceptable, acceptableAccepted, wrong.size());
        assertEquals(List.of(), wrong);
        assertEquals(((Number) root.get("numberOfTests")).intValue(), valid + invalid + acceptable);
        assertTrue(valid > 0 && invalid > 0, "the file has both valid and invalid cases");
        assertEquals(0, acceptableAccepted, "a DigestInfo without NULL is refused, as Go's crypto/rsa refuses it");
    }
}
