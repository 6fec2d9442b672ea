package io.gatehouse.core;

import java.util.List;

/** Renders values the way Kubernetes' messages print them, so that operators see familiar text. */
final class Quoting {

    private Quoting() {
    }

    /** Go's {@code %q} of a {@code []string}: {@code ["a" "b"]}. */
    static String goQuote(List<String> values) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                sb.append(' ');
            }
            sb.append('"');
            for (char c : values.get(i).toCharArray()) {
                if (c == '"' || c == '\\') {
                    sb.append('\\');
                }
                sb.append(c);
            }
            sb.append('"');
        }
        return sb.append(']').toString();
    }

    /** Go's {@code %v} of a {@code []string}: {@code [a b]}. */
    static String goList(List<String> values) {
        return "[" + String.join(" ", values) + "]";
    }
}
