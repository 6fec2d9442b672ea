package io.gatehouse.x509;

import io.gatehouse.core.ConfigurationException;
import io.gatehouse.core.internal.BoundedYaml;
import io.gatehouse.core.internal.PemCertificates;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Kubernetes' {@code kube-system/extension-apiserver-authentication} ConfigMap written as a YAML file (as
 * {@code kubectl get configmap -o yaml} prints it), read as a delegating API server's
 * {@code DynamicRequestHeaderController} reads it: {@code requestheader-client-ca-file} a PEM bundle, the header and
 * allowed-name lists JSON arrays of strings held in strings ({@code '["X-Remote-User"]'}); a missing or empty key
 * reads as no list (so no username header: the authenticator does nothing, and no common-name restriction). Keys
 * it does not know ({@code client-ca-file} among them) are left alone, as Kubernetes does.
 */
final class AuthenticationConfigMap {

    static final String CA = "requestheader-client-ca-file";
    static final String USERNAME = "requestheader-username-headers";
    static final String UID = "requestheader-uid-headers";
    static final String GROUP = "requestheader-group-headers";
    static final String EXTRA = "requestheader-extra-headers-prefix";
    static final String ALLOWED = "requestheader-allowed-names";

    /**
     * One version of the ConfigMap.
     *
     * @param caBundle     the front proxy's CAs; empty when the key is missing or empty (then no request is trusted)
     * @param headers      the header lists
     * @param allowedNames the allowed common names; empty: any
     */
    record Content(List<X509Certificate> caBundle, IdentityHeaders headers, List<String> allowedNames) {
        String summary() {
            return caBundle.size() + " front-proxy CA certificate(s), username headers " + headers.usernames();
        }
    }

    private AuthenticationConfigMap() {
    }

    /**
     * Reads {@code file}.
     *
     * @throws ConfigurationException naming the file and the key, if it is not a ConfigMap or a value is invalid
     * @throws IOException            if it cannot be read
     */
    static Content parse(Path file) throws IOException {
        String source = file.toString();
        byte[] bytes = TrustAnchors.readCapped(file, TrustAnchors.MAX_BUNDLE_BYTES, "ConfigMap");
        Object doc = BoundedYaml.load(new String(bytes, StandardCharsets.UTF_8), source);
        if (!(doc instanceof Map<?, ?> map)) {
            throw new ConfigurationException(source, "expected a ConfigMap (a map with 'data'), as kubectl get configmap "
                    + "extension-apiserver-authentication -n kube-system -o yaml prints it");
        }
        Object kind = map.get("kind");
        if (kind != null && !"ConfigMap".equals(kind)) {
            throw new ConfigurationException(source, null, "kind", "must be ConfigMap, found " + kind, null);
        }
        Object data = map.get("data");
        if (data == null) {
            data = Map.of();
        }
        if (!(data instanceof Map<?, ?> values)) {
            throw new ConfigurationException(source, null, "data", "must be a map of strings", null);
        }
        List<X509Certificate> ca = List.of();
        String pem = string(source, values, CA);
        if (pem != null && !pem.isEmpty()) {
            try {
                ca = PemCertificates.parse(pem);
            } catch (RuntimeException e) {
                throw new ConfigurationException(source, "data", CA, "is not a PEM certificate bundle: " + e.getMessage(), null);
            }
            if (ca.isEmpty()) {
                throw new ConfigurationException(source, "data", CA, "missing content for CA bundle \"" + CA + "\"", null);
            }
        }
        IdentityHeaders headers = new IdentityHeaders(list(source, values, USERNAME), list(source, values, UID),
                list(source, values, GROUP), list(source, values, EXTRA));
        return new Content(ca, headers, list(source, values, ALLOWED));
    }

    private static String string(String source, Map<?, ?> data, String key) {
        Object v = data.get(key);
        if (v == null) {
            return null;
        }
        if (!(v instanceof String s)) {
            throw new ConfigurationException(source, "data", key, "must be a string", null);
        }
        return s;
    }

    private static List<String> list(String source, Map<?, ?> data, String key) {
        String v = string(source, data, key);
        if (v == null || v.isEmpty()) {
            return List.of();
        }
        try {
            return JsonStringArray.parse(v);
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(source, "data", key, "must be a JSON array of strings such as "
                    + "[\"X-Remote-User\"]: " + e.getMessage(), null);
        }
    }

    /** A strict parser of a JSON array of strings (or {@code null}), as Go's {@code json.Unmarshal} into {@code []string}. */
    static final class JsonStringArray {
        private final String text;
        private int at;

        private JsonStringArray(String text) {
            this.text = text;
        }

        /** @throws IllegalArgumentException naming the offset of the first error */
        static List<String> parse(String text) {
            JsonStringArray p = new JsonStringArray(text);
            p.space();
            if (text.startsWith("null", p.at)) {
                p.at += 4;
                p.end();
                return List.of();
            }
            p.expect('[');
            List<String> out = new ArrayList<>();
            p.space();
            if (p.peek() == ']') {
                p.at++;
            } else {
                while (true) {
                    p.space();
                    out.add(p.string());
                    p.space();
                    char c = p.next();
                    if (c == ']') {
                        break;
                    }
                    if (c != ',') {
                        throw p.error("expected , or ]");
                    }
                }
            }
            p.end();
            return List.copyOf(out);
        }

        private void end() {
            space();
            if (at != text.length()) {
                throw error("unexpected text after the array");
            }
        }

        private String string() {
            expect('"');
            StringBuilder sb = new StringBuilder();
            while (true) {
                char c = next();
                if (c == '"') {
                    return sb.toString();
                }
                if (c < 0x20) {
                    throw error("control character in a string");
                }
                if (c != '\\') {
                    sb.append(c);
                    continue;
                }
                char e = next();
                switch (e) {
                    case '"', '\\', '/' -> sb.append(e);
                    case 'b' -> sb.append('\b');
                    case 'f' -> sb.append('\f');
                    case 'n' -> sb.append('\n');
                    case 'r' -> sb.append('\r');
                    case 't' -> sb.append('\t');
                    case 'u' -> {
                        if (at + 4 > text.length()) {
                            throw error("short \\u escape");
                        }
                        try {
                            sb.append((char) Integer.parseInt(text.substring(at, at + 4), 16));
                        } catch (NumberFormatException ex) {
                            throw error("bad \\u escape");
                        }
                        at += 4;
                    }
                    default -> throw error("bad escape");
                }
            }
        }

        private void expect(char c) {
            if (next() != c) {
                throw error("expected " + c);
            }
        }

        private char peek() {
            return at < text.length() ? text.charAt(at) : 0;
        }

        private char next() {
            if (at >= text.length()) {
                throw error("unexpected end");
            }
            return text.charAt(at++);
        }

        private void space() {
            while (at < text.length() && " \t\r\n".indexOf(text.charAt(at)) >= 0) {
                at++;
            }
        }

        private IllegalArgumentException error(String what) {
            return new IllegalArgumentException(what + " at offset " + at);
        }
    }
}
