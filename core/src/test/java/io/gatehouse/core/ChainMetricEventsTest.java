package io.gatehouse.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gatehouse.core.AuthenticationResult.Abstained;
import io.gatehouse.core.AuthenticationResult.Authenticated;
import io.gatehouse.core.AuthenticationResult.Rejected;
import io.gatehouse.core.testing.MetricEventsListener;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The events metrics are made of, as the chain and its token cache emit them: which member decided, and the token
 * cache's requests, fetches and waits where Kubernetes' {@code token/cache} records them.
 */
class ChainMetricEventsTest {

    private final MetricEventsListener events = new MetricEventsListener();

    private static TokenAuthenticator accepting(String prefix, String user) {
        return (t, a) -> t.startsWith(prefix) ? Authenticated.of(UserInfo.of(user, "")) : Abstained.instance();
    }

    private static TokenAuthenticator rejecting(String prefix) {
        return (t, a) -> t.startsWith(prefix) ? Rejected.of(RejectionReason.REVOKED, "revoked") : Abstained.instance();
    }

    private static Authenticator headerUser() {
        return r -> r.header("X-Test-User") == null ? Abstained.instance()
                : r.header("X-Test-User").isEmpty() ? Rejected.of(RejectionReason.MALFORMED, "empty")
                : Authenticated.of(UserInfo.of(r.header("X-Test-User"), ""));
    }

    private AuthenticationChain.Builder chain() {
        return AuthenticationChain.builder().listener(events)
                .add("front", headerUser())
                .addToken("deny", rejecting("bad-"))
                .addToken("tokens", accepting("good-", "alice"))
                .addToken("also-deny", rejecting("bad-"));
    }

    @Test
    void eachVerdictNamesTheMemberThatDecidedIt() {
        try (AuthenticationChain c = chain().build()) {
            c.authenticate(AuthenticationRequest.bearer("good-1"));
            c.authenticate(AuthenticationRequest.bearer("good-1"));                       // a cache hit
            c.authenticate(AuthenticationRequest.bearer("bad-1"));                        // two reject: the first
            c.authenticate(AuthenticationRequest.builder().header("X-Test-User", "bob").build());
            c.authenticate(AuthenticationRequest.builder().header("X-Test-User", "").build());
            // The request member rejects, the token member authenticates: the union's success decides.
            c.authenticate(AuthenticationRequest.builder().header("X-Test-User", "")
                    .header("Authorization", "Bearer good-2").build());
            c.authenticate(AuthenticationRequest.builder().build());
        }
        assertEquals(List.of("decided tokens Authenticated", "decided tokens Authenticated", "decided deny Rejected",
                "decided front Authenticated", "decided front Rejected", "decided tokens Authenticated",
                "decided null Abstained"), events.eventsStartingWith("decided"));
    }

    @Test
    void aRefusedAudienceIsDecidedByTheMemberThatAuthenticated() {
        try (AuthenticationChain c = AuthenticationChain.builder().listener(events)
                .addToken("aware", new TokenAuthenticator() {
                    @Override
                    public AuthenticationResult authenticate(String token, List<String> audiences) {
                        return new Authenticated(UserInfo.of("alice", ""), List.of("elsewhere"), null, List.of());
                    }

                    @Override
                    public boolean isAudienceAware() {
                        return true;
                    }
                }).build()) {
            assertInstanceOf(Rejected.class, c.authenticate(AuthenticationRequest.bearer("t").withAudiences(List.of("api"))));
        }
        assertEquals(List.of("decided aware Rejected"), events.eventsStartingWith("decided"));
    }

    @Test
    void anonymousIsDecidedByNoMember() {
        try (AuthenticationChain c = chain().anonymous(true).build()) {
            assertInstanceOf(Authenticated.class, c.authenticate(AuthenticationRequest.builder().build()));
        }
        assertEquals(List.of("decided null Authenticated"), events.eventsStartingWith("decided"));
    }

    @Test
    void aChainInsideAChainNamesItsOwnMembersAndLeavesTheOuterChainsRecordAlone() {
        MetricEventsListener inner = new MetricEventsListener();
        try (AuthenticationChain nested = AuthenticationChain.builder().listener(inner).add("inner-front", headerUser()).build();
             AuthenticationChain outer = AuthenticationChain.builder().listener(events)
                     .add("first", r -> r.header("X-First") == null ? Abstained.instance()
                             : Rejected.of(RejectionReason.MALFORMED, "no"))
                     .add("nested", nested).build()) {
            outer.authenticate(AuthenticationRequest.builder().header("X-Test-User", "bob").build());
            outer.authenticate(AuthenticationRequest.builder().header("X-First", "x").header("X-Test-User", "").build());
        }
        assertEquals(List.of("decided inner-front Authenticated", "decided inner-front Rejected"),
                inner.eventsStartingWith("decided"));
        assertEquals(List.of("decided nested Authenticated", "decided first Rejected"), events.eventsStartingWith("decided"));
    }

