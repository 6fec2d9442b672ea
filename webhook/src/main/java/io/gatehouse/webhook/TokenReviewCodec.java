package io.gatehouse.webhook;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * TokenReview on the wire, {@code authentication.k8s.io/v1} or {@code v1beta1} (the same fields). Requests are
 * written as Go's client writes them; responses are read as client-go's strict decoder reads them: field names
 * case-sensitive, every field type-checked (a number where a string belongs is an error, not a coercion), a JSON
 * {@code null} as the zero value, a missing {@code apiVersion} or {@code kind} defaulted but a wrong one refused.
 * Jackson reads the tree with a nesting limit; the body's size is capped before it gets here.
 */
final class TokenReviewCodec {

    /** The group every TokenReview belongs to. */
    static final String GROUP = "authentication.k8s.io";

    /** The answer's {@code status}: unset fields read as Go's zero values. */
    record Status(boolean authenticated, String username, String uid, List<String> groups,
                  Map<String, List<String>> extra, List<String> audiences, String error) {
    }

    private static final ObjectMapper JSON = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(32).build())
            .build());

    private final String apiVersion;

    TokenReviewCodec(String version) {
        this.apiVersion = GROUP + "/" + version;
    }

    /** The request body: {@code spec.token}, and {@code spec.audiences} when there are any. */
    byte[] request(String token, List<String> audiences) {
        ObjectNode root = JSON.createObjectNode();
        root.put("apiVersion", apiVersion);
        root.put("kind", "TokenReview");
        root.putObject("metadata").putNull("creationTimestamp");
        ObjectNode spec = root.putObject("spec");
        spec.put("token", token);
        if (!audiences.isEmpty()) {
            ArrayNode auds = spec.putArray("audiences");
            audiences.forEach(auds::add);
        }
        root.putObject("status").putObject("user");
        try {
            return JSON.writeValueAsBytes(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tree of strings always serialises", e);
        }
    }

    /**
     * Reads a response body.
     *
     * @throws IllegalArgumentException naming what is wrong (never quoting the body) if it is not this version's
     *                                  TokenReview
     */
    Status response(byte[] body) {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (IOException e) {
            throw new IllegalArgumentException("the response is not JSON");
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("the response is not a JSON object");
        }
        String version = string(root, "apiVersion", "apiVersion");
        if (!version.isEmpty() && !version.equals(apiVersion)) {
            throw new IllegalArgumentException("the response is apiVersion " + quoteShort(version) + ", expected " + apiVersion);
        }
        String kind = string(root, "kind", "kind");
        if (!kind.isEmpty() && !kind.equals("TokenReview")) {
            throw new IllegalArgumentException("the response is kind " + quoteShort(kind) + ", expected TokenReview");
        }
        JsonNode status = object(root, "status", "status");
        JsonNode user = object(status, "user", "status.user");
        JsonNode authenticated = status.get("authenticated");
        if (authenticated != null && !authenticated.isNull() && !authenticated.isBoolean()) {
            throw new IllegalArgumentException("status.authenticated must be a boolean");
        }
        return new Status(authenticated != null && authenticated.asBoolean(),
                string(user, "username", "status.user.username"),
                string(user, "uid", "status.user.uid"),
                strings(user.get("groups"), "status.user.groups"),
                extra(user.get("extra")),
                strings(status.get("audiences"), "status.audiences"),
                string(status, "error", "status.error"));
    }

    private static Map<String, List<String>> extra(JsonNode node) {
        if (node == null || node.isNull()) {
            return Map.of();
        }
        if (!node.isObject()) {
            throw new IllegalArgumentException("status.user.extra must be an object");
        }
        Map<String, List<String>> extra = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            extra.put(e.getKey(), strings(e.getValue(), "status.user.extra values"));
        }
        return extra;
    }

    /** A {@code []string}: null reads as empty, and a null element as "" (Go's zero value). */
    private static List<String> strings(JsonNode node, String field) {
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (!node.isArray()) {
            throw new IllegalArgumentException(field + " must be an array of strings");
        }
        List<String> out = new ArrayList<>(node.size());
        for (JsonNode e : node) {
            if (e.isNull()) {
                out.add("");
            } else if (e.isTextual()) {
                out.add(e.textValue());
            } else {
                throw new IllegalArgumentException(field + " must be an array of strings");
            }
        }
        return out;
    }

    private static JsonNode object(JsonNode parent, String key, String field) {
        JsonNode node = parent.get(key);
        if (node == null || node.isNull()) {
            return JSON.createObjectNode();
        }
        if (!node.isObject()) {
            throw new IllegalArgumentException(field + " must be an object");
        }
        return node;
    }

    private static String string(JsonNode parent, String key, String field) {
        JsonNode node = parent.get(key);
        if (node == null || node.isNull()) {
            return "";
        }
        if (!node.isTextual()) {
            throw new IllegalArgumentException(field + " must be a string");
        }
        return node.textValue();
    }

    /** A remote-supplied value in a message: quoted as Go would, and cut short so that a hostile server cannot flood logs. */
    static String quoteShort(String s) {
        return io.gatehouse.core.internal.GoText.quote(s.length() > 64 ? s.substring(0, 64) + "…" : s);
    }
}
