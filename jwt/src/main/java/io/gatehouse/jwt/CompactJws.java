package io.gatehouse.jwt;

import java.lang.ref.WeakReference;
import java.util.Collections;
import java.util.Map;
import java.util.Set;

/**
 * A token in JWS compact serialisation, checked strictly before any cryptography: a length cap first, then
 * exactly three segments, each canonical base64url, a JSON-object header with a string {@code alg}. It
 * refuses what a bearer-token verifier must never process: JSON serialisation, JWE (five segments or an
 * {@code enc} header), {@code alg: none} in any spelling, an empty signature, any {@code crit} (the engine
 * implements no extension), {@code b64} (RFC 7797) and {@code zip}. Header-supplied keys ({@code jwk},
 * {@code jku}, {@code x5u}, {@code x5c}) are never read: keys come only from configuration.
 *
 * <p>The payload's claims are parsed on first use, so the signature-only use (conformance vectors) does
 * not need a JSON payload. Immutable apart from that memo; thread-safe.
 *
 * <p>Tokens of one issuer carry byte-identical headers, so the result of checking the last header segment
 * whose values are all strings is remembered (one entry, replaced atomically): a token with exactly that
 * segment skips the header's decode and JSON parse. The memo holds only what the checks derived from that
 * segment, so it cannot change an outcome; a token with another header is checked in full.
 */
public final class CompactJws {

    /** The default cap on a token's length: 16 KiB. */
    public static final int DEFAULT_MAX_LENGTH = 16 * 1024;

    /** The longest {@code kid} accepted; a kid is only a map key, but it must not be unbounded. */
    public static final int MAX_KEY_ID_LENGTH = 1024;

    private static final Set<String> REFUSED_HEADERS = Set.of("enc", "crit", "b64", "zip");

    /** Longer header segments are not memoised: real ones are under 200 characters. */
    private static final int MAX_MEMO_HEADER_LENGTH = 512;

    /** A header segment that passed every check, and what the checks derived from it. */
    private record CheckedHeader(String segment, String algorithm, String keyId, Map<String, Object> header) {
    }

    private static volatile CheckedHeader lastHeader;

    /**
     * The last claims read on this thread ({@link #untrustedIssuer} or {@link #claims()}), for the next read
     * of the very same token string: a chain hands one token to several authenticators (OIDC parses it,
     * the service account authenticator reads its issuer, then parses it), and the payload's JSON need be
     * parsed only once. Matched by identity, so only the same String object reuses it; claims are a pure
     * function of the payload, so reuse cannot change a result. Held weakly: once the request drops the
     * token and its claims, nothing here keeps them alive.
     */
    private record ReadClaims(String token, byte[] payload, JwtClaims claims) {
    }

    private static final ThreadLocal<WeakReference<ReadClaims>> LAST_READ = new ThreadLocal<>();

    private final String algorithm;
    private final String keyId;
    private final Map<String, Object> header;
    private final byte[] payload;
    private final byte[] signingInput;
    private final byte[] signatureBytes;
    /** Only the identity key of {@link #LAST_READ}; never printed. */
    private final String token;
    private volatile JwtClaims claims;

    private CompactJws(String token, String algorithm, String keyId, Map<String, Object> header, byte[] payload,
                       byte[] signingInput, byte[] signatureBytes) {
        this.token = token;
        this.algorithm = algorithm;
        this.keyId = keyId;
        this.header = header;
        this.payload = payload;
        this.signingInput = signingInput;
        this.signatureBytes = signatureBytes;
    }

    /**
     * Parses {@code token} strictly.
     *
     * @param token     the token; null is treated as empty
     * @param maxLength the longest token accepted, in characters
     * @return the parsed token; its signature is not yet verified
     * @throws JwtException of kind TOO_LARGE, MALFORMED or UNSUPPORTED_ALGORITHM ({@code none})
     */
    public static CompactJws parse(String token, int maxLength) throws JwtException {
        if (token == null || token.isEmpty()) {
            throw malformed("empty token");
        }
        if (token.length() > maxLength) {
            throw JwtException.of(JwtException.Kind.TOO_LARGE, "token is longer than " + maxLength + " characters");
        }
        char first = token.charAt(0);
        if (first == '{' || Character.isWhitespace(first)) {
            throw malformed("only the JWS compact serialization is supported");
        }
        int d1 = token.indexOf('.');
        int d2 = d1 < 0 ? -1 : token.indexOf('.', d1 + 1);
        if (d2 < 0) {
            throw malformed("compact JWS must have three segments");
        }
        int d3 = token.indexOf('.', d2 + 1);
        if (d3 >= 0) {
            int d4 = token.indexOf('.', d3 + 1);
            boolean five = d4 >= 0 && token.indexOf('.', d4 + 1) < 0;
            throw malformed(five ? "encrypted tokens (JWE) are not supported" : "compact JWS must have three segments");
        }
        if (d1 == 0) {
            throw malformed("missing header");
        }
        if (d2 == token.length() - 1) {
            throw malformed("missing signature");
        }
        CheckedHeader checked = lastHeader;
        byte[] headerBytes = null;
        if (checked == null || checked.segment().length() != d1 || !token.regionMatches(0, checked.segment(), 0, d1)) {
            checked = null;
            headerBytes = Base64Url.decode(token, 0, d1);
            if (headerBytes == null) {
                throw malformed("header is not strict base64url");
            }
        }
        ReadClaims read = lastRead(token);
        // The memo decoded exactly this token's payload range (same first two dots) with the same decoder.
        byte[] payload = read != null ? read.payload() : Base64Url.decode(token, d1 + 1, d2);
        if (payload == null) {
            throw malformed("payload is not strict base64url");
        }
        byte[] sig = Base64Url.decode(token, d2 + 1, token.length());
        if (sig == null) {
            throw malformed("signature is not strict base64url");
        }
        if (checked == null) {
            checked = checkHeader(token.substring(0, d1), headerBytes);
            if (checked.segment().length() <= MAX_MEMO_HEADER_LENGTH && onlyStrings(checked.header())) {
                lastHeader = checked;
            }
        }
        // Every segment decoded as strict base64url, so the signing input is ASCII: one char, one byte.
        byte[] signingInput = new byte[d2];
        for (int i = 0; i < d2; i++) {
            signingInput[i] = (byte) token.charAt(i);
        }
        CompactJws jws = new CompactJws(token, checked.algorithm(), checked.keyId(), checked.header(), payload, signingInput, sig);
        if (read != null) {
            jws.claims = read.claims();
        }
        return jws;
    }

