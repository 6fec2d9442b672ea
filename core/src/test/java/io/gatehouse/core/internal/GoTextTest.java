package io.gatehouse.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Go's %q, %v of []string and TrimSpace, as Kubernetes' messages and bearer parsing use them. */
class GoTextTest {

    @Test
    void quoteEscapesAsStrconvQuote() {
        assertEquals("\"a\\\"b\\\\c\\n\\t\\x01\\u200b\"", GoText.quote("a\"b\\c\n\t\u0001\u200b"));
        assertEquals("\"é\"", GoText.quote("é"), "printable non-ASCII stays as it is");
    }

    @Test
    void lists() {
        assertEquals("[\"a\" \"b c\"]", GoText.quoteList(List.of("a", "b c")));
        assertEquals("[a b c]", GoText.list(List.of("a", "b c")));
        assertEquals("[]", GoText.quoteList(List.of()));
    }

    @Test
    void trimSpaceFollowsUnicodeIsSpace() {
        assertEquals("x y", GoText.trimSpace("\u00a0\u0085\t x y\u3000\u2009"));
        assertEquals("\u001cx", GoText.trimSpace("\u001cx"), "Java strips U+001C; Go does not");
    }
}
