package io.gatehouse.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gatehouse.core.AuthenticationResult.Abstained;
import io.gatehouse.core.AuthenticationResult.Authenticated;
import io.gatehouse.core.AuthenticationResult.Rejected;
import io.gatehouse.core.testing.MutableClock;
import io.gatehouse.core.testing.RecordingListener;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The assembled chain: Kubernetes' Config.New wiring, group adder, anonymous, audiences, explain. */
class AuthenticationChainTest {

    private static final TokenAuthenticator TOKENS = (t, a) -> switch (t) {
        case "alice-token" -> Authenticated.of(UserInfo.of("alice", "1"));
        case "expired-token" -> Rejected.of(RejectionReason.EXPIRED, "token expired");
        default -> Abstained.instance();
    };

    private final RecordingListener listener = new RecordingListener();

    private AuthenticationChain.Builder chain() {
        return AuthenticationChain.builder().listener(listener).clock(MutableClock.atDefaultStart());
    }

    @Test
    void authenticatedUsersGetSystemAuthenticated() {
        AuthenticationChain c = chain().addToken("tokens", TOKENS).build();
        Authenticated a = assertInstanceOf(Authenticated.class, c.authenticate(AuthenticationRequest.bearer("alice-token")));
        assertEquals(List.of("system:authenticated"), a.user().groups());
        assertEquals(List.of("authenticated alice"), listener.eventsStartingWith("authenticated"));
    }

    @Test
    void groupAdderSkipsUsersThatAlreadyHaveAnAllGroupOrAreAnonymous() {
        for (UserInfo u : List.of(
                new UserInfo("bob", "", List.of("system:authenticated"), Map.of()),
                new UserInfo("bob", "", List.of("system:unauthenticated"), Map.of()),
                UserInfo.of("system:anonymous", ""))) {
            AuthenticationResult r = AuthenticationChain.addAuthenticatedGroup(Authenticated.of(u));
            assertEquals(u.groups(), ((Authenticated) r).user().groups(), u.toString());
        }
        AuthenticationResult r = AuthenticationChain.addAuthenticatedGroup(
                Authenticated.of(new UserInfo("bob", "", List.of("dev"), Map.of("k", List.of("v")))));
        assertEquals(List.of("dev", "system:authenticated"), ((Authenticated) r).user().groups());
        assertEquals(Map.of("k", List.of("v")), ((Authenticated) r).user().extra());
    }

    @Test
    void unknownBearerTokenIsRejectedNotAnonymous() {
        AuthenticationChain c = chain().addToken("tokens", TOKENS).anonymous(true).build();
        Rejected r = assertInstanceOf(Rejected.class, c.authenticate(AuthenticationRequest.bearer("who")));
        assertEquals("invalid bearer token", r.message());
        Rejected expired = assertInstanceOf(Rejected.class, c.authenticate(AuthenticationRequest.bearer("expired-token")));
        assertEquals("token expired", expired.message());
    }

    @Test
    void noCredentialIsAnonymousWhenEnabled() {
        AuthenticationChain c = chain().addToken("tokens", TOKENS).anonymous(true).build();
        Authenticated a = assertInstanceOf(Authenticated.class, c.authenticate(AuthenticationRequest.builder().build()));
        assertEquals("system:anonymous", a.user().name());
        assertEquals(List.of("system:unauthenticated"), a.user().groups());
    }

    @Test
    void noCredentialAbstainsWhenAnonymousIsOff() {
        AuthenticationChain c = chain().addToken("tokens", TOKENS).build();
        assertInstanceOf(Abstained.class, c.authenticate(AuthenticationRequest.builder().build()));
        assertEquals(List.of("abstained"), listener.events());
    }

    @Test
    void extraSpaceIsAnonymousWithAWarningAsInKubernetes() {
        // Kubernetes issue #106142: "Bearer  <token>" is ignored, so anonymous answers; the warning says why.
        AuthenticationChain c = chain().addToken("tokens", TOKENS).anonymous(true).build();
        AuthenticationRequest r = AuthenticationRequest.builder().header("Authorization", "Bearer  alice-token").build();
        Authenticated a = assertInstanceOf(Authenticated.class, c.authenticate(r));
        assertEquals("system:anonymous", a.user().name());
        assertEquals(List.of(BearerTokenAuthenticator.EXTRA_SPACE_WARNING), a.warnings());
    }

