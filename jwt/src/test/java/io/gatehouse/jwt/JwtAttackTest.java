package io.gatehouse.jwt;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import io.gatehouse.core.RejectionReason;
import io.gatehouse.jwt.JwtException.Kind;
import io.gatehouse.testing.JwtFixtures;
import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.interfaces.ECPublicKey;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import static io.gatehouse.testing.JwtFixtures.b64;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One named test per JWT attack class of reference/security.md section 3. */
class JwtAttackTest {

    static final Instant NOW = Instant.parse("2009-11-10T23:00:00Z");
    static final long VALID = NOW.getEpochSecond() + 3600;
    static final String CLAIMS = "{\"iss\":\"https://auth.example.com\",\"aud\":\"my-client\",\"exp\":" + VALID + "}";

    final KeyPair rsa = JwtFixtures.fresh("rsa2048");
    final KeyPair ec = JwtFixtures.fresh("ec256");
    final KeyPair attacker = JwtFixtures.fresh("rsa3072");
    final JwtVerifier verifier = JwtVerifier.builder()
            .keys(VerificationKeySet.of(List.of(VerificationKey.of("rsa", rsa.getPublic()), VerificationKey.of("ec", ec.getPublic()))))
            .algorithms(JwtAlgorithm.all())
            .audiences(List.of("my-client"))
            .clock(Clock.fixed(NOW, ZoneOffset.UTC))
            .build();

    Kind failure(String token) {
        JwtException e = assertThrows(JwtException.class, () -> verifier.verify(CompactJws.parse(token, CompactJws.DEFAULT_MAX_LENGTH)));
        assertTrue(!e.getMessage().contains(token), "message must not echo the token");
        return e.kind();
    }

    @Test
    void baselineValidTokensVerify() throws JwtException {
        assertEquals(JwtAlgorithm.RS256, verifier.verify(CompactJws.parse(JwtFixtures.sign(rsa, "RS256", "rsa", CLAIMS), 16384)).algorithm());
        assertEquals(JwtAlgorithm.ES256, verifier.verify(CompactJws.parse(JwtFixtures.sign(ec, "ES256", "ec", CLAIMS), 16384)).algorithm());
    }

    // 1. alg none / unsigned tokens
    @ParameterizedTest
    @ValueSource(strings = {"none", "None", "NONE", "nOnE"})
    void class01_algNoneInAnySpellingIsRejected(String alg) {
        String unsigned = b64("{\"alg\":\"" + alg + "\",\"kid\":\"rsa\"}") + "." + b64(CLAIMS);
        assertEquals(Kind.MALFORMED, failure(unsigned + "."));
        assertEquals(Kind.UNSUPPORTED_ALGORITHM, failure(unsigned + "." + b64("sig")));
        assertEquals(Kind.MALFORMED, failure(unsigned));
    }

    // 2. HS256 with the public key as HMAC secret
    @Test
    void class02_hmacWithThePublicKeyAsSecretIsRejected() throws Exception {
        for (byte[] secret : List.of(rsa.getPublic().getEncoded(),
                ("-----BEGIN PUBLIC KEY-----\n" + java.util.Base64.getMimeEncoder().encodeToString(rsa.getPublic().getEncoded())
                        + "\n-----END PUBLIC KEY-----\n").getBytes(StandardCharsets.US_ASCII))) {
            String input = b64("{\"alg\":\"HS256\",\"kid\":\"rsa\"}") + "." + b64(CLAIMS);
            byte[] mac = new MACSigner(secret).sign(new JWSHeader(JWSAlgorithm.HS256), input.getBytes(StandardCharsets.US_ASCII)).decode();
            assertEquals(Kind.UNSUPPORTED_ALGORITHM, failure(input + "." + b64(mac)));
        }
        assertNull(JwtAlgorithm.fromName("HS256"), "HMAC cannot even be configured");
    }