    private static CheckedHeader checkHeader(String segment, byte[] headerBytes) throws JwtException {
        Map<String, Object> header;
        try {
            header = JwtClaims.parseObject(headerBytes, "header");
        } catch (JwtException e) {
            throw malformed("header is not a JSON object");
        }
        for (String refused : REFUSED_HEADERS) {
            if (header.containsKey(refused)) {
                throw malformed(switch (refused) {
                    case "enc" -> "encrypted tokens (JWE) are not supported";
                    case "crit" -> "critical header parameters are not supported";
                    case "b64" -> "unencoded payloads (b64) are not supported";
                    default -> "compressed payloads (zip) are not supported";
                });
            }
        }
        if (!(header.get("alg") instanceof String alg) || alg.isEmpty()) {
            throw malformed("header has no alg");
        }
        if (alg.equalsIgnoreCase("none")) {
            throw JwtException.algorithm(alg);
        }
        Object kidValue = header.get("kid");
        String kid = null;
        if (kidValue != null) {
            if (!(kidValue instanceof String s) || s.length() > MAX_KEY_ID_LENGTH) {
                throw malformed("header kid must be a string of at most " + MAX_KEY_ID_LENGTH + " characters");
            }
            kid = s;
        }
        return new CheckedHeader(segment, alg, kid, Collections.unmodifiableMap(header));
    }

    /** Whether sharing the header map between tokens is safe: no nested, mutable values. */
    private static boolean onlyStrings(Map<String, Object> header) {
        for (Object v : header.values()) {
            if (!(v instanceof String)) {
                return false;
            }
        }
        return true;
    }

    /**
     * The {@code iss} of a token that is at least readable: three segments with a strict base64url JSON
     * payload. Used to decide whether a token that failed {@link #parse} belongs to a known issuer (then it
     * is rejected, not passed on). Does no more work than one payload decode.
     *
     * @param token     the token, possibly null
     * @param maxLength the longest token read, in characters
     * @return the issuer, or null when the token is not readable that far
     */
    public static String untrustedIssuer(String token, int maxLength) {
        if (token == null || token.length() > maxLength || token.startsWith("{")) {
            return null;
        }
        int d1 = token.indexOf('.');
        int d2 = d1 < 0 ? -1 : token.indexOf('.', d1 + 1);
        if (d2 < 0) {
            return null;
        }
        ReadClaims read = lastRead(token);
        if (read != null) {
            return read.claims().stringOrNull("iss");
        }
        byte[] payload = Base64Url.decode(token, d1 + 1, d2);
        if (payload == null) {
            return null;
        }
        try {
            JwtClaims claims = JwtClaims.parse(payload);
            remember(token, payload, claims);
            return claims.stringOrNull("iss");
        } catch (JwtException e) {
            return null;
        }
    }

    /** The claims last read on this thread if they were read from this very token object, else null. */
    private static ReadClaims lastRead(String token) {
        WeakReference<ReadClaims> ref = LAST_READ.get();
        ReadClaims read = ref == null ? null : ref.get();
        return read != null && read.token() == token ? read : null;
    }

    private static void remember(String token, byte[] payload, JwtClaims claims) {
        LAST_READ.set(new WeakReference<>(new ReadClaims(token, payload, claims)));
    }

    /**
     * The header's {@code alg}, exactly as sent; never null, never {@code none}.
     *
     * @return the algorithm name, e.g. {@code RS256}
     */
    public String algorithm() {
        return algorithm;
    }

    /**
     * The header's {@code kid}, or null when absent.
     *
     * @return the key id, or null
     */
    public String keyId() {
        return keyId;
    }

    /**
     * The whole header, unmodifiable. Key-bearing members are present but the engine never reads them.
     *
     * @return the header members by name, unmodifiable; never null
     */
    public Map<String, Object> header() {
        return header;
    }

    /**
     * The decoded payload; a copy.
     *
     * @return a new copy of the payload bytes; never null
     */
    public byte[] payload() {
        return payload.clone();
    }

    /**
     * The payload as JWT claims, parsed once.
     *
     * @return the claims, never null; the same object on every call once parsed
     * @throws JwtException of kind MALFORMED if the payload is not a UTF-8 JSON object
     */
    public JwtClaims claims() throws JwtException {
        JwtClaims c = claims;
        if (c == null) {
            c = JwtClaims.parse(payload);
            claims = c;
            remember(token, payload, c);
        }
        return c;
    }

    byte[] signingInput() {
        return signingInput;
    }

    byte[] signatureBytes() {
        return signatureBytes;
    }

    /** Never prints the token. */
    @Override
    public String toString() {
        return "CompactJws{alg=" + algorithm + ", kid=" + keyId + "}";
    }

    private static JwtException malformed(String message) {
        return JwtException.of(JwtException.Kind.MALFORMED, message);
    }
}
