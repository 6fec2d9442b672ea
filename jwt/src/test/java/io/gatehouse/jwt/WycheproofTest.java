package io.gatehouse.jwt;

import com.nimbusds.jose.util.JSONObjectUtils;
import io.gatehouse.testing.JwtFixtures;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Wycheproof's JWS and JWK vectors through the engine: strict parse, key set validation, signature
 * verification with every RS/PS/ES algorithm allowed. Every invalid case must be rejected; every valid case
 * must be accepted unless its key is symmetric (HMAC), which the engine never allows. (The two quirks the
 * reference notes, tc 372/373, are HMAC cases.)
 */
class WycheproofTest {

    record Tally(int validAccepted, int validRejectedHmac, int invalidRejected, List<String> wrong) {
    }

    @Test
    void jsonWebSignatureVectors() throws Exception {
        Tally t = run("json_web_signature_test.json", false);
        assertEquals(List.of(), t.wrong());
        assertEquals(401, t.validAccepted() + t.validRejectedHmac() + t.invalidRejected());
        assertEquals(355, t.invalidRejected());
        assertEquals(36, t.validAccepted(), "every RS/PS/ES valid vector accepted");
    }

    @Test
    void jsonWebKeyVectors() throws Exception {
        Tally t = run("json_web_key_test.json", true);
        assertEquals(List.of(), t.wrong());
        assertEquals(21, t.invalidRejected());
        assertEquals(1, t.validAccepted());
        assertEquals(26, t.validAccepted() + t.validRejectedHmac() + t.invalidRejected());
    }

    @SuppressWarnings("unchecked")
    private Tally run(String file, boolean keySets) throws Exception {
        String text = Files.readString(JwtFixtures.corpus("wycheproof", "testvectors_v1", file));
        Map<String, Object> root = JSONObjectUtils.parse(text);
        int validAccepted = 0;
        int validHmac = 0;
        int invalidRejected = 0;
        List<String> wrong = new ArrayList<>();
        JwtVerifier.Builder base = JwtVerifier.builder().algorithms(JwtAlgorithm.all());
        for (Object g : (List<Object>) root.get("testGroups")) {
            Map<String, Object> group = (Map<String, Object>) g;
            Map<String, Object> material = (Map<String, Object>) (group.containsKey("public") ? group.get("public") : group.get("private"));
            String json = keySets ? JSONObjectUtils.toJSONString(material)
                    : "{\"keys\":[" + JSONObjectUtils.toJSONString(material) + "]}";
            boolean hmac = containsOct(material);
            VerificationKeySet keys;
            try {
                keys = VerificationKeySet.fromJwks(json);
            } catch (IllegalArgumentException e) {
                keys = null;
            }
            for (Object o : (List<Object>) group.get("tests")) {
                Map<String, Object> test = (Map<String, Object>) o;
                long id = (Long) test.get("tcId");
                boolean valid = "valid".equals(test.get("result"));
                boolean accepted = false;
                if (keys != null) {
                    try {
                        base.keys(keys).build().verifySignature(CompactJws.parse((String) test.get("jws"), 16384));
                        accepted = true;
                    } catch (JwtException e) {
                        accepted = false;
                    }
                }
                if (!valid) {
                    if (accepted) {
                        wrong.add("tc" + id + " " + test.get("comment") + ": invalid but accepted");
                    } else {
                        invalidRejected++;
                    }
                } else if (accepted) {
                    validAccepted++;
                } else if (hmac) {
                    validHmac++;
                } else {
                    wrong.add("tc" + id + " " + test.get("comment") + ": valid but rejected");
                }
            }
        }
        System.out.printf("Wycheproof %s: %d valid accepted, %d valid rejected (HMAC never allowed), %d invalid rejected,"
                + " %d wrong%n", file, validAccepted, validHmac, invalidRejected, wrong.size());
        return new Tally(validAccepted, validHmac, invalidRejected, wrong);
    }

    @SuppressWarnings("unchecked")
    private static boolean containsOct(Map<String, Object> material) {
        if (material.get("keys") instanceof List<?> list) {
            return list.stream().anyMatch(k -> "oct".equals(((Map<String, Object>) k).get("kty")));
        }
        return "oct".equals(material.get("kty"));
    }
}
