package io.gatehouse.core.internal;

import java.util.Collection;

/**
 * Go's text rules where Kubernetes' messages and parsing depend on them, so that every module prints
 * values exactly as Kubernetes does and operators see familiar text.
 */
public final class GoText {

    private GoText() {
    }

    /**
     * Go's {@code %q} of a string ({@code strconv.Quote}): double quotes, backslash escapes for quotes,
     * backslashes and control characters ({@code \a \b \f \n \r \t \v}, else a backslash-x escape), and
     * a backslash-u escape for other non-printable characters.
     */
    public static String quote(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\u0007' -> sb.append("\\a");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case '\u000B' -> sb.append("\\v");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        sb.append(String.format("\\x%02x", (int) c));
                    } else if (Character.isISOControl(c) || Character.getType(c) == Character.FORMAT) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }

    /** Go's {@code %q} of a {@code []string}: {@code ["a" "b"]}. */
    public static String quoteList(Collection<String> values) {
        StringBuilder sb = new StringBuilder("[");
        boolean first = true;
        for (String v : values) {
            if (!first) {
                sb.append(' ');
            }
            first = false;
            sb.append(quote(v));
        }
        return sb.append(']').toString();
    }

    /** Go's {@code %v} of a {@code []string}: {@code [a b]}. */
    public static String list(Collection<String> values) {
        return "[" + String.join(" ", values) + "]";
    }

    /**
     * Go's {@code strings.TrimSpace}: trims what {@code unicode.IsSpace} calls space (which includes
     * U+0085 and U+00A0, unlike Java's {@code strip()}).
     */
    public static String trimSpace(String s) {
        int start = 0;
        int end = s.length();
        while (start < end && isSpace(s.charAt(start))) {
            start++;
        }
        while (end > start && isSpace(s.charAt(end - 1))) {
            end--;
        }
        return s.substring(start, end);
    }

    /** Go's {@code unicode.IsSpace}; every such rune is in the Basic Multilingual Plane. */
    public static boolean isSpace(char c) {
        switch (c) {
            case '\t', '\n', '\u000B', '\f', '\r', ' ', '\u0085', '\u00A0', '\u1680', '\u2028', '\u2029', '\u202F',
                    '\u205F', '\u3000':
                return true;
            default:
                return c >= '\u2000' && c <= '\u200A';
        }
    }
}