    @Test
    void firstRequestAuthenticatorWinsAndTokensComeWhereTheFirstTokenMemberStands() {
        AtomicInteger certCalls = new AtomicInteger();
        Authenticator certs = r -> {
            certCalls.incrementAndGet();
            return r.peerCertificates().isEmpty() ? Abstained.instance() : Authenticated.of(UserInfo.of("cert-user", ""));
        };
        AuthenticationChain c = chain().add("x509", certs).addToken("tokens", TOKENS).build();
        Authenticated a = assertInstanceOf(Authenticated.class, c.authenticate(AuthenticationRequest.bearer("alice-token")));
        assertEquals("alice", a.user().name());
        assertEquals(1, certCalls.get());
    }

    @Test
    void rejectionsFromSeveralMethodsAggregate() {
        Authenticator certs = r -> Rejected.of(RejectionReason.UNTRUSTED_CERTIFICATE, "x509: certificate signed by unknown authority");
        AuthenticationChain c = chain().add("x509", certs).addToken("tokens", TOKENS).build();
        Rejected r = assertInstanceOf(Rejected.class, c.authenticate(AuthenticationRequest.bearer("who")));
        assertEquals("[x509: certificate signed by unknown authority, invalid bearer token]", r.message());
        assertEquals(RejectionReason.UNTRUSTED_CERTIFICATE, r.reason());
    }

    @Test
    void audienceAgnosticTokensAnswerOnlyForTheApiAudiences() {
        AuthenticationChain c = chain().addToken("tokens", TOKENS).apiAudiences(List.of("api", "other")).build();
        Authenticated a = assertInstanceOf(Authenticated.class, c.authenticate(AuthenticationRequest.bearer("alice-token")));
        assertEquals(List.of("api", "other"), a.audiences(), "no requested audiences: judged for the API audiences");

        AuthenticationRequest forOther = AuthenticationRequest.builder().header("Authorization", "Bearer alice-token")
                .audiences(List.of("other", "nobody")).build();
        assertEquals(List.of("other"), ((Authenticated) c.authenticate(forOther)).audiences());

        AuthenticationRequest foreign = AuthenticationRequest.builder().header("Authorization", "Bearer alice-token")
                .audiences(List.of("nobody")).build();
        Rejected r = assertInstanceOf(Rejected.class, c.authenticate(foreign));
        assertEquals("invalid bearer token", r.message(), "the wrapper abstained, so the bearer token is unrecognised");
    }

    @Test
    void audienceAgnosticWrapperRefusesADelegateThatReturnsAudiences() {
        TokenAuthenticator liar = (t, a) -> Authenticated.of(UserInfo.of("x", "")).withAudiences(List.of("z"));
        AudienceAgnosticTokenAuthenticator w = new AudienceAgnosticTokenAuthenticator(List.of("api"), liar);
        Rejected r = assertInstanceOf(Rejected.class, w.authenticate("t", List.of("api")));
        assertEquals("audience agnostic authenticator wrapped an authenticator that returned audiences: [\"z\"]", r.message());
    }

    @Test
    void audienceAwareTokensAreNotWrappedButTheirAudiencesMustMatch() {
        TokenAuthenticator aware = new TokenAuthenticator() {
            @Override
            public AuthenticationResult authenticate(String token, List<String> audiences) {
                return Authenticated.of(UserInfo.of("sa", "")).withAudiences(List.of("vault"));
            }

            @Override
            public boolean isAudienceAware() {
                return true;
            }
        };
        AuthenticationChain c = chain().addToken("sa", aware).apiAudiences(List.of("api")).build();
        Rejected r = assertInstanceOf(Rejected.class, c.authenticate(AuthenticationRequest.bearer("t")));
        assertEquals(RejectionReason.WRONG_AUDIENCE, r.reason());
        assertEquals("unable to match the audience: [vault] , accepted: [api]", r.message());
    }

    @Test
    void anAuthenticatorThatThrowsIsAnInternalErrorNotAnException() {
        Authenticator broken = r -> {
            throw new IllegalStateException("bug");
        };
        AuthenticationChain c = chain().add("broken", broken).build();
        Rejected r = assertInstanceOf(Rejected.class, c.authenticate(AuthenticationRequest.bearer("x")));
        assertEquals(RejectionReason.INTERNAL_ERROR, r.reason());
    }

