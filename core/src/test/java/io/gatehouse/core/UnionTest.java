package io.gatehouse.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.gatehouse.core.AuthenticationResult.Abstained;
import io.gatehouse.core.AuthenticationResult.Authenticated;
import io.gatehouse.core.AuthenticationResult.Rejected;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/** Kubernetes' union semantics (request/union and token/union), as a property over random outcome sequences. */
class UnionTest {

    private static final UserInfo ALICE = UserInfo.of("alice", "1");

    /** A member's scripted outcome: 'A' authenticated (as user A<i>), 'R' rejected with message e<k>, '-' abstain. */
    record Step(char kind, int messageId) {
        AuthenticationResult result(int index) {
            return switch (kind) {
                case 'A' -> Authenticated.of(UserInfo.of("user" + index, ""));
                case 'R' -> Rejected.of(RejectionReason.values()[messageId % RejectionReason.values().length], "e" + messageId);
                default -> Abstained.instance();
            };
        }
    }

    @Provide
    Arbitrary<List<Step>> sequences() {
        Arbitrary<Step> step = Arbitraries.of('A', 'R', '-').flatMap(k -> Arbitraries.integers().between(0, 3).map(m -> new Step(k, m)));
        return step.list().ofMaxSize(8);
    }

    @Property(tries = 500)
    void unionMatchesKubernetes(@ForAll("sequences") List<Step> steps) {
        List<Integer> members = new ArrayList<>();
        for (int i = 0; i < steps.size(); i++) {
            members.add(i);
        }
        AtomicInteger calls = new AtomicInteger();
        AuthenticationResult r = Union.evaluate(members, i -> {
            calls.incrementAndGet();
            return steps.get(i).result(i);
        }, false);

        int firstSuccess = -1;
        for (int i = 0; i < steps.size(); i++) {
            if (steps.get(i).kind() == 'A') {
                firstSuccess = i;
                break;
            }
        }
        if (firstSuccess >= 0) {
            Authenticated a = assertInstanceOf(Authenticated.class, r, "first success wins, earlier errors dropped");
            assertEquals("user" + firstSuccess, a.user().name());
            assertEquals(firstSuccess + 1, calls.get(), "members after the first success are not asked");
            return;
        }
        assertEquals(steps.size(), calls.get(), "without a success every member is asked");
        LinkedHashSet<String> messages = new LinkedHashSet<>();
        List<Step> rejections = steps.stream().filter(s -> s.kind() == 'R').toList();
        rejections.forEach(s -> messages.add("e" + s.messageId()));
        if (rejections.isEmpty()) {
            assertInstanceOf(Abstained.class, r, "all abstain -> abstain");
            return;
        }
        Rejected rej = assertInstanceOf(Rejected.class, r);
        String expected = messages.size() == 1 ? messages.iterator().next() : "[" + String.join(", ", messages) + "]";
        assertEquals(expected, rej.message());
        assertEquals(rejections.size(), rej.singles().size());
        assertEquals(rejections.get(0).result(0) instanceof Rejected f ? f.reason() : null, rej.reason());
    }

    @Property(tries = 500)
    void failOnErrorStopsAtTheFirstRejection(@ForAll("sequences") List<Step> steps) {
        List<Integer> members = new ArrayList<>();
        for (int i = 0; i < steps.size(); i++) {
            members.add(i);
        }
        AuthenticationResult r = Union.evaluate(members, i -> steps.get(i).result(i), true);
        for (int i = 0; i < steps.size(); i++) {
            char k = steps.get(i).kind();
            if (k == 'A') {
                assertEquals("user" + i, assertInstanceOf(Authenticated.class, r).user().name());
                return;
            }
            if (k == 'R') {
                assertEquals("e" + steps.get(i).messageId(), assertInstanceOf(Rejected.class, r).message());
                return;
            }
        }
        assertInstanceOf(Abstained.class, r);
    }

    @Test
    void nestedAggregatesFlattenAndDeduplicate() {
        Rejected inner = Rejected.aggregate(List.of(Rejected.of(RejectionReason.EXPIRED, "a"),
                Rejected.of(RejectionReason.MALFORMED, "b")));
        Rejected outer = Rejected.aggregate(List.of(inner, Rejected.of(RejectionReason.MALFORMED, "a"),
                Rejected.of(RejectionReason.NOT_INITIALIZED, "c")));
        assertEquals("[a, b, c]", outer.message());
        assertEquals(RejectionReason.EXPIRED, outer.reason());
        assertEquals(4, outer.singles().size());
    }

    @Test
    void identicalMessagesReadAsOne() {
        Rejected r = Rejected.aggregate(List.of(Rejected.of(RejectionReason.MALFORMED, "x"),
                Rejected.of(RejectionReason.MALFORMED, "x")));
        assertEquals("x", r.message());
    }

    @Test
    void realLogExample() {
        Rejected r = Rejected.aggregate(List.of(Rejected.of(RejectionReason.UNRECOGNIZED_TOKEN, "invalid bearer token"),
                Rejected.of(RejectionReason.NOT_INITIALIZED, "oidc: authenticator not initialized")));
        assertEquals("[invalid bearer token, oidc: authenticator not initialized]", r.message());
    }

    @Test
    void singleRejectionIsItself() {
        Rejected one = Rejected.of(RejectionReason.REVOKED, "r");
        assertSame(one, Rejected.aggregate(List.of(one)));
    }

    @Test
    void publicUnionsFollowTheSameRules() {
        TokenAuthenticator expired = (t, a) -> Rejected.of(RejectionReason.EXPIRED, "expired");
        TokenAuthenticator alice = (t, a) -> Authenticated.of(ALICE);
        assertInstanceOf(Authenticated.class, Unions.ofTokens(List.of(expired, alice)).authenticate("t", List.of()));
        assertInstanceOf(Rejected.class, Unions.failOnErrorTokens(List.of(expired, alice)).authenticate("t", List.of()));
        Authenticator reject = r -> Rejected.of(RejectionReason.EXPIRED, "expired");
        Authenticator ok = r -> Authenticated.of(ALICE);
        assertInstanceOf(Authenticated.class, Unions.of(List.of(reject, ok)).authenticate(AuthenticationRequest.bearer("x")));
        assertInstanceOf(Rejected.class, Unions.failOnError(List.of(reject, ok)).authenticate(AuthenticationRequest.bearer("x")));
        assertSame(alice, Unions.ofTokens(List.of(alice)), "a union of one is the member itself, as in Kubernetes");
    }

    @Test
    void warningsOfAbstainingMembersReachTheOutcome() {
        List<AuthenticationResult> results = List.of(new Abstained(List.of("w1")), Authenticated.of(ALICE));
        AuthenticationResult r = Union.evaluate(results, x -> x, false);
        assertEquals(List.of("w1"), r.warnings());
    }
}
