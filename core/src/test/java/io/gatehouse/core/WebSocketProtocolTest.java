package io.gatehouse.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.gatehouse.core.AuthenticationResult.Abstained;
import io.gatehouse.core.AuthenticationResult.Authenticated;
import io.gatehouse.core.AuthenticationResult.Rejected;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Kubernetes' {@code request/websocket/protocol_test.go} cases, through the chain as kube-apiserver wires it. */
class WebSocketProtocolTest {

    private static final String PREFIX = "base64url.bearer.authorization.k8s.io.";
    private static final String TOKEN_ENTRY = PREFIX + "dG9rZW4"; // "token"

    private final List<String> seen = new ArrayList<>();

    private AuthenticationChain chain(TokenAuthenticator tokens) {
        return AuthenticationChain.builder().listener(AuthenticationListener.NONE).tokenCache(TokenCachePolicy.DISABLED)
                .addToken("tokens", (t, a) -> {
                    seen.add(t);
                    return tokens.authenticate(t, a);
                }).build();
    }

    private final AuthenticationChain knowsToken = chain((t, a) -> t.equals("token")
            ? Authenticated.of(UserInfo.of("user", "")) : Abstained.instance());

    private static AuthenticationRequest.Builder upgrade() {
        return AuthenticationRequest.builder().header("Connection", "Upgrade").header("Upgrade", "websocket");
    }

    private static AuthenticationRequest upgrade(String... protocolLines) {
        AuthenticationRequest.Builder b = upgrade();
        for (String line : protocolLines) {
            b.header("Sec-WebSocket-Protocol", line);
        }
        return b.build();
    }

    @Test
    void authenticateRequest() {
        AuthenticationRequest r = upgrade(TOKEN_ENTRY + ",dummy");
        AuthenticationResult v = knowsToken.authenticate(r);
        assertEquals("user", assertInstanceOf(Authenticated.class, v).user().name());
        assertEquals(List.of("token"), seen);
        assertEquals(List.of("dummy"), knowsToken.consumedHeaders(r, v).replacement("sec-websocket-protocol"));
    }

    @Test
    void authenticateRequestMultipleConnectionHeaders() {
        AuthenticationRequest r = AuthenticationRequest.builder().header("Connection", "not").header("Connection", "upgrade")
                .header("Upgrade", "websocket").header("Sec-WebSocket-Protocol", TOKEN_ENTRY + ",dummy").build();
        assertInstanceOf(Authenticated.class, knowsToken.authenticate(r));
    }

    @Test
    void authenticateRequestTokenInvalid() {
        AuthenticationResult v = chain((t, a) -> Abstained.instance()).authenticate(upgrade(TOKEN_ENTRY + ",dummy"));
        Rejected r = assertInstanceOf(Rejected.class, v);
        assertEquals("invalid bearer token", r.message());
        assertEquals(RejectionReason.UNRECOGNIZED_TOKEN, r.reason());
    }

    @Test
    void authenticateRequestTokenInvalidCustomError() {
        AuthenticationResult v = chain((t, a) -> Rejected.of(RejectionReason.EXPIRED, "token is expired"))
                .authenticate(upgrade(TOKEN_ENTRY + ",dummy"));
        assertEquals("token is expired", assertInstanceOf(Rejected.class, v).message());
    }

    @Test
    void authenticateRequestTokenError() {
        AuthenticationResult v = chain((t, a) -> Rejected.of(RejectionReason.INTERNAL_ERROR, "error"))
                .authenticate(upgrade(TOKEN_ENTRY + ",dummy"));
        assertEquals(RejectionReason.INTERNAL_ERROR, assertInstanceOf(Rejected.class, v).reason());
    }

