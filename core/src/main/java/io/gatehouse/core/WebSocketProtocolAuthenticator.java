package io.gatehouse.core;

import io.gatehouse.core.AuthenticationResult.Abstained;
import io.gatehouse.core.AuthenticationResult.Rejected;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Takes a bearer token from a WebSocket upgrade's {@code Sec-WebSocket-Protocol} entry
 * {@code base64url.bearer.authorization.k8s.io.<base64url token, no padding>}, with Kubernetes' rules
 * ({@code request/websocket/protocol.go}): browsers cannot set {@code Authorization} on a WebSocket. The chain
 * places it right after the {@code Authorization} step; on success the chain's
 * {@link AuthenticationChain#consumedHeaders consumed headers} replace the protocol header by the other entries.
 */
final class WebSocketProtocolAuthenticator implements Authenticator {

    static final String PROTOCOL_HEADER = "Sec-WebSocket-Protocol";
    static final String PREFIX = "base64url.bearer.authorization.k8s.io.";
    static final String BAD_ENCODING = "invalid base64.bearer.authorization token encoding";
    static final String BAD_TOKEN = "invalid base64.bearer.authorization token";
    static final String MULTIPLE = "multiple base64.bearer.authorization tokens specified";
    static final String MISSING_OTHER = "missing additional subprotocol";

    /**
     * What the protocol header holds: the token ("" for a bare prefix, null when no entry), the other entries in
     * order, or the error that stops the request before any token authenticator runs.
     */
    record Parsed(String token, List<String> others, String error) {
        private static final Parsed NONE = new Parsed(null, List.of(), null);
    }

    private final TokenAuthenticator tokens;

    WebSocketProtocolAuthenticator(TokenAuthenticator tokens) {
        this.tokens = tokens;
    }

    @Override
    public AuthenticationResult authenticate(AuthenticationRequest request) {
        Parsed p = parse(request);
        if (p.error() != null) {
            return Rejected.of(RejectionReason.MALFORMED, p.error());
        }
        if (p.token() == null || p.token().isEmpty()) {
            return Abstained.instance();
        }
        if (p.others().isEmpty()) {
            return Rejected.of(RejectionReason.MALFORMED, MISSING_OTHER);
        }
        AuthenticationResult r = tokens.authenticate(p.token(), request.audiences());
        if (r instanceof Abstained) {
            return new Rejected(RejectionReason.UNRECOGNIZED_TOKEN, BearerTokenAuthenticator.INVALID_BEARER_TOKEN,
                    r.warnings(), List.of());
        }
        return r;
    }

    /** The token entry of a WebSocket upgrade request; {@link Parsed#NONE} for any other request. */
    static Parsed parse(AuthenticationRequest request) {
        List<String> lines = request.headerValues(PROTOCOL_HEADER);
        if (lines.isEmpty() || !isWebSocketRequest(request)) {
            return Parsed.NONE;
        }
        String token = null;
        List<String> others = new ArrayList<>();
        for (String line : lines) {
            int from = 0;
            while (true) {
                int comma = line.indexOf(',', from);
                // The entry trimmed of white space (String.strip's rule), located without copying it.
                int start = from;
                int end = comma < 0 ? line.length() : comma;
                while (start < end && Character.isWhitespace(line.charAt(start))) {
                    start++;
                }
                while (end > start && Character.isWhitespace(line.charAt(end - 1))) {
                    end--;
                }
                if (end - start >= PREFIX.length() && line.startsWith(PREFIX, start)) {
                    if (token != null) {
                        return new Parsed(null, List.of(), MULTIPLE);
                    }
                    try {
                        token = decode(line.substring(start + PREFIX.length(), end));
                    } catch (BadToken e) {
                        return new Parsed(null, List.of(), e.getMessage());
                    }
                } else {
                    others.add(line.substring(start, end));
                }
                if (comma < 0) {
                    break;
                }
                from = comma + 1;
            }
        }
        if (token == null) {
            return Parsed.NONE;
        }
        return new Parsed(token, List.copyOf(others), null);
    }

    /** The protocol header's one line after a token was used: the other entries joined by commas. */
    static String remainingProtocols(Parsed p) {
        return String.join(",", p.others());
    }

    /**
     * {@code wsstream.IsWebSocketRequest}: the first {@code Upgrade} value is {@code websocket} in any case, and some
     * {@code Connection} value contains {@code upgrade} in any case.
     */
    static boolean isWebSocketRequest(AuthenticationRequest request) {
        String upgrade = request.header("Upgrade");
        if (upgrade == null || !upgrade.equalsIgnoreCase("websocket")) {
            return false;
        }
        for (String c : request.headerValues("Connection")) {
            // strings.Contains(strings.ToLower(c), "upgrade"), without a lower-cased copy per request.
            for (int i = 0; i + 7 <= c.length(); i++) {
                if (c.regionMatches(true, i, "upgrade", 0, 7)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** A token entry that does not decode; the message is Kubernetes' error text. */
    private static final class BadToken extends Exception {
        private static final long serialVersionUID = 1L;

        BadToken(String message) {
            super(message, null, false, false);
        }
    }

    /** Go's {@code base64.RawURLEncoding.DecodeString}: no padding, the URL alphabet, CR and LF skipped. */
    private static String decode(String encoded) throws BadToken {
        String text = encoded.indexOf('\r') >= 0 || encoded.indexOf('\n') >= 0
                ? encoded.replace("\r", "").replace("\n", "") : encoded;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
            if (!ok) {
                throw new BadToken(BAD_ENCODING);
            }
        }
        if (text.length() % 4 == 1) {
            throw new BadToken(BAD_ENCODING);
        }
        byte[] bytes;
        try {
            bytes = Base64.getUrlDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw new BadToken(BAD_ENCODING);
        }
        if (isAscii(bytes)) {
            // The usual token: no decoder to allocate.
            return new String(bytes, StandardCharsets.ISO_8859_1);
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new BadToken(BAD_TOKEN);
        }
    }

    private static boolean isAscii(byte[] bytes) {
        for (byte b : bytes) {
            if (b < 0) {
                return false;
            }
        }
        return true;
    }
}