    @Test
    void aListenerThatThrowsDoesNotBreakAuthentication() {
        AuthenticationListener throwing = new AuthenticationListener() {
            @Override
            public void authenticated(UserInfo user, java.time.Duration latency) {
                throw new IllegalStateException("listener bug");
            }
        };
        AuthenticationChain c = AuthenticationChain.builder().listener(throwing).addToken("tokens", TOKENS).build();
        assertInstanceOf(Authenticated.class, c.authenticate(AuthenticationRequest.bearer("alice-token")));
    }

    @Test
    void explainGivesEveryVerdictInOrderBypassingTheCache() {
        AtomicInteger tokenCalls = new AtomicInteger();
        TokenAuthenticator counting = (t, a) -> {
            tokenCalls.incrementAndGet();
            return TOKENS.authenticate(t, a);
        };
        Authenticator certs = r -> Rejected.of(RejectionReason.UNTRUSTED_CERTIFICATE, "bad cert");
        AuthenticationChain c = chain().add("x509", certs).addToken("static", counting)
                .addToken("other", (t, a) -> Rejected.of(RejectionReason.EXPIRED, "old")).build();
        c.authenticate(AuthenticationRequest.bearer("alice-token"));
        Explanation e = c.explain(AuthenticationRequest.bearer("alice-token"));
        assertEquals(List.of("x509", "static", "other"), e.verdicts().stream().map(Explanation.Verdict::authenticator).toList());
        assertInstanceOf(Rejected.class, e.verdicts().get(0).result());
        assertInstanceOf(Authenticated.class, e.verdicts().get(1).result());
        assertInstanceOf(Rejected.class, e.verdicts().get(2).result());
        assertInstanceOf(Authenticated.class, e.outcome());
        assertEquals(3, tokenCalls.get(), "explain ran the token authenticator itself, twice (verdict and outcome)");
        String text = e.render();
        assertTrue(text.contains("x509: rejected (UNTRUSTED_CERTIFICATE) bad cert"), text);
        assertTrue(text.contains("=> authenticated as alice"), text);
        assertFalse(text.contains("alice-token"), "explain never shows the credential");
    }

    @Test
    void closeClosesMembers() {
        AtomicBoolean closed = new AtomicBoolean();
        class Closeable implements TokenAuthenticator, AutoCloseable {
            @Override
            public AuthenticationResult authenticate(String token, List<String> audiences) {
                return Abstained.instance();
            }

            @Override
            public void close() {
                closed.set(true);
            }
        }
        chain().addToken("c", new Closeable()).build().close();
        assertTrue(closed.get());
    }

    @Test
    void builderFailsFastOnBadSettings() {
        assertThrows(IllegalStateException.class, () -> AuthenticationChain.builder().build());
        assertThrows(IllegalArgumentException.class, () -> chain().addToken("a", TOKENS).addToken("a", TOKENS));
        assertThrows(IllegalArgumentException.class, () -> chain().addToken(" ", TOKENS));
        assertThrows(IllegalArgumentException.class, () -> chain().apiAudiences(List.of("")));
        assertThrows(IllegalArgumentException.class,
                () -> new TokenCachePolicy(java.time.Duration.ofSeconds(-1), java.time.Duration.ZERO, 1));
        AuthenticationChain anonymousOnly = AuthenticationChain.builder().anonymous(true).build();
        assertInstanceOf(Authenticated.class, anonymousOnly.authenticate(AuthenticationRequest.bearer("x")));
    }

    @Test
    void requestToStringNeverShowsHeaderValues() {
        AuthenticationRequest r = AuthenticationRequest.builder().header("Authorization", "Bearer sekrit-value").build();
        assertFalse(r.toString().contains("sekrit-value"), r.toString());
        assertTrue(r.toString().contains("Authorization"), r.toString());
    }

    @Test
    void userInfoIsImmutableAndChecksExtraKeys() {
        List<String> groups = new java.util.ArrayList<>(List.of("g"));
        UserInfo u = new UserInfo("n", "", groups, Map.of());
        groups.add("h");
        assertEquals(List.of("g"), u.groups());
        assertThrows(UnsupportedOperationException.class, () -> u.groups().add("x"));
        assertThrows(IllegalArgumentException.class, () -> new UserInfo("n", "", List.of(), Map.of("Upper", List.of())));
    }
}
