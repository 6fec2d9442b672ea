package io.gatehouse.examples.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The spec of a TokenRequest body, as JSON or as the Kubernetes protobuf kubectl sends
 * ({@code application/vnd.kubernetes.protobuf}: the {@code k8s\0} magic, a {@code runtime.Unknown} whose
 * field 2 holds the TokenRequest; spec is its field 2 with audiences 1, boundObjectRef 3 (kind 1,
 * apiVersion 2, name 3, uid 4) and expirationSeconds 4). Only those fields are read; the rest is skipped.
 *
 * @param audiences         requested audiences, empty for the API audiences
 * @param expirationSeconds requested lifetime, or null for the default
 * @param boundObjectRef    kind, name and uid of the object to bind to, or empty
 */
record TokenRequestBody(List<String> audiences, Long expirationSeconds, Map<String, String> boundObjectRef) {

    private static final byte[] MAGIC = {'k', '8', 's', 0};

    static TokenRequestBody parse(byte[] body, String contentType) {
        if (body.length == 0) {
            return new TokenRequestBody(List.of(), null, Map.of());
        }
        if (contentType != null && contentType.startsWith("application/vnd.kubernetes.protobuf")) {
            return protobuf(body);
        }
        return json(body);
    }

    private static TokenRequestBody json(byte[] body) {
        try {
            JsonNode spec = WireJson.object(WireJson.readObject(body), "spec");
            if (spec == null) {
                return new TokenRequestBody(List.of(), null, Map.of());
            }
            JsonNode expiration = spec.get("expirationSeconds");
            Long seconds = expiration != null && expiration.isNumber() ? expiration.longValue() : null;
            Map<String, String> ref = new LinkedHashMap<>();
            JsonNode bound = WireJson.object(spec, "boundObjectRef");
            if (bound != null) {
                for (String k : List.of("kind", "name", "uid")) {
                    String v = WireJson.string(bound, k);
                    if (v != null) {
                        ref.put(k, v);
                    }
                }
            }
            return new TokenRequestBody(WireJson.strings(spec, "audiences"), seconds, ref);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the body is not a TokenRequest");
        }
    }

    private static TokenRequestBody protobuf(byte[] body) {
        for (int i = 0; i < MAGIC.length; i++) {
            if (body.length < MAGIC.length || body[i] != MAGIC[i]) {
                throw new IllegalArgumentException("the body is not a Kubernetes protobuf object");
            }
        }
        byte[] raw = new Reader(body, MAGIC.length, body.length).bytesOf(2);
        byte[] spec = raw == null ? null : new Reader(raw, 0, raw.length).bytesOf(2);
        List<String> audiences = new ArrayList<>();
        Long seconds = null;
        Map<String, String> ref = new LinkedHashMap<>();
        if (spec != null) {
            Reader r = new Reader(spec, 0, spec.length);
            while (r.more()) {
                long key = r.varint();
                int field = (int) (key >>> 3);
                int type = (int) (key & 7);
                if (field == 1 && type == 2) {
                    audiences.add(new String(r.lengthDelimited(), StandardCharsets.UTF_8));
                } else if (field == 4 && type == 0) {
                    seconds = r.varint();
                } else if (field == 3 && type == 2) {
                    byte[] b = r.lengthDelimited();
                    Reader br = new Reader(b, 0, b.length);
                    while (br.more()) {
                        long k = br.varint();
                        int f = (int) (k >>> 3);
                        if ((k & 7) != 2) {
                            br.skip((int) (k & 7));
                            continue;
                        }
                        String v = new String(br.lengthDelimited(), StandardCharsets.UTF_8);
                        switch (f) {
                            case 1 -> ref.put("kind", v);
                            case 3 -> ref.put("name", v);
                            case 4 -> ref.put("uid", v);
                            default -> {
                            }
                        }
                    }
                } else {
                    r.skip(type);
                }
            }
        }
        return new TokenRequestBody(List.copyOf(audiences), seconds, ref);
    }

    /** A bounds-checked protobuf wire-format reader; anything malformed is an IllegalArgumentException. */
    private static final class Reader {
        private final byte[] b;
        private int pos;
        private final int end;

        Reader(byte[] b, int from, int to) {
            this.b = b;
            this.pos = from;
            this.end = to;
        }

        boolean more() {
            return pos < end;
        }

        long varint() {
            long result = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                if (pos >= end) {
                    throw new IllegalArgumentException("truncated protobuf");
                }
                byte x = b[pos++];
                result |= (long) (x & 0x7f) << shift;
                if (x >= 0) {
                    return result;
                }
            }
            throw new IllegalArgumentException("malformed protobuf varint");
        }

        byte[] lengthDelimited() {
            long len = varint();
            if (len < 0 || len > end - pos) {
                throw new IllegalArgumentException("truncated protobuf");
            }
            byte[] out = java.util.Arrays.copyOfRange(b, pos, pos + (int) len);
            pos += (int) len;
            return out;
        }

        void skip(int type) {
            switch (type) {
                case 0 -> varint();
                case 1 -> advance(8);
                case 2 -> lengthDelimited();
                case 5 -> advance(4);
                default -> throw new IllegalArgumentException("unsupported protobuf wire type " + type);
            }
        }

        private void advance(int n) {
            if (n > end - pos) {
                throw new IllegalArgumentException("truncated protobuf");
            }
            pos += n;
        }

        /** The bytes of the first length-delimited {@code field}, or null. */
        byte[] bytesOf(int field) {
            while (more()) {
                long key = varint();
                if ((key >>> 3) == field && (key & 7) == 2) {
                    return lengthDelimited();
                }
                skip((int) (key & 7));
            }
            return null;
        }
    }
}
