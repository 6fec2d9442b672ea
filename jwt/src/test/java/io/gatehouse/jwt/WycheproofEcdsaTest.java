package io.gatehouse.jwt;

import com.nimbusds.jose.util.JSONObjectUtils;
import io.gatehouse.testing.JwtFixtures;
import java.nio.file.Files;
import java.security.KeyFactory;
import java.security.interfaces.ECPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Wycheproof's ECDSA vectors in P1363 form ({@code r || s}, the JWS encoding) through the engine's ECDSA
 * verifier (BouncyCastle with a per-key precomputation): every valid signature accepted, every invalid one
 * rejected. The invalid cases include r or s out of range, zero, n, wrong lengths, and the edge-case
 * public keys whose precomputed tables exercise unusual points.
 */
class WycheproofEcdsaTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "ecdsa_secp256r1_sha256_p1363_test.json, ES256",
            "ecdsa_secp384r1_sha384_p1363_test.json, ES384",
            "ecdsa_secp521r1_sha512_p1363_test.json, ES512"})
    @SuppressWarnings("unchecked")
    void p1363Vectors(String file, JwtAlgorithm alg) throws Exception {
        Map<String, Object> root = JSONObjectUtils.parse(Files.readString(JwtFixtures.corpus("wycheproof", "testvectors_v1", file)));
        KeyFactory ec = KeyFactory.getInstance("EC");
        HexFormat hex = HexFormat.of();
        int valid = 0;
        int invalid = 0;
        int acceptable = 0;
        List<String> wrong = new ArrayList<>();
        for (Object g : (List<Object>) root.get("testGroups")) {
            Map<String, Object> group = (Map<String, Object>) g;
            ECPublicKey pub = (ECPublicKey) ec.generatePublic(
                    new X509EncodedKeySpec(hex.parseHex((String) group.get("publicKeyDer"))));
            VerificationKey key = VerificationKey.of(null, pub);
            for (Object o : (List<Object>) group.get("tests")) {
                Map<String, Object> test = (Map<String, Object>) o;
                String result = (String) test.get("result");
                boolean accepted = key.verify(alg, hex.parseHex((String) test.get("msg")), hex.parseHex((String) test.get("sig")));
                switch (result) {
                    case "valid" -> {
                        valid++;
                        if (!accepted) {
                            wrong.add("tc" + test.get("tcId") + " " + test.get("comment") + ": valid but rejected");
                        }
                    }
                    case "invalid" -> {
                        invalid++;
                        if (accepted) {
                            wrong.add("tc" + test.get("tcId") + " " + test.get("comment") + ": invalid but accepted");
                        }
                    }
                    default -> acceptable++;
                }
            }
        }
        System.out.printf("Wycheproof %s: %d valid accepted, %d invalid rejected, %d acceptable, %d wrong%n",
                file, valid - countValidWrong(wrong), invalid - (wrong.size() - countValidWrong(wrong)), acceptable, wrong.size());
        assertEquals(List.of(), wrong);
        assertEquals(((Number) root.get("numberOfTests")).intValue(), valid + invalid + acceptable);
        assertTrue(valid > 0 && invalid > 0, "the file has both valid and invalid cases");
    }

    private static int countValidWrong(List<String> wrong) {
        return (int) wrong.stream().filter(w -> w.endsWith("valid but rejected")).count();
    }
}
