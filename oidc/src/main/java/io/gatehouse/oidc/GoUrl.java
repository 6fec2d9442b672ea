package io.gatehouse.oidc;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A URL as Go's {@code net/url} parses it, for Kubernetes' CEL {@code url()} library: {@link #parseRequestUri}
 * (which {@code url()} and {@code isURL()} use to accept a string: an absolute URI or an absolute path) and
 * {@link #parse} (which builds the value), with Go's error texts, and the accessors the library exposes. The
 * string is handled as its UTF-8 bytes, as Go handles it.
 */
final class GoUrl {

    /** A parse failure, worded as Go's {@code *url.Error}: {@code parse "<url>": <problem>}. */
    static final class UrlException extends Exception {
        private static final long serialVersionUID = 1L;

        UrlException(String url, String problem) {
            super("parse " + quote(url) + ": " + problem, null, false, false);
        }
    }

    private enum Mode { PATH, HOST, ZONE, USER_PASSWORD, QUERY_COMPONENT, FRAGMENT }

    final String scheme;
    final String opaque;
    final String host;
    final String path;
    final String rawPath;
    final String rawQuery;

    private GoUrl(String scheme, String opaque, String host, String path, String rawPath, String rawQuery) {
        this.scheme = scheme;
        this.opaque = opaque;
        this.host = host;
        this.path = path;
        this.rawPath = rawPath;
        this.rawQuery = rawQuery;
    }

    /** Go's {@code url.ParseRequestURI}: an absolute URI or an absolute path; no fragment is split off. */
    static GoUrl parseRequestUri(String raw) throws UrlException {
        try {
            return parse(raw, true);
        } catch (Problem p) {
            throw new UrlException(raw, p.getMessage());
        }
    }

    /** Go's {@code url.Parse}: the fragment is cut off first (and validated), then the rest parsed. */
    static GoUrl parse(String raw) throws UrlException {
        int hash = raw.indexOf('#');
        String u = hash < 0 ? raw : raw.substring(0, hash);
        GoUrl url;
        try {
            url = parse(u, false);
        } catch (Problem p) {
            throw new UrlException(u, p.getMessage());
        }
        if (hash >= 0) {
            try {
                unescape(raw.substring(hash + 1), Mode.FRAGMENT);
            } catch (Problem p) {
                throw new UrlException(raw, p.getMessage());
            }
        }
        return url;
    }

    /** The scheme, lower case; empty when absent. */
    String scheme() {
        return scheme;
    }

    /** Go's {@code URL.Host}: host and port, IPv6 in brackets; empty when absent. */
    String host() {
        return host;
    }

    /** Go's {@code URL.Hostname()}: the host without port, IPv6 without brackets. */
    String hostname() {
        return splitHostPort(host)[0];
    }

    /** Go's {@code URL.Port()}: the port digits, empty when absent. */
    String port() {
        return splitHostPort(host)[1];
    }

    /** Go's {@code URL.EscapedPath()}. */
    String escapedPath() {
        if (!rawPath.isEmpty() && validEncoded(rawPath)) {
            try {
                if (unescape(rawPath, Mode.PATH).equals(path)) {
                    return rawPath;
                }
            } catch (Problem ignored) {
                // fall through to escaping the path
            }
        }
        if (path.equals("*")) {
            return "*";
        }
        return escape(path, Mode.PATH);
    }

    /** Go's {@code URL.Query()}: {@code ParseQuery} of the raw query, pairs that do not parse dropped. */
    Map<String, List<String>> query() {
        Map<String, List<String>> m = new LinkedHashMap<>();
        String q = rawQuery;
        while (!q.isEmpty()) {
            int amp = q.indexOf('&');
            String key = amp < 0 ? q : q.substring(0, amp);
            q = amp < 0 ? "" : q.substring(amp + 1);
            if (key.contains(";") || key.isEmpty()) {
                continue;
            }
            int eq = key.indexOf('=');
            String value = eq < 0 ? "" : key.substring(eq + 1);
            key = eq < 0 ? key : key.substring(0, eq);
            try {
                String k = unescape(key, Mode.QUERY_COMPONENT);
                String v = unescape(value, Mode.QUERY_COMPONENT);
                m.computeIfAbsent(k, x -> new ArrayList<>()).add(v);
            } catch (Problem ignored) {
                // Go's Query() ignores the pairs that do not unescape
            }
        }
        return m;
    }

    // ---- Go's parse ----

    /** A problem inside parsing, before it is wrapped with the URL. */
    private static final class Problem extends Exception {
        private static final long serialVersionUID = 1L;

        Problem(String message) {
            super(message, null, false, false);
        }
    }

    private static GoUrl parse(String raw, boolean viaRequest) throws Problem {
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                throw new Problem("net/url: invalid control character in URL");
            }
        }
        if (raw.isEmpty() && viaRequest) {
            throw new Problem("empty url");
        }
        if (raw.equals("*")) {
            return new GoUrl("", "", "", "*", "", "");
        }
        String[] sr = scheme(raw);
        String scheme = sr[0].toLowerCase(java.util.Locale.ROOT);
        String rest = sr[1];
        String rawQuery = "";
        if (rest.endsWith("?") && rest.indexOf('?') == rest.length() - 1) {
            rest = rest.substring(0, rest.length() - 1);
        } else {
            int q = rest.indexOf('?');
            if (q >= 0) {
                rawQuery = rest.substring(q + 1);
                rest = rest.substring(0, q);
            }
        }
        if (!rest.startsWith("/")) {
            if (!scheme.isEmpty()) {
                return new GoUrl(scheme, rest, "", "", "", rawQuery);
            }
            if (viaRequest) {
                throw new Problem("invalid URI for request");
            }
            int slash = rest.indexOf('/');
            String segment = slash < 0 ? rest : rest.substring(0, slash);
            if (segment.contains(":")) {
                throw new Problem("first path segment in URL cannot contain colon");
            }
        }
        String host = "";
        if ((!scheme.isEmpty() || !viaRequest && !rest.startsWith("///")) && rest.startsWith("//")) {
            String authority = rest.substring(2);
            rest = "";
            int slash = authority.indexOf('/');
            if (slash >= 0) {
                rest = authority.substring(slash);
                authority = authority.substring(0, slash);
            }
            host = authority(authority);
        }
        String path = unescape(rest, Mode.PATH);
        String rawPath = escape(path, Mode.PATH).equals(rest) ? "" : rest;
        return new GoUrl(scheme, "", host, path, rawPath, rawQuery);
    }

    /** Go's {@code getScheme}: {scheme, rest}. */
    private static String[] scheme(String raw) throws Problem {
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
                continue;
            }
            if (c >= '0' && c <= '9' || c == '+' || c == '-' || c == '.') {
                if (i == 0) {
                    return new String[] {"", raw};
                }
                continue;
            }
            if (c == ':') {
                if (i == 0) {
                    throw new Problem("missing protocol scheme");
                }
                return new String[] {raw.substring(0, i), raw.substring(i + 1)};
            }
            return new String[] {"", raw};
        }
        return new String[] {"", raw};
    }

    /** Go's {@code parseAuthority}: validates the userinfo, returns the host. */
    private static String authority(String authority) throws Problem {
        int at = authority.lastIndexOf('@');
        String host = parseHost(at < 0 ? authority : authority.substring(at + 1));
        if (at >= 0) {
            String userinfo = authority.substring(0, at);
            if (!validUserinfo(userinfo)) {
                throw new Problem("net/url: invalid userinfo");
            }
            int colon = userinfo.indexOf(':');
            unescape(colon < 0 ? userinfo : userinfo.substring(0, colon), Mode.USER_PASSWORD);
            if (colon >= 0) {
                unescape(userinfo.substring(colon + 1), Mode.USER_PASSWORD);
            }
        }
        return host;
    }

    private static String parseHost(String host) throws Problem {
        if (host.startsWith("[")) {
            int close = host.lastIndexOf(']');
            if (close < 0) {
                throw new Problem("missing ']' in host");
            }
            String colonPort = host.substring(close + 1);
            if (!validOptionalPort(colonPort)) {
                throw new Problem("invalid port " + quote(colonPort) + " after host");
            }
            int zone = host.substring(0, close).indexOf("%25");
            if (zone >= 0) {
                String host1 = unescape(host.substring(0, zone), Mode.HOST);
                String host2 = unescape(host.substring(zone, close), Mode.ZONE);
                String host3 = unescape(host.substring(close), Mode.HOST);
                return host1 + host2 + host3;
            }
        } else {
            int colon = host.lastIndexOf(':');
            if (colon >= 0) {
                String colonPort = host.substring(colon);
                if (!validOptionalPort(colonPort)) {
                    throw new Problem("invalid port " + quote(colonPort) + " after host");
                }
            }
        }
        return unescape(host, Mode.HOST);
    }

    private static boolean validOptionalPort(String port) {
        if (port.isEmpty()) {
            return true;
        }
        if (port.charAt(0) != ':') {
            return false;
        }
        for (int i = 1; i < port.length(); i++) {
            char c = port.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    private static boolean validUserinfo(String s) {
        for (int i = 0; i < s.length(); i++) {
            char r = s.charAt(i);
            if (r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9') {
                continue;
            }
            if ("-._:~!$&'()*+,;=%@".indexOf(r) < 0) {
                return false;
            }
        }
        return true;
    }

    private static String[] splitHostPort(String hostPort) {
        String host = hostPort;
        String port = "";
        int colon = host.lastIndexOf(':');
        if (colon >= 0 && validOptionalPort(host.substring(colon))) {
            port = host.substring(colon + 1);
            host = host.substring(0, colon);
        }
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        return new String[] {host, port};
    }

    // ---- Go's escape / unescape over UTF-8 bytes ----

    private static boolean shouldEscape(int c, Mode mode) {
        if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
            return false;
        }
        if (mode == Mode.HOST || mode == Mode.ZONE) {
            if ("!$&'()*+,;=:[]<>\"".indexOf(c) >= 0) {
                return false;
            }
        }
        switch (c) {
            case '-', '_', '.', '~':
                return false;
            case '$', '&', '+', ',', '/', ':', ';', '=', '?', '@':
                switch (mode) {
                    case PATH:
                        return c == '?';
                    case USER_PASSWORD:
                        return c == '@' || c == '/' || c == '?' || c == ':';
                    case QUERY_COMPONENT:
                        return true;
                    case FRAGMENT:
                        return false;
                    default:
                        break;
                }
                break;
            default:
                break;
        }
        if (mode == Mode.FRAGMENT && "!()*".indexOf(c) >= 0) {
            return false;
        }
        return true;
    }

    private static boolean ishex(int c) {
        return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F';
    }

    private static int unhex(int c) {
        return c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
    }

    private static String unescape(String text, Mode mode) throws Problem {
        byte[] s = text.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < s.length;) {
            int c = s[i] & 0xFF;
            if (c == '%') {
                if (i + 2 >= s.length || !ishex(s[i + 1]) || !ishex(s[i + 2])) {
                    int end = Math.min(s.length, i + 3);
                    throw new Problem("invalid URL escape " + quote(new String(s, i, end - i, StandardCharsets.UTF_8)));
                }
                String escape = new String(s, i, 3, StandardCharsets.UTF_8);
                if (mode == Mode.HOST && unhex(s[i + 1]) < 8 && !escape.equals("%25")) {
                    throw new Problem("invalid URL escape " + quote(escape));
                }
                if (mode == Mode.ZONE) {
                    int v = unhex(s[i + 1]) << 4 | unhex(s[i + 2]);
                    if (!escape.equals("%25") && v != ' ' && shouldEscape(v, Mode.HOST)) {
                        throw new Problem("invalid URL escape " + quote(escape));
                    }
                }
                i += 3;
            } else {
                if ((mode == Mode.HOST || mode == Mode.ZONE) && c < 0x80 && shouldEscape(c, mode)) {
                    throw new Problem("invalid character " + quote(String.valueOf((char) c)) + " in host name");
                }
                i++;
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(s.length);
        for (int i = 0; i < s.length; i++) {
            int c = s[i] & 0xFF;
            if (c == '%') {
                out.write(unhex(s[i + 1]) << 4 | unhex(s[i + 2]));
                i += 2;
            } else if (c == '+' && mode == Mode.QUERY_COMPONENT) {
                out.write(' ');
            } else {
                out.write(c);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static String escape(String text, Mode mode) {
        byte[] s = text.getBytes(StandardCharsets.UTF_8);
        StringBuilder sb = new StringBuilder(s.length);
        for (byte b : s) {
            int c = b & 0xFF;
            if (shouldEscape(c, mode)) {
                if (c == ' ' && mode == Mode.QUERY_COMPONENT) {
                    sb.append('+');
                } else {
                    sb.append('%').append("0123456789ABCDEF".charAt(c >> 4)).append("0123456789ABCDEF".charAt(c & 15));
                }
            } else {
                sb.append((char) c);
            }
        }
        return sb.toString();
    }

    private static boolean validEncoded(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if ("!$&'()*+,;=:@[]%".indexOf(c) >= 0) {
                continue;
            }
            if (c >= 0x80 || shouldEscape(c, Mode.PATH)) {
                return false;
            }
        }
        return true;
    }

    /** Go's {@code %q} for the texts errors quote (printable ASCII as is, quotes and backslashes escaped). */
    private static String quote(String s) {
        return io.gatehouse.core.internal.GoText.quote(s);
    }
}