    // 3. kid injection
    @ParameterizedTest
    @ValueSource(strings = {"", "../../../../../../dev/null", "/dev/null", "x' UNION SELECT '1';--", "|sleep 10", "rsa\u0000"})
    void class03_kidIsOnlyAMapKey(String kid) {
        assertEquals(Kind.UNKNOWN_KEY, failure(JwtFixtures.sign(attacker, "RS256", kid, CLAIMS)));
    }

    @Test
    void class03_overlongKidIsMalformed() {
        assertEquals(Kind.MALFORMED, failure(JwtFixtures.sign(rsa, "RS256", "k".repeat(CompactJws.MAX_KEY_ID_LENGTH + 1), CLAIMS)));
    }

    // 4. jku / x5u: never dereferenced
    @Test
    void class04_jkuAndX5uAreNeverFetched() throws IOException {
        try (ServerSocket trap = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            trap.setSoTimeout(300);
            String url = "http://127.0.0.1:" + trap.getLocalPort() + "/jwks.json";
            String header = "{\"alg\":\"RS256\",\"kid\":\"evil\",\"jku\":\"" + url + "\",\"x5u\":\"" + url + "\"}";
            assertEquals(Kind.UNKNOWN_KEY, failure(JwtFixtures.signRaw(attacker, "RS256", header, CLAIMS)));
            assertThrows(SocketTimeoutException.class, trap::accept, "the verifier must not connect to a header URL");
        }
    }

    // 5. embedded jwk (and x5c)
    @Test
    void class05_embeddedJwkAndX5cAreIgnored() {
        String jwk = JwtFixtures.publicJwk(attacker.getPublic(), "rsa").toJSONString();
        assertEquals(Kind.BAD_SIGNATURE, failure(JwtFixtures.signRaw(attacker, "RS256", "{\"alg\":\"RS256\",\"kid\":\"rsa\",\"jwk\":" + jwk + "}", CLAIMS)));
        assertEquals(Kind.BAD_SIGNATURE, failure(JwtFixtures.signRaw(attacker, "RS256", "{\"alg\":\"RS256\",\"jwk\":" + jwk + "}", CLAIMS)));
        assertEquals(Kind.BAD_SIGNATURE, failure(JwtFixtures.signRaw(attacker, "RS256", "{\"alg\":\"RS256\",\"kid\":\"rsa\",\"x5c\":[\"MIIB\"]}", CLAIMS)));
    }

    // 6. psychic signatures (CVE-2022-21449)
    @Test
    void class06_psychicEcdsaSignaturesAreRejected() {
        String input = b64("{\"alg\":\"ES256\",\"kid\":\"ec\"}") + "." + b64(CLAIMS);
        BigInteger n = ((ECPublicKey) ec.getPublic()).getParams().getOrder();
        assertEquals(Kind.BAD_SIGNATURE, failure(input + "." + b64(new byte[64])));
        assertEquals(Kind.BAD_SIGNATURE, failure(input + ".MAYCAQACAQA"));
        assertEquals(Kind.BAD_SIGNATURE, failure(input + "." + b64(concat(fixed(n), fixed(n)))));
        assertEquals(Kind.BAD_SIGNATURE, failure(input + "." + b64(concat(fixed(BigInteger.ONE), fixed(BigInteger.ZERO)))));
    }

    // 7. ECDSA malleability: (r, n-s) is a valid JWS signature; identity must not come from signature bytes.
    @Test
    void class07_malleatedEcdsaSignatureVerifiesSoSignaturesAreNeverIdentities() throws JwtException {
        String token = JwtFixtures.sign(ec, "ES256", "ec", CLAIMS);
        byte[] sig = java.util.Base64.getUrlDecoder().decode(token.substring(token.lastIndexOf('.') + 1));
        BigInteger n = ((ECPublicKey) ec.getPublic()).getParams().getOrder();
        BigInteger s = new BigInteger(1, Arrays.copyOfRange(sig, 32, 64));
        byte[] malleated = concat(Arrays.copyOfRange(sig, 0, 32), fixed(n.subtract(s)));
        String other = token.substring(0, token.lastIndexOf('.') + 1) + b64(malleated);
        assertEquals(JwtAlgorithm.ES256, verifier.verify(CompactJws.parse(other, 16384)).algorithm());
    }

