package io.gatehouse.oidc;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;

/** Go's formatting of the few values Kubernetes' OIDC messages print, so operators see the same text. */
final class GoFormat {

    private static final DateTimeFormatter GO_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

    private GoFormat() {
    }

    /** {@code %v} of a UTC {@code time.Time}; null is Go's zero time (a missing exp). */
    static String time(Instant t) {
        return t == null ? "0001-01-01 00:00:00 +0000 UTC" : GO_TIME.format(t) + " +0000 UTC";
    }

    /** The JSON type name encoding/json uses in "cannot unmarshal X into Go value of type Y". */
    static String jsonType(Object v) {
        if (v instanceof String) {
            return "string";
        }
        if (v instanceof Number) {
            return "number";
        }
        if (v instanceof Boolean) {
            return "bool";
        }
        if (v instanceof List) {
            return "array";
        }
        if (v instanceof Map) {
            return "object";
        }
        return "null";
    }

    /** encoding/json's type error, without the value (Kubernetes never echoes a claim value here). */
    static String unmarshalError(Object v, String goType) {
        return "json: cannot unmarshal " + jsonType(v) + " into Go value of type " + goType;
    }
}
