package io.gatehouse.x509;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.gatehouse.core.AuthenticationListener;
import io.gatehouse.core.AuthenticationRequest;
import io.gatehouse.core.AuthenticationResult;
import io.gatehouse.core.AuthenticationResult.Abstained;
import io.gatehouse.core.AuthenticationResult.Authenticated;
import io.gatehouse.core.UserInfo;
import io.gatehouse.testing.TestPki;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Kubernetes' {@code requestheader_test.go} {@code TestRequestHeader}: which headers name the user, uid, groups and
 * extra, and which headers are left once they are consumed. Each case runs behind a real verified front-proxy
 * certificate.
 */
class RequestHeaderTest {

    static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");
    static final TestPki.Issued CA = TestPki.ca("front-proxy-ca", NOW);
    static final TestPki.Issued PROXY = TestPki.client(CA, "front-proxy-client", List.of(), NOW);

    /** A table row: the configured lists, the request's headers in arrival order, and what Kubernetes answers. */
    record Case(String name, List<String> users, List<String> uids, List<String> groups, List<String> prefixes,
                List<String[]> headers, UserInfo expected, Map<String, List<String>> left) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static List<String[]> h(String... nameValue) {
        List<String[]> out = new ArrayList<>();
        for (int i = 0; i < nameValue.length; i += 2) {
            out.add(new String[] {nameValue[i], nameValue[i + 1]});
        }
        return out;
    }

    private static UserInfo user(String name, String uid, List<String> groups, Map<String, List<String>> extra) {
        return new UserInfo(name, uid, groups, extra);
    }