    // 8. crit
    @ParameterizedTest
    @ValueSource(strings = {"[\"exp\"]", "[]", "[\"alg\"]", "[\"x-unknown\"]"})
    void class08_anyCritIsRejected(String crit) {
        assertEquals(Kind.MALFORMED, failure(JwtFixtures.signRaw(rsa, "RS256", "{\"alg\":\"RS256\",\"kid\":\"rsa\",\"crit\":" + crit + ",\"x-unknown\":1}", CLAIMS)));
    }

    // 9. b64 false (RFC 7797)
    @Test
    void class09_unencodedPayloadIsRejected() {
        assertEquals(Kind.MALFORMED, failure(JwtFixtures.signRaw(rsa, "RS256", "{\"alg\":\"RS256\",\"kid\":\"rsa\",\"b64\":false,\"crit\":[\"b64\"]}", CLAIMS)));
        assertEquals(Kind.MALFORMED, failure(JwtFixtures.signRaw(rsa, "RS256", "{\"alg\":\"RS256\",\"kid\":\"rsa\",\"b64\":true}", CLAIMS)));
    }

    // 10. very large tokens / many segments
    @Test
    void class10_sizeCapAndSegmentCountAreCheckedBeforeDecoding() {
        String big = JwtFixtures.sign(rsa, "RS256", "rsa", "{\"aud\":\"my-client\",\"exp\":" + VALID + ",\"pad\":\"" + "x".repeat(20_000) + "\"}");
        assertEquals(Kind.TOO_LARGE, failure(big));
        JwtException e = assertThrows(JwtException.class, () -> CompactJws.parse("a.b.c.d.e.f.g", 16384));
        assertEquals("compact JWS must have three segments", e.getMessage());
        String token = JwtFixtures.sign(rsa, "RS256", "rsa", CLAIMS);
        assertEquals(Kind.MALFORMED, failure(token + ".extra"));
        assertTrue(big.length() > CompactJws.DEFAULT_MAX_LENGTH);
    }

    // 11. deeply nested JSON
    @Test
    void class11_deeplyNestedClaimsFailClosed() {
        String deep = "{\"aud\":\"my-client\",\"exp\":" + VALID + ",\"x\":" + "[".repeat(5000) + "]".repeat(5000) + "}";
        String token = JwtFixtures.sign(rsa, "RS256", "rsa", deep);
        JwtException e = assertThrows(JwtException.class, () -> verifier.verify(CompactJws.parse(token, 1 << 20)));
        assertEquals(Kind.MALFORMED, e.kind());
    }

    // 12. JWE and PBES2 p2c
    @Test
    void class12_jweIsRejectedBeforeAnyWork() {
        String header = b64("{\"alg\":\"PBES2-HS256+A128KW\",\"enc\":\"A128GCM\",\"p2c\":2000000000,\"p2s\":\"AAAA\"}");
        JwtException five = assertThrows(JwtException.class, () -> CompactJws.parse(header + ".AAAA.AAAA.AAAA.AAAA", 16384));
        assertEquals("encrypted tokens (JWE) are not supported", five.getMessage());
        JwtException three = assertThrows(JwtException.class, () -> CompactJws.parse(header + "." + b64(CLAIMS) + ".AAAA", 16384));
        assertEquals("encrypted tokens (JWE) are not supported", three.getMessage());
        assertEquals(Kind.MALFORMED, failure(JwtFixtures.signRaw(rsa, "RS256", "{\"alg\":\"RS256\",\"kid\":\"rsa\",\"zip\":\"DEF\"}", CLAIMS)));
    }

