package io.gatehouse.jwt;

import com.nimbusds.jose.util.JSONObjectUtils;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * The claims of a token: a JSON object parsed strictly (duplicate member names and deep nesting rejected by
 * Nimbus' strict JSON reader) with typed, bounded accessors.
 *
 * <p>Immutable and thread-safe. Values are what the JSON reader produced: String, Boolean, Long or Double,
 * List, Map, or null for JSON null.
 */
public final class JwtClaims {

    /** The latest NumericDate accepted: 9999-12-31T23:59:59Z. Larger values overflow naive conversions. */
    public static final long MAX_NUMERIC_DATE = 253_402_300_799L;

    private final Map<String, Object> claims;

    private JwtClaims(Map<String, Object> claims) {
        this.claims = Collections.unmodifiableMap(claims);
    }

    /**
     * Parses a payload as a JSON object.
     *
     * @param payload the decoded JWT payload; not null
     * @return the claims, unmodifiable
     * @throws JwtException of kind MALFORMED if it is not UTF-8 or not a JSON object
     */
    public static JwtClaims parse(byte[] payload) throws JwtException {
        return new JwtClaims(parseObject(payload, "claims"));
    }

    static Map<String, Object> parseObject(byte[] json, String what) throws JwtException {
        String text;
        if (isAscii(json)) {
            // The common case: ASCII is valid UTF-8, and the Latin-1 decoding of ASCII is exact and copies once.
            text = new String(json, StandardCharsets.ISO_8859_1);
        } else {
            text = strictUtf8(json, what);
        }
        Map<String, Object> object;
        try {
            object = JSONObjectUtils.parse(text);
        } catch (ParseException | RuntimeException e) {
            // The parser's message may quote input; keep only the fact.
            throw JwtException.of(JwtException.Kind.MALFORMED, what + " are not a JSON object");
        }
        if (object == null) { // the JSON literal null
            throw JwtException.of(JwtException.Kind.MALFORMED, what + " are not a JSON object");
        }
        return object;
    }

    private static boolean isAscii(byte[] bytes) {
        for (byte b : bytes) {
            if (b < 0) {
                return false;
            }
        }
        return true;
    }

    private static String strictUtf8(byte[] json, String what) throws JwtException {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(json)).toString();
        } catch (CharacterCodingException e) {
            throw JwtException.of(JwtException.Kind.MALFORMED, what + " are not UTF-8");
        }
    }

    /**
     * All claims, unmodifiable; never null.
     *
     * @return the claims by name
     */
    public Map<String, Object> asMap() {
        return claims;
    }

    /**
     * Whether the claim is present (even as JSON null).
     *
     * @param name the claim name
     * @return true if the payload has member {@code name}
     */
    public boolean has(String name) {
        return claims.containsKey(name);
    }

    /**
     * The raw value, or null when absent or JSON null.
     *
     * @param name the claim name
     * @return the value as parsed from JSON (a String, Number, Boolean, List or Map), or null
     */
    public Object get(String name) {
        return claims.get(name);
    }

    /**
     * The claim as a string, or null when absent or not a string.
     *
     * @param name the claim name
     * @return the string value, or null
     */
    public String stringOrNull(String name) {
        return claims.get(name) instanceof String s ? s : null;
    }

    /**
     * {@code aud} as a list: a string is a list of one, absent is empty.
     *
     * @return the audiences in token order; empty when {@code aud} is absent or JSON null
     * @throws JwtException of kind MALFORMED if it is neither a string nor an array of strings
     */
    public List<String> audiences() throws JwtException {
        Object aud = claims.get("aud");
        if (aud == null) {
            return List.of();
        }
        if (aud instanceof String s) {
            return List.of(s);
        }
        if (aud instanceof List<?> list) {
            List<String> out = new ArrayList<>(list.size());
            for (Object o : list) {
                if (!(o instanceof String s)) {
                    throw JwtException.of(JwtException.Kind.MALFORMED, "claim aud must be a string or an array of strings");
                }
                out.add(s);
            }
            return out;
        }
        throw JwtException.of(JwtException.Kind.MALFORMED, "claim aud must be a string or an array of strings");
    }

    /**
     * A NumericDate claim, truncated to whole seconds.
     *
     * @param name the claim name, e.g. {@code exp}
     * @return the instant, or null when absent
     * @throws JwtException of kind MALFORMED if it is not a number in [0, {@link #MAX_NUMERIC_DATE}]
     */
    public Instant numericDate(String name) throws JwtException {
        Object v = claims.get(name);
        if (v == null) {
            return null;
        }
        long seconds;
        if (v instanceof Long l) {
            seconds = l;
        } else if (v instanceof Double d && Double.isFinite(d) && d >= 0 && d <= MAX_NUMERIC_DATE) {
            seconds = (long) Math.floor(d);
        } else {
            throw JwtException.of(JwtException.Kind.MALFORMED, "claim " + name + " is not a valid NumericDate");
        }
        if (seconds < 0 || seconds > MAX_NUMERIC_DATE) {
            throw JwtException.of(JwtException.Kind.MALFORMED, "claim " + name + " is not a valid NumericDate");
        }
        return Instant.ofEpochSecond(seconds);
    }

    /** Names only: claim values may be personal data. */
    @Override
    public String toString() {
        return "JwtClaims" + claims.keySet();
    }
}
