package io.gatehouse.x509;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gatehouse.core.AuthenticationChain;
import io.gatehouse.core.AuthenticationListener;
import io.gatehouse.core.AuthenticationRequest;
import io.gatehouse.core.AuthenticationResult;
import io.gatehouse.core.AuthenticationResult.Abstained;
import io.gatehouse.core.AuthenticationResult.Authenticated;
import io.gatehouse.core.AuthenticationResult.Rejected;
import io.gatehouse.core.RejectionReason;
import io.gatehouse.testing.TestPki;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Hostile request headers against the request-header authenticator in a chain: Kubernetes' behaviour (or, where
 * Kubernetes' HTTP server would refuse the request first, a rejection), never an exception, never a user from an
 * untrusted sender, and a reason for every rejection.
 */
class RequestHeaderBadInputTest {

    static final TestPki.Issued CA = RequestHeaderTest.CA;
    static final X509Certificate TRUSTED = RequestHeaderTest.PROXY.cert();
    static final X509Certificate UNLISTED = TestPki.client(CA, "someone", List.of(), RequestHeaderTest.NOW).cert();
    static final X509Certificate UNTRUSTED = TestPki.client(FrontProxyVerifierTest.OTHER_CA, "front-proxy-client", List.of(),
            RequestHeaderTest.NOW).cert();

    static AuthenticationChain chain() {
        return AuthenticationChain.builder().listener(AuthenticationListener.NONE)
                .clock(Clock.fixed(RequestHeaderTest.NOW, ZoneOffset.UTC))
                .add("request-header", RequestHeaderAuthenticator.builder().trustAnchors(List.of(CA.cert()))
                        .allowedNames(List.of("front-proxy-client")).usernameHeaders(List.of("X-Remote-User"))
                        .uidHeaders(List.of("X-Remote-Uid")).groupHeaders(List.of("X-Remote-Group"))
                        .extraHeaderPrefixes(List.of("X-Remote-Extra-"))
                        .clock(Clock.fixed(RequestHeaderTest.NOW, ZoneOffset.UTC)).listener(AuthenticationListener.NONE).build())
                .build();
    }

    private static final AuthenticationChain CHAIN = chain();

    private static AuthenticationRequest req(X509Certificate cert, String... headers) {
        AuthenticationRequest.Builder b = AuthenticationRequest.builder();
        if (cert != null) {
            b.peerCertificates(List.of(cert));
        }
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return b.build();
    }

