package io.gatehouse.oidc;

import java.util.AbstractMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A claims map as Kubernetes' CEL sees it: names written with {@code __dot__}, {@code __dash__},
 * {@code __slash__}, {@code __underscores__} or a whole {@code __keyword__} reach the claim they escape
 * ({@code pkg/cel/escaping.go}). At the top level the requested name is always unescaped (a name that fails
 * to unescape is absent); in nested maps the unescaped name is used only when unescaping changes it.
 * Iteration and size are the raw map's. Immutable.
 */
final class CelEscapedMap extends AbstractMap<String, Object> {

    private static final Set<String> KEYWORDS = Set.of("true", "false", "null", "in", "as", "break", "const", "continue",
            "else", "for", "function", "if", "import", "let", "loop", "package", "namespace", "return", "var", "void", "while");
    private static final Pattern ESCAPE = Pattern.compile("__\\w+?__");

    private final Map<String, Object> raw;
    private final boolean topLevel;

    CelEscapedMap(Map<String, Object> raw, boolean topLevel) {
        this.raw = raw;
        this.topLevel = topLevel;
    }

    @Override
    public Object get(Object key) {
        String name = lookupName(key);
        return name == null ? null : raw.get(name);
    }

    @Override
    public boolean containsKey(Object key) {
        String name = lookupName(key);
        return name != null && raw.containsKey(name);
    }

    @Override
    public Set<Entry<String, Object>> entrySet() {
        return raw.entrySet();
    }

    @Override
    public int size() {
        return raw.size();
    }

    private String lookupName(Object key) {
        if (!(key instanceof String s)) {
            return null;
        }
        String unescaped = unescape(s);
        if (topLevel) {
            return unescaped;
        }
        return unescaped == null ? s : unescaped;
    }

    /** escaping.go's {@code Unescape}; null when the name holds an escape that is not one. */
    static String unescape(String escaped) {
        if (escaped.length() > 4 && escaped.startsWith("__") && escaped.endsWith("__")) {
            String inner = escaped.substring(2, escaped.length() - 2);
            if (KEYWORDS.contains(inner)) {
                return inner;
            }
        }
        Matcher m = ESCAPE.matcher(escaped);
        StringBuilder out = new StringBuilder(escaped.length());
        int last = 0;
        while (m.find()) {
            String replacement = switch (m.group()) {
                case "__underscores__" -> "__";
                case "__dot__" -> ".";
                case "__dash__" -> "-";
                case "__slash__" -> "/";
                default -> null;
            };
            if (replacement == null) {
                return null;
            }
            out.append(escaped, last, m.start()).append(replacement);
            last = m.end();
        }
        return out.append(escaped.substring(last)).toString();
    }
}
