package io.gatehouse.jwt;

import io.gatehouse.testing.JwtFixtures;
import java.util.List;
import org.junit.jupiter.api.Test;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** JWKS validation: security.md class 19 (weak or wrong keys in a JWKS). */
class VerificationKeySetTest {

    final String rsa = JwtFixtures.publicJwk(JwtFixtures.fresh("rsa2048").getPublic(), "r").toJSONString();
    final String ec = JwtFixtures.publicJwk(JwtFixtures.fresh("ec256").getPublic(), "e").toJSONString();

    static String set(String... keys) {
        return "{\"keys\":[" + String.join(",", keys) + "]}";
    }

    static String with(String jwk, String member) {
        return jwk.substring(0, jwk.length() - 1) + "," + member + "}";
    }

    @Test
    void usableKeysAreKeptWithTheirAlgorithms() {
        VerificationKeySet s = VerificationKeySet.fromJwks(set(rsa, ec));
        assertEquals(2, s.size());
        assertEquals(6, s.lookup("r").get(0).algorithms().size());
        assertEquals(List.of(JwtAlgorithm.ES256), List.copyOf(s.lookup("e").get(0).algorithms()));
        assertEquals(List.of(), s.lookup("nope"));
        assertEquals(2, s.lookup(null).size());
    }

    @Test
    void class19_keysUnfitForVerificationAreSkipped() {
        VerificationKeySet s = VerificationKeySet.fromJwks(set(
                with(rsa.replace("\"r\"", "\"enc\""), "\"use\":\"enc\""),
                with(rsa.replace("\"r\"", "\"ops\""), "\"key_ops\":[\"encrypt\"]"),
                with(rsa.replace("\"r\"", "\"es\""), "\"alg\":\"ES256\""),
                with(ec.replace("\"e\"", "\"e384\""), "\"alg\":\"ES384\""),
                JwtFixtures.publicJwk(JwtFixtures.fresh("rsa1024").getPublic(), "weak").toJSONString(),
                "{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"x\":\"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo\",\"kid\":\"ed\"}",
                with(rsa, "\"use\":\"sig\"")));
        assertEquals(1, s.size());
        assertEquals(6, s.skipped().size(), s.skipped().toString());
        assertTrue(s.skipped().stream().noneMatch(m -> m.contains("\"n\"")));
    }

    @Test
    void class19_pinnedRsaAlgorithmKeepsItsFamilyOnly() {
        VerificationKey k = VerificationKeySet.fromJwks(set(with(rsa, "\"alg\":\"PS256\""))).lookup("r").get(0);
        assertEquals(java.util.EnumSet.of(JwtAlgorithm.PS256, JwtAlgorithm.PS384, JwtAlgorithm.PS512), k.algorithms());
        VerificationKey k384 = VerificationKeySet.fromJwks(set(with(rsa, "\"alg\":\"RS384\""))).lookup("r").get(0);
        assertEquals(java.util.EnumSet.of(JwtAlgorithm.RS384, JwtAlgorithm.RS512), k384.algorithms());
    }

    @Test
    void class19_dangerousOrAmbiguousSetsAreRefusedWhole() {
        assertThrows(IllegalArgumentException.class, () -> VerificationKeySet.fromJwks(set(rsa, rsa)), "duplicate kid");
        assertThrows(IllegalArgumentException.class, () -> VerificationKeySet.fromJwks(set(ec, "{\"kty\":\"oct\",\"k\":\"AAAA\",\"kid\":\"h\"}")));
        assertThrows(IllegalArgumentException.class, () -> VerificationKeySet.fromJwks(set(with(rsa, "\"d\":\"AAAA\""))));
        assertThrows(IllegalArgumentException.class, () -> VerificationKeySet.fromJwks("{\"keys\":{}}"));
        assertThrows(IllegalArgumentException.class, () -> VerificationKeySet.fromJwks("[]"));
    }

    @Test
    void class19_ecPointOffTheCurveIsSkipped() {
        String bad = ec.replaceAll("\"y\":\"[^\"]+\"", "\"y\":\"" + JwtFixtures.b64(new byte[32]) + "\"");
        VerificationKeySet s = VerificationKeySet.fromJwks(set(bad));
        assertEquals(0, s.size());
        assertEquals(1, s.skipped().size());
    }
}