    // 13. duplicate member names and JSON serialisation
    @Test
    void class13_duplicateNamesAndJsonSerializationAreRejected() {
        assertEquals(Kind.MALFORMED, failure(JwtFixtures.signRaw(rsa, "RS256", "{\"alg\":\"RS256\",\"kid\":\"rsa\",\"kid\":\"ec\"}", CLAIMS)));
        assertEquals(Kind.MALFORMED, failure(JwtFixtures.sign(rsa, "RS256", "rsa",
                "{\"aud\":\"my-client\",\"exp\":" + VALID + ",\"iss\":\"https://a\",\"iss\":\"https://b\"}")));
        String token = JwtFixtures.sign(rsa, "RS256", "rsa", CLAIMS);
        String[] p = token.split("\\.");
        String json = "{\"payload\":\"" + p[1] + "\",\"protected\":\"" + p[0] + "\",\"signature\":\"" + p[2] + "\"}";
        assertEquals(Kind.MALFORMED, failure(json));
        assertNull(CompactJws.untrustedIssuer(json, 16384));
    }

    // 14. numeric-date bounds (time edges are in JwtVerifierTest)
    @ParameterizedTest
    @ValueSource(strings = {"1e300", "-1", "\"" + 1 + "\"", "9223372036854775807", "253402300800", "true"})
    void class14_outOfRangeNumericDatesAreMalformed(String exp) {
        assertEquals(Kind.MALFORMED, failure(JwtFixtures.sign(rsa, "RS256", "rsa", "{\"aud\":\"my-client\",\"exp\":" + exp + "}")));
    }

    // 15. aud typing
    @Test
    void class15_nonStringAudienceIsMalformed() {
        assertEquals(Kind.MALFORMED, failure(JwtFixtures.sign(rsa, "RS256", "rsa", "{\"aud\":5,\"exp\":" + VALID + "}")));
        assertEquals(Kind.MALFORMED, failure(JwtFixtures.sign(rsa, "RS256", "rsa", "{\"aud\":[\"my-client\",5],\"exp\":" + VALID + "}")));
        assertEquals(Kind.WRONG_AUDIENCE, failure(JwtFixtures.sign(rsa, "RS256", "rsa", "{\"aud\":[],\"exp\":" + VALID + "}")));
    }

    // 18. base64url strictness
    @ParameterizedTest
    @ValueSource(strings = {"pad", "space", "plus", "slash", "trailingBits", "newline"})
    void class18_nonCanonicalBase64IsRejected(String mutation) {
        String token = JwtFixtures.sign(rsa, "RS256", "rsa", CLAIMS);
        int dot = token.indexOf('.');
        String header = token.substring(0, dot);
        String rest = token.substring(dot);
        String mutated = switch (mutation) {
            case "pad" -> header + "=" + rest;
            case "space" -> header.substring(0, 4) + " " + header.substring(4) + rest;
            case "plus" -> header.substring(0, 4) + "+" + header.substring(5) + rest;
            case "slash" -> header.substring(0, 4) + "/" + header.substring(5) + rest;
            case "newline" -> token.substring(0, token.lastIndexOf('.') + 1) + "\n" + token.substring(token.lastIndexOf('.') + 1);
            default -> {
                // Flip an unused low bit of the signature's last character (256 bytes: 2 spare bits).
                char last = token.charAt(token.length() - 1);
                char flipped = "AEIMQUYcgkosw048".indexOf(last) >= 0 ? (char) (last + 1) : last;
                yield token.substring(0, token.length() - 1) + flipped;
            }
        };
        JwtException e = assertThrows(JwtException.class, () -> CompactJws.parse(mutated, 16384));
        assertEquals(RejectionReason.MALFORMED, e.kind().reason());
    }

    @Test
    void alwaysRejectedHeaderKeysDoNotLeakIntoParsedHeaderUse() throws JwtException {
        CompactJws jws = CompactJws.parse(JwtFixtures.signRaw(rsa, "RS256", "{\"alg\":\"RS256\",\"kid\":\"rsa\",\"jku\":\"https://x\"}", CLAIMS), 16384);
        assertEquals(Map.of("alg", "RS256", "kid", "rsa", "jku", "https://x"), jws.header());
        assertEquals("rsa", verifier.verify(jws).key().keyId());
    }

    private static byte[] fixed(BigInteger v) {
        byte[] raw = v.toByteArray();
        byte[] out = new byte[32];
        int len = Math.min(raw.length, 32);
        System.arraycopy(raw, raw.length - len, out, 32 - len, len);
        return out;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
