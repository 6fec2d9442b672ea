package io.gatehouse.examples.gateway;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The gateway's one JSON codec (Jackson) for Kubernetes' wire formats and the audit log. Reading is bounded
 * (nesting depth, string and number lengths, duplicate keys refused), so a hostile body costs little and
 * yields a 400, never a 500. Thread-safe.
 */
final class WireJson {

    private static final ObjectMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder()
                            .maxNestingDepth(32)
                            .maxStringLength(64 * 1024)
                            .maxNumberLength(32)
                            .build())
                    .build())
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private WireJson() {
    }

    /** Maps (insertion order kept), lists, strings, numbers, booleans and null, as compact JSON. */
    static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a JSON value: " + e.getOriginalMessage());
        }
    }

    /**
     * The JSON object in {@code body}.
     *
     * @throws IllegalArgumentException if the body is not one JSON object within the limits
     */
    static JsonNode readObject(byte[] body) {
        JsonNode node;
        try {
            node = MAPPER.readTree(body);
        } catch (IOException e) {
            throw new IllegalArgumentException("not JSON");
        }
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("not a JSON object");
        }
        return node;
    }

    /** The text of {@code node.field}, null when absent or JSON null; a field of another type is an error. */
    static String string(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw new IllegalArgumentException(field + " is not a string");
        }
        return v.textValue();
    }

    /** The strings of {@code node.field}, empty when absent or JSON null; anything but an array of strings is an error. */
    static List<String> strings(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return List.of();
        }
        if (!v.isArray()) {
            throw new IllegalArgumentException(field + " is not a list");
        }
        List<String> out = new ArrayList<>(v.size());
        for (JsonNode e : v) {
            if (!e.isTextual()) {
                throw new IllegalArgumentException(field + " holds a non-string");
            }
            out.add(e.textValue());
        }
        return out;
    }

    /** The object {@code node.field}, null when absent or JSON null; anything else is an error. */
    static JsonNode object(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isObject()) {
            throw new IllegalArgumentException(field + " is not an object");
        }
        return v;
    }
}