    static Stream<Arguments> cases() {
        List<String> user = List.of("X-Remote-User");
        Map<String, List<String>> extraKeys = new LinkedHashMap<>();
        extraKeys.put("key1", List.of("alfa", "bravo", "echo", "foxtrot"));
        extraKeys.put("", List.of("one", "two"));
        Map<String, List<String>> escaped = new LinkedHashMap<>();
        escaped.put("percent encoded", List.of("a"));
        escaped.put("almost%zzpercent%xxencoded", List.of("b"));
        escaped.put("example.com/percent%20encoded", List.of("c"));
        escaped.put("example.com/今日は", List.of("d"));
        escaped.put("abc123!#$+.-_*\\^`~|'", List.of("e"));
        return Stream.of(
                new Case("empty", user, List.of(), List.of(), List.of(), h(), null, Map.of()),
                new Case("user no match", user, List.of(), List.of(), List.of(), h("X-Other-User", "Bob"), null,
                        Map.of("X-Other-User", List.of("Bob"))),
                new Case("user match", user, List.of(), List.of(), List.of(), h("X-Remote-User", "Bob"),
                        user("Bob", "", List.of(), Map.of()), Map.of()),
                new Case("user exact match", user, List.of(), List.of(), List.of(),
                        h("Prefixed-X-Remote-User-With-Suffix", "Bob", "X-Remote-User-With-Suffix", "Bob"), null,
                        Map.of("Prefixed-X-Remote-User-With-Suffix", List.of("Bob"), "X-Remote-User-With-Suffix", List.of("Bob"))),
                new Case("user first match", List.of("X-Remote-User", "A-Second-X-Remote-User", "Another-X-Remote-User"),
                        List.of(), List.of(), List.of(),
                        h("X-Remote-User", "", "X-Remote-User", "First header, second value",
                                "A-Second-X-Remote-User", "Second header, first value",
                                "A-Second-X-Remote-User", "Second header, second value",
                                "Another-X-Remote-User", "Third header, first value"),
                        user("Second header, first value", "", List.of(), Map.of()), Map.of()),
                new Case("user case-insensitive", List.of("x-REMOTE-user"), List.of(), List.of(), List.of(),
                        h("X-Remote-User", "Bob"), user("Bob", "", List.of(), Map.of()), Map.of()),
                new Case("groups none", user, List.of(), List.of("X-Remote-Group"), List.of(), h("X-Remote-User", "Bob"),
                        user("Bob", "", List.of(), Map.of()), Map.of()),
                new Case("groups all matches", user, List.of(), List.of("X-Group-1", "X-Group-2"), List.of(),
                        h("X-Remote-User", "Bob", "X-Group-1", "one-a", "X-Group-1", "one-b", "X-Group-2", "two-a",
                                "X-Group-2", "two-b"),
                        user("Bob", "", List.of("one-a", "one-b", "two-a", "two-b"), Map.of()), Map.of()),
                new Case("groups case-insensitive", user, List.of(), List.of("x-REMOTE-group"), List.of(),
                        h("X-Remote-User", "Bob", "X-Remote-Group", "Users"), user("Bob", "", List.of("Users"), Map.of()),
                        Map.of()),
                new Case("groups are not split on commas, empty values skipped", user, List.of(), List.of("X-Remote-Group"),
                        List.of(), h("X-Remote-User", "Bob", "X-Remote-Group", "a,b", "X-Remote-Group", ""),
                        user("Bob", "", List.of("a,b"), Map.of()), Map.of()),
                new Case("uid none", user, List.of("X-Remote-Uid"), List.of(), List.of(), h("X-Remote-User", "Bob"),
                        user("Bob", "", List.of(), Map.of()), Map.of()),
                new Case("uid exact match", user, List.of("X-Remote-Uid"), List.of(), List.of(),
                        h("X-Remote-User", "Bob", "X-Remote-Uid-1", "one", "X-Remote-Uid", "uid", "X-Remote-Uid-2", "two"),
                        user("Bob", "uid", List.of(), Map.of()),
                        Map.of("X-Remote-Uid-1", List.of("one"), "X-Remote-Uid-2", List.of("two"))),
                new Case("uid first match", user, List.of("X-Remote-Uid", "A-Second-X-Remote-Uid"), List.of(), List.of(),
                        h("X-Remote-User", "Bob", "X-Remote-Uid", "", "X-Remote-Uid", "later",
                                "A-Second-X-Remote-Uid", "second", "A-Second-X-Remote-Uid", "second-b"),
                        user("Bob", "second", List.of(), Map.of()), Map.of()),
                new Case("extra prefix matches case-insensitive with unrelated headers", user, List.of(), List.of(),
                        List.of("X-Remote-Extra-1-", "X-Remote-Extra-2-"),
                        h("X-Remote-User", "Bob", "X-Remote-Extra-1-Key1", "alfa", "X-Remote-Extra-1-Key1", "bravo",
                                "x-remote-extra-2-KEY1", "echo", "X-Remote-Extra-2-key1", "foxtrot",
                                "X-Remote-Extra-1-", "one", "X-REMOTE-EXTRA-2-", "two",
                                "X-Remote-Extra", "unrelated", "X-Other-Extra-1-Key1", "unrelated too"),
                        user("Bob", "", List.of(), extraKeys),
                        Map.of("X-Remote-Extra", List.of("unrelated"), "X-Other-Extra-1-Key1", List.of("unrelated too"))),
                new Case("escaped extra keys", user, List.of(), List.of(), List.of("X-Remote-Extra-"),
                        h("X-Remote-User", "Bob", "X-Remote-Extra-Percent%20encoded", "a",
                                "X-Remote-Extra-Almost%zzpercent%xxencoded", "b",
                                "X-Remote-Extra-Example.com%2fpercent%2520encoded", "c",
                                "X-Remote-Extra-Example.com%2F%E4%BB%8A%E6%97%A5%E3%81%AF", "d",
                                "X-Remote-Extra-Abc123!#$+.-_*\\^`~|'", "e"),
                        user("Bob", "", List.of(), escaped), Map.of()),
                new Case("extra values kept, empty ones too", user, List.of(), List.of(), List.of("X-Remote-Extra-"),
                        h("X-Remote-User", "Bob", "X-Remote-Extra-Scopes", "", "X-Remote-Extra-Scopes", "read"),
                        user("Bob", "", List.of(), Map.of("scopes", List.of("", "read"))), Map.of()))
                .map(Arguments::of);
    }

    static AuthenticationRequest request(List<String[]> headers) {
        AuthenticationRequest.Builder b = AuthenticationRequest.builder().peerCertificates(List.of(PROXY.cert()));
        for (String[] nv : headers) {
            b.header(nv[0], nv[1]);
        }
        return b.build();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void requestHeader(Case c) {
        try (RequestHeaderAuthenticator auth = RequestHeaderAuthenticator.builder().trustAnchors(List.of(CA.cert()))
                .usernameHeaders(c.users()).uidHeaders(c.uids().isEmpty() ? List.of() : c.uids())
                .groupHeaders(c.groups()).extraHeaderPrefixes(c.prefixes())
                .clock(Clock.fixed(NOW, ZoneOffset.UTC)).listener(AuthenticationListener.NONE).build()) {
            AuthenticationRequest r = request(c.headers());
            AuthenticationResult v = auth.authenticate(r);
            if (c.expected() == null) {
                assertInstanceOf(Abstained.class, v, () -> "expected no user, got " + v);
                return;
            }
            Authenticated ok = assertInstanceOf(Authenticated.class, v, () -> "expected a user, got " + v);
            assertEquals(c.expected(), ok.user());
            Map<String, List<String>> left = auth.consumedHeaders().applyTo(r.headers());
            assertEquals(new java.util.TreeMap<>(c.left()), new java.util.TreeMap<>(left));
        }
    }
}
