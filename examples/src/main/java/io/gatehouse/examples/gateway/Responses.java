package io.gatehouse.examples.gateway;

import com.sun.net.httpserver.HttpExchange;
import io.gatehouse.core.UserInfo;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Kubernetes' answers on the wire: JSON objects, {@code Status} failures, {@code UserInfo} and warnings. */
final class Responses {

    private Responses() {
    }

    /** A {@code Status} failure with Kubernetes' fields, as kube-apiserver answers errors. */
    static void status(HttpExchange ex, int code, String reason, String message) throws IOException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("kind", "Status");
        body.put("apiVersion", "v1");
        body.put("metadata", Map.of());
        body.put("status", "Failure");
        body.put("message", message);
        body.put("reason", reason);
        body.put("code", code);
        json(ex, code, body);
    }

    /** {@code body} as JSON with status {@code code}. */
    static void json(HttpExchange ex, int code, Object body) throws IOException {
        bytes(ex, code, "application/json", WireJson.write(body));
    }

    /** A ready JSON document (a discovery document, a JWKS) with status {@code code}. */
    static void bytes(HttpExchange ex, int code, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", contentType);
        ex.sendResponseHeaders(code, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    /** Kubernetes' {@code Warning: 299 - "…"} headers, one per warning. */
    static void warnings(HttpExchange ex, List<String> warnings) {
        for (String w : warnings) {
            ex.getResponseHeaders().add("Warning", "299 - \"" + w.replace("\"", "'") + "\"");
        }
    }

    /** Kubernetes' {@code UserInfo} object: empty uid and extra omitted, as Go's {@code omitempty}. */
    static Map<String, Object> userInfo(UserInfo u) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("username", u.name());
        if (!u.uid().isEmpty()) {
            m.put("uid", u.uid());
        }
        m.put("groups", u.groups());
        if (!u.extra().isEmpty()) {
            m.put("extra", u.extra());
        }
        return m;
    }
}