    static Stream<Arguments> table() {
        String big = "g".repeat(IdentityHeaders.MAX_IDENTITY_CHARS);
        return Stream.of(
                Arguments.of("headers without a certificate (plain HTTP)", req(null, "X-Remote-User", "admin",
                        "X-Remote-Group", "system:masters"), null),
                Arguments.of("headers with an untrusted certificate", req(UNTRUSTED, "X-Remote-User", "admin"),
                        RejectionReason.UNTRUSTED_CERTIFICATE),
                Arguments.of("headers with an unlisted certificate", req(UNLISTED, "X-Remote-User", "admin"),
                        RejectionReason.INVALID_CREDENTIAL),
                Arguments.of("a trusted proxy naming nobody", req(TRUSTED, "X-Remote-Group", "system:masters"), null),
                Arguments.of("duplicated username: the first value wins", req(TRUSTED, "X-Remote-User", "alice",
                        "X-Remote-User", "admin"), "alice"),
                Arguments.of("odd case", req(TRUSTED, "x-rEMOTE-uSER", "alice"), "alice"),
                Arguments.of("odd case twice: merged, arrival order kept", req(TRUSTED, "x-remote-user", "alice",
                        "X-REMOTE-USER", "admin"), "alice"),
                Arguments.of("control character in the username", req(TRUSTED, "X-Remote-User", "alice\r\nX-Remote-Group: x"),
                        RejectionReason.MALFORMED),
                Arguments.of("NUL in a group", req(TRUSTED, "X-Remote-User", "alice", "X-Remote-Group", "a\u0000b"),
                        RejectionReason.MALFORMED),
                Arguments.of("DEL in an extra value", req(TRUSTED, "X-Remote-User", "alice", "X-Remote-Extra-k", "\u007f"),
                        RejectionReason.MALFORMED),
                Arguments.of("a tab is allowed", req(TRUSTED, "X-Remote-User", "al\tice"), "al\tice"),
                Arguments.of("oversized identity", req(TRUSTED, "X-Remote-User", "alice", "X-Remote-Group", big,
                        "X-Remote-Group", "more"), RejectionReason.MALFORMED),
                Arguments.of("an extra key that does not decode is kept lower-cased", req(TRUSTED, "X-Remote-User", "alice",
                        "X-Remote-Extra-Bad%ZZkey", "v"), "alice"),
                Arguments.of("an extra key that decodes to upper case", req(TRUSTED, "X-Remote-User", "alice",
                        "X-Remote-Extra-%41dmin", "v"), RejectionReason.MALFORMED),
                Arguments.of("an extra key that is not UTF-8 once decoded stays as sent", req(TRUSTED, "X-Remote-User", "alice",
                        "X-Remote-Extra-%FF", "v"), "alice"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void badInput(String name, AuthenticationRequest r, Object expected) {
        AuthenticationResult v = CHAIN.authenticate(r);
        if (expected == null) {
            assertInstanceOf(Abstained.class, v, v::toString);
            assertEquals(io.gatehouse.core.ConsumedHeaders.NONE, CHAIN.consumedHeaders(r, v));
        } else if (expected instanceof RejectionReason reason) {
            Rejected rej = assertInstanceOf(Rejected.class, v, v::toString);
            assertEquals(reason, rej.reason(), rej.message());
            assertFalse(rej.message().isBlank());
            assertFalse(rej.message().contains("admin"), "a rejection never quotes header values");
        } else {
            assertEquals(expected, assertInstanceOf(Authenticated.class, v, v::toString).user().name());
        }
    }

    @org.junit.jupiter.api.Test
    void undecodableExtraKeysAsKubernetes() {
        Authenticated a = (Authenticated) CHAIN.authenticate(req(TRUSTED, "X-Remote-User", "alice",
                "X-Remote-Extra-Bad%ZZkey", "v", "X-Remote-Extra-%FF", "w"));
        assertEquals(Map.of("bad%zzkey", List.of("v"), "%ff", List.of("w")), a.user().extra());
    }

    // ---- the property: any header set, any sender ----

    private static final List<String> NAMES = List.of("X-Remote-User", "x-remote-user", "X-REMOTE-USER", "X-Remote-Uid",
            "X-Remote-Group", "x-remote-group", "X-Remote-Extra-", "X-Remote-Extra-Scopes", "x-remote-extra-a%2Fb",
            "X-Remote-Extra-%zz", "X-Remote-Extra-%41", "X-Remote-User-Suffix", "Authorization", "X-Other");

    @Provide
    Arbitrary<List<Tuple.Tuple2<String, String>>> headers() {
        Arbitrary<String> values = Arbitraries.oneOf(Arbitraries.strings().ofMaxLength(20),
                Arbitraries.strings().withChars("ab%,\r\n\u0000\t ").ofMaxLength(8), Arbitraries.just(""));
        return Combinators.combine(Arbitraries.of(NAMES), values).as(Tuple::of).list().ofMaxSize(12);
    }

    @Provide
    Arbitrary<Integer> sender() {
        return Arbitraries.integers().between(0, 3);
    }

    @Property(tries = 400)
    void onlyATrustedListedProxyEverNamesAUser(@ForAll("headers") List<Tuple.Tuple2<String, String>> headers,
                                               @ForAll("sender") int sender) {
        X509Certificate cert = switch (sender) {
            case 0 -> null;
            case 1 -> UNTRUSTED;
            case 2 -> UNLISTED;
            default -> TRUSTED;
        };
        AuthenticationRequest.Builder b = AuthenticationRequest.builder();
        if (cert != null) {
            b.peerCertificates(List.of(cert));
        }
        headers.forEach(h -> b.header(h.get1(), h.get2()));
        AuthenticationRequest r = b.build();
        AuthenticationResult v = CHAIN.authenticate(r);
        if (v instanceof Rejected rej) {
            assertFalse(rej.message().isBlank());
            assertTrue(rej.reason() != RejectionReason.INTERNAL_ERROR, rej.message());
        }
        if (!(v instanceof Authenticated a)) {
            return;
        }
        assertEquals(TRUSTED, cert, "a user from an untrusted sender");
        String first = r.header("X-Remote-User");
        assertEquals(first, a.user().name());
        Map<String, List<String>> left = CHAIN.consumedHeaders(r, v).applyTo(r.headers());
        for (String name : left.keySet()) {
            String lower = name.toLowerCase(java.util.Locale.ROOT);
            assertFalse(lower.equals("x-remote-user") || lower.equals("x-remote-group") || lower.equals("x-remote-uid")
                    || lower.startsWith("x-remote-extra-") || lower.equals("authorization"), name);
        }
    }
}
