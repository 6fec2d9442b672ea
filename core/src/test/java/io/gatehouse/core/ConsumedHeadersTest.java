package io.gatehouse.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gatehouse.core.AuthenticationResult.Abstained;
import io.gatehouse.core.AuthenticationResult.Authenticated;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the chain tells adapters to strip: Kubernetes' authentication filter's clearing, and header consumers'. */
class ConsumedHeadersTest {

    /** A request authenticator that reads a custom header, as the request-header authenticator does. */
    private static final class CustomHeaderUser implements Authenticator, HeaderConsumer {
        @Override
        public AuthenticationResult authenticate(AuthenticationRequest request) {
            String name = request.header("X-Custom-User");
            return name == null ? Abstained.instance() : Authenticated.of(UserInfo.of(name, ""));
        }

        @Override
        public ConsumedHeaders consumedHeaders() {
            return ConsumedHeaders.of(List.of("X-Custom-User"), List.of("X-Custom-Extra-"));
        }
    }

    private final AuthenticationChain chain = AuthenticationChain.builder().listener(AuthenticationListener.NONE)
            .add("custom", new CustomHeaderUser())
            .addToken("tokens", (t, a) -> t.equals("good") ? Authenticated.of(UserInfo.of("t", "")) : Abstained.instance())
            .build();

    private static final AuthenticationRequest REQUEST = AuthenticationRequest.builder()
            .header("Authorization", "Bearer good").header("x-remote-user", "forged").header("X-Remote-Group", "g")
            .header("X-REMOTE-EXTRA-scopes", "s").header("X-Remote-Uid", "u").header("x-custom-extra-a", "b")
            .header("X-Custom-User", "c").header("Accept", "application/json").header("X-Remote-Userish", "kept").build();

    @Test
    void onSuccessTheStandardAndTheConsumersHeadersGoWhoeverAuthenticated() {
        AuthenticationResult v = chain.authenticate(REQUEST);
        ConsumedHeaders c = chain.consumedHeaders(REQUEST, v);
        Map<String, List<String>> left = c.applyTo(REQUEST.headers());
        assertEquals(List.of("Accept", "X-Remote-Userish"), List.copyOf(left.keySet()));
    }

    @Test
    void withoutSuccessNothingIsStripped() {
        AuthenticationRequest r = AuthenticationRequest.builder().header("X-Remote-User", "x").build();
        assertSame(ConsumedHeaders.NONE, chain.consumedHeaders(r, chain.authenticate(r)));
    }

    @Test
    void namesAndPrefixesMatchInAnyCase() {
        ConsumedHeaders c = ConsumedHeaders.of(List.of("X-Remote-User"), List.of("X-Remote-Extra-"));
        assertTrue(c.removes("x-remote-user"));
        assertTrue(c.removes("X-REMOTE-EXTRA-"));
        assertTrue(c.removes("x-remote-extra-scopes"));
        assertFalse(c.removes("X-Remote-User-With-Suffix"));
        assertFalse(c.removes("X-Remote-Extr"));
    }

    @Test
    void aReplacementWinsOverRemoval() {
        ConsumedHeaders c = ConsumedHeaders.of(List.of("A"), List.of()).replacing("a", List.of("x"));
        assertFalse(c.removes("A"));
        assertEquals(List.of("x"), c.replacement("A"));
        assertEquals(Map.of("A", List.of("x")), c.applyTo(Map.of("A", List.of("1", "2"))));
    }
}
