package io.gatehouse.examples.gateway;

import io.gatehouse.core.UserInfo;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Kubernetes' answers on the wire: JSON objects, {@code Status} failures, {@code UserInfo} and warnings. */
final class Responses {

    private Responses() {
    }

    /** A {@code Status} failure with Kubernetes' fields, as kube-apiserver answers errors. */
    static void status(Exchange ex, int code, String reason, String message) {
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
    static void json(Exchange ex, int code, Object body) {
        bytes(ex, code, "application/json", WireJson.write(body));
    }

    /** A ready JSON document (a discovery document, a JWKS) with status {@code code}. */
    static void bytes(Exchange ex, int code, String contentType, String body) {
        ex.send(code, contentType, body.getBytes(StandardCharsets.UTF_8));
    }

    /** Kubernetes' {@code Warning: 299 - "…"} headers, one per warning. */
    static void warnings(Exchange ex, List<String> warnings) {
        for (String w : warnings) {
            ex.addResponseHeader("Warning", "299 - \"" + w.replace("\"", "'") + "\"");
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