    @Test
    void aChainWithoutListenerEmitsNothingAndStillJudges() {
        try (AuthenticationChain c = chain().listener(AuthenticationListener.NONE).build()) {
            assertInstanceOf(Authenticated.class, c.authenticate(AuthenticationRequest.bearer("good-1")));
            assertInstanceOf(Authenticated.class, c.authenticate(AuthenticationRequest.bearer("good-1")));
        }
        assertEquals(List.of(), events.events());
    }

    @Test
    void theTokenCacheReportsAsKubernetesRecords() {
        try (AuthenticationChain c = chain().build()) {
            c.authenticate(AuthenticationRequest.bearer("good-1"));
            List<String> miss = List.of("tokenCacheBlocked 1", "tokenCacheInFlight 1", "tokenCacheInFlight -1",
                    "tokenCacheFetch ok", "tokenCacheBlocked -1", "tokenCacheRequest miss");
            assertEquals(miss, events.eventsStartingWith("tokenCache"));
            events.clear();
            c.authenticate(AuthenticationRequest.bearer("good-1"));
            assertEquals(List.of("tokenCacheRequest hit"), events.eventsStartingWith("tokenCache"));
            events.clear();
            c.authenticate(AuthenticationRequest.bearer("nobody"));   // all abstain: Kubernetes' delegate error is nil
            assertEquals(List.of("tokenCacheFetch ok"), events.eventsStartingWith("tokenCacheFetch"));
            events.clear();
            c.authenticate(AuthenticationRequest.bearer("bad-1"));    // a rejection is the delegate's error
            assertEquals(List.of("tokenCacheFetch error"), events.eventsStartingWith("tokenCacheFetch"));
            events.clear();
            c.authenticate(AuthenticationRequest.builder().build());  // no token: no lookup
            assertEquals(List.of(), events.eventsStartingWith("tokenCache"));
        }
    }

    @Test
    void aCrashIsAFetchError() {
        try (AuthenticationChain c = AuthenticationChain.builder().listener(events)
                .addToken("broken", (t, a) -> {
                    throw new IllegalStateException("boom");
                }).build()) {
            c.authenticate(AuthenticationRequest.bearer("x"));
        }
        assertEquals(List.of("tokenCacheFetch error"), events.eventsStartingWith("tokenCacheFetch"));
        assertEquals(List.of("tokenCacheInFlight 1", "tokenCacheInFlight -1"), events.eventsStartingWith("tokenCacheInFlight"));
    }

    @Test
    void aCallerWaitingForAConcurrentVerificationIsABlockedMissWithoutAFetch() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger calls = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try (AuthenticationChain c = AuthenticationChain.builder().listener(events)
                .addToken("slow", (t, a) -> {
                    calls.incrementAndGet();
                    try {
                        release.await(30, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return Authenticated.of(UserInfo.of("alice", ""));
                }).build()) {
            Future<AuthenticationResult> leader = pool.submit(() -> c.authenticate(AuthenticationRequest.bearer("t")));
            awaitEvents("tokenCacheInFlight 1", 1);
            Future<AuthenticationResult> waiter = pool.submit(() -> c.authenticate(AuthenticationRequest.bearer("t")));
            awaitEvents("tokenCacheBlocked 1", 2);
            release.countDown();
            assertInstanceOf(Authenticated.class, leader.get(30, TimeUnit.SECONDS));
            assertInstanceOf(Authenticated.class, waiter.get(30, TimeUnit.SECONDS));
        } finally {
            pool.shutdown();
        }
        assertEquals(1, calls.get());
        assertEquals(2, events.eventsStartingWith("tokenCacheBlocked -1").size());
        assertEquals(List.of("tokenCacheFetch ok"), events.eventsStartingWith("tokenCacheFetch"));
        assertEquals(List.of("tokenCacheRequest miss", "tokenCacheRequest miss"), events.eventsStartingWith("tokenCacheRequest"));
        assertEquals(List.of("decided slow Authenticated", "decided slow Authenticated"), events.eventsStartingWith("decided"));
    }

    private void awaitEvents(String event, int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (events.eventsStartingWith(event).size() < count) {
            assertTrue(System.nanoTime() < deadline, "no " + count + " x " + event + " within 30 s: " + events.events());
            Thread.sleep(5);
        }
    }
}