    static Stream<Arguments> badValues() {
        return Stream.of(
                Arguments.of("no headers", upgrade().build()),
                Arguments.of("other protocol", upgrade("other-protocol")),
                Arguments.of("empty token", upgrade(PREFIX + ",other")),
                Arguments.of("not an upgrade: no Upgrade header", AuthenticationRequest.builder().header("Connection", "upgrade")
                        .header("Sec-WebSocket-Protocol", TOKEN_ENTRY + ",dummy").build()),
                Arguments.of("not an upgrade: no Connection header", AuthenticationRequest.builder().header("Upgrade", "websocket")
                        .header("Sec-WebSocket-Protocol", TOKEN_ENTRY + ",dummy").build()),
                Arguments.of("not an upgrade: Upgrade h2c", AuthenticationRequest.builder().header("Connection", "upgrade")
                        .header("Upgrade", "h2c").header("Sec-WebSocket-Protocol", TOKEN_ENTRY + ",dummy").build()),
                Arguments.of("prefix is case-sensitive", upgrade(PREFIX.toUpperCase(java.util.Locale.ROOT) + "dG9rZW4,dummy")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badValues")
    void authenticateRequestBadValueAbstainsWithoutCallingTheTokenAuthenticator(String name, AuthenticationRequest r) {
        AuthenticationResult v = knowsToken.authenticate(r);
        assertInstanceOf(Abstained.class, v);
        assertEquals(List.of(), seen);
        assertSame(ConsumedHeaders.NONE, knowsToken.consumedHeaders(r, v));
    }

    static Stream<Arguments> malformed() {
        String nonUtf8 = Base64.getUrlEncoder().withoutPadding().encodeToString(new byte[] {(byte) 0xff, (byte) 0xfe});
        return Stream.of(
                Arguments.of("padding", PREFIX + "dG9rZW4=,dummy", "invalid base64.bearer.authorization token encoding"),
                Arguments.of("standard alphabet", PREFIX + "ab+/,dummy", "invalid base64.bearer.authorization token encoding"),
                Arguments.of("impossible length", PREFIX + "dG9rZ,dummy", "invalid base64.bearer.authorization token encoding"),
                Arguments.of("not UTF-8", PREFIX + nonUtf8 + ",dummy", "invalid base64.bearer.authorization token"),
                Arguments.of("two tokens", TOKEN_ENTRY + "," + TOKEN_ENTRY + ",dummy", "multiple base64.bearer.authorization tokens specified"),
                Arguments.of("no other subprotocol", TOKEN_ENTRY, "missing additional subprotocol"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void malformedEntriesAreRejectedBeforeAnyTokenAuthenticatorRuns(String name, String header, String message) {
        AuthenticationRequest r = upgrade(header);
        Rejected v = assertInstanceOf(Rejected.class, knowsToken.authenticate(r));
        assertEquals(message, v.message());
        assertEquals(List.of(), seen);
        assertSame(ConsumedHeaders.NONE, knowsToken.consumedHeaders(r, v));
    }

    @Test
    void validBearerTokenRemovingHeaderJoinsTheOtherEntriesOnOneLine() {
        AuthenticationRequest r = upgrade(TOKEN_ENTRY, "dummy, dummy2");
        AuthenticationResult v = knowsToken.authenticate(r);
        assertInstanceOf(Authenticated.class, v);
        ConsumedHeaders c = knowsToken.consumedHeaders(r, v);
        assertEquals(List.of("dummy,dummy2"), c.replacement("Sec-WebSocket-Protocol"));
        assertEquals(List.of("dummy,dummy2"), c.applyTo(r.headers()).get("Sec-WebSocket-Protocol"));
    }

    @Test
    void aTrailingCommaCountsAsAnotherSubprotocol() {
        AuthenticationRequest r = upgrade(TOKEN_ENTRY + ",");
        AuthenticationResult v = knowsToken.authenticate(r);
        assertInstanceOf(Authenticated.class, v);
        assertEquals(List.of(""), knowsToken.consumedHeaders(r, v).replacement("Sec-WebSocket-Protocol"));
    }

    @Test
    void aBearerHeaderIsTriedFirst() {
        AuthenticationRequest r = upgrade().header("Authorization", "Bearer token")
                .header("Sec-WebSocket-Protocol", PREFIX + "b3RoZXI,dummy").build();
        assertInstanceOf(Authenticated.class, knowsToken.authenticate(r));
        assertEquals(List.of("token"), seen);
    }

    @Test
    void aFailedBearerHeaderLeavesTheWebSocketTokenToTry() {
        AuthenticationRequest r = upgrade().header("Authorization", "Bearer wrong")
                .header("Sec-WebSocket-Protocol", TOKEN_ENTRY + ",dummy").build();
        assertInstanceOf(Authenticated.class, knowsToken.authenticate(r));
        assertEquals(List.of("wrong", "token"), seen);
    }

    @Test
    void explainJudgesTheWebSocketToken() {
        Explanation e = knowsToken.explain(upgrade(TOKEN_ENTRY + ",dummy"));
        assertInstanceOf(Authenticated.class, e.outcome());
    }

    @Property(tries = 300)
    void anyTokenRoundTripsThroughTheEncoding(@ForAll @StringLength(min = 1, max = 200) String token) {
        String entry = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(token.getBytes(StandardCharsets.UTF_8));
        WebSocketProtocolAuthenticator.Parsed p = WebSocketProtocolAuthenticator.parse(upgrade(entry + ", x"));
        assertNull(p.error());
        if (token.codePoints().noneMatch(c -> c >= 0xD800 && c <= 0xDFFF)) {
            assertEquals(token, p.token());
        }
        assertEquals(List.of("x"), p.others());
    }
}
