package io.gatehouse.jwt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/**
 * The parse memos (last checked header, claims read by {@code untrustedIssuer}) are invisible: a token whose
 * header differs from the remembered one is checked in full, and claims are never handed to another token.
 */
class CompactJwsMemoTest {

    private static String b64(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    private static String token(String header, String payload) {
        return b64(header) + "." + b64(payload) + ".c2ln";
    }

    @Test
    void aRememberedHeaderDoesNotLetAnotherHeaderThrough() throws Exception {
        String good = token("{\"alg\":\"RS256\",\"kid\":\"k1\"}", "{\"iss\":\"a\"}");
        assertEquals("k1", CompactJws.parse(good, 16384).keyId());
        JwtException crit = assertThrows(JwtException.class, () -> CompactJws.parse(
                token("{\"alg\":\"RS256\",\"kid\":\"k1\",\"crit\":[\"x\"]}", "{\"iss\":\"a\"}"), 16384));
        assertEquals(JwtException.Kind.MALFORMED, crit.kind());
        assertThrows(JwtException.class, () -> CompactJws.parse(token("{\"alg\":\"none\",\"kid\":\"k1\"}", "{}"), 16384));
        assertEquals("k2", CompactJws.parse(token("{\"alg\":\"RS256\",\"kid\":\"k2\"}", "{}"), 16384).keyId());
        CompactJws again = CompactJws.parse(good, 16384);
        assertEquals("RS256", again.algorithm());
        assertEquals("k1", again.keyId());
        // A same-length header segment that differs in one character is not the remembered one.
        assertEquals("k3", CompactJws.parse(token("{\"alg\":\"RS256\",\"kid\":\"k3\"}", "{}"), 16384).keyId());
        // Same-length header with a bad alg after a good one.
        assertThrows(JwtException.class, () -> CompactJws.parse(token("{\"alg\":\"NONE\",\"kid\":\"k1\"}", "{}"), 16384));
    }

    @Test
    void claimsReadForOneTokenAreNeverHandedToAnother() throws Exception {
        String a = token("{\"alg\":\"RS256\"}", "{\"iss\":\"a\",\"sub\":\"alice\"}");
        String b = token("{\"alg\":\"RS256\"}", "{\"iss\":\"b\",\"sub\":\"bob\"}");
        assertEquals("a", CompactJws.untrustedIssuer(a, 16384));
        assertEquals("bob", CompactJws.parse(b, 16384).claims().stringOrNull("sub"));
        assertEquals("a", CompactJws.untrustedIssuer(a, 16384));
        assertEquals("alice", CompactJws.parse(a, 16384).claims().stringOrNull("sub"));
        // An equal but distinct string gets its own parse, with the same result.
        assertEquals("a", CompactJws.untrustedIssuer(a, 16384));
        assertEquals("alice", CompactJws.parse(new String(a.toCharArray()), 16384).claims().stringOrNull("sub"));
        // Claims parsed for one authenticator serve the next one's issuer check on the same token object.
        CompactJws parsed = CompactJws.parse(b, 16384);
        assertEquals("bob", parsed.claims().stringOrNull("sub"));
        assertEquals("b", CompactJws.untrustedIssuer(b, 16384));
        assertEquals("a", CompactJws.untrustedIssuer(a, 16384));
        // A token untrustedIssuer cannot read leaves nothing behind.
        assertNull(CompactJws.untrustedIssuer("x.!!!.y", 16384));
        assertEquals("bob", CompactJws.parse(b, 16384).claims().stringOrNull("sub"));
    }
}
