package io.gatehouse.jwt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Base64;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Properties of the strict decoder and of the parser on arbitrary input. */
class Base64UrlTest {

    @Property(tries = 300)
    void decodesExactlyWhatTheJdkEncodes(@ForAll byte[] data) {
        String enc = Base64.getUrlEncoder().withoutPadding().encodeToString(data);
        assertArrayEquals(data, Base64Url.decode(enc, 0, enc.length()));
    }

    @Property(tries = 300)
    void refusesPaddedAndNonCanonicalEncodings(@ForAll byte[] data) {
        String padded = Base64.getUrlEncoder().encodeToString(data);
        if (padded.endsWith("=")) {
            assertNull(Base64Url.decode(padded, 0, padded.length()));
            String enc = padded.replace("=", "");
            char last = enc.charAt(enc.length() - 1);
            char bumped = (char) (last == 'z' ? 'y' : last + 1);
            byte[] other = Base64Url.decode(enc.substring(0, enc.length() - 1) + bumped, 0, enc.length());
            if (other != null) {
                // A canonical neighbour decodes to different bytes; never to the same bytes.
                org.junit.jupiter.api.Assertions.assertFalse(java.util.Arrays.equals(data, other));
            }
        }
        String mime = Base64.getEncoder().encodeToString(data);
        if (mime.contains("+") || mime.contains("/")) {
            assertNull(Base64Url.decode(mime, 0, mime.length()));
        }
    }

    /** The parser either parses or throws JwtException for any string; nothing else escapes. */
    @Property(tries = 500)
    void parserNeverThrowsAnythingElse(@ForAll("tokenish") String s) {
        try {
            CompactJws jws = CompactJws.parse(s, 4096);
            jws.claims();
        } catch (JwtException expected) {
            // fine: a value, not a crash
        }
        CompactJws.untrustedIssuer(s, 4096);
    }

    @Provide
    Arbitrary<String> tokenish() {
        Arbitrary<String> segment = Arbitraries.oneOf(
                Arbitraries.strings().withChars("ABCDEFabcdef0123456789-_=+/ eyJ").ofMaxLength(40),
                Arbitraries.of("eyJhbGciOiJSUzI1NiJ9", "eyJhbGciOiJub25lIn0", "e30", "", "eyJpc3MiOiJ4In0", "bnVsbA"));
        return segment.list().ofMinSize(1).ofMaxSize(6).map(l -> String.join(".", l));
    }
}
