package io.gatehouse.core;

/** Go's string rules where Kubernetes' behaviour depends on them and Java's differ. */
final class GoStrings {

    private GoStrings() {
    }

    /** Go's {@code strings.TrimSpace}: trims what {@code unicode.IsSpace} calls space, which Java's strip() does not match. */
    static String trimSpace(String s) {
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
    static boolean isSpace(char c) {
        switch (c) {
            case '\t', '\n', '\u000B', '\f', '\r', ' ', '\u0085', '\u00A0', '\u1680', '\u2028', '\u2029', '\u202F',
                    '\u205F', '\u3000':
                return true;
            default:
                return c >= '\u2000' && c <= '\u200A';
        }
    }
}
