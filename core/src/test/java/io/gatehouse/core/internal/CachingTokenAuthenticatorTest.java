package io.gatehouse.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gatehouse.core.AuthenticationListener;
import io.gatehouse.core.AuthenticationResult.Authenticated;
import io.gatehouse.core.AuthenticationResult.Rejected;
import io.gatehouse.core.AuthenticationResult;
import io.gatehouse.core.RejectionReason;
import io.gatehouse.core.TokenAuthenticator;
import io.gatehouse.core.TokenCachePolicy;
import io.gatehouse.core.UserInfo;
import io.gatehouse.core.testing.MutableClock;
import io.gatehouse.core.testing.RecordingListener;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The token-result cache: keys, TTLs, the credential's own expiry, single-flight and crash handling. */
class CachingTokenAuthenticatorTest {

    private final MutableClock clock = MutableClock.atDefaultStart();
    private final AtomicInteger calls = new AtomicInteger();
    private final RecordingListener listener = new RecordingListener();

    private CachingTokenAuthenticator cache(TokenAuthenticator delegate, Duration success, Duration failure) {
        return new CachingTokenAuthenticator((t, a) -> {
            calls.incrementAndGet();
            return delegate.authenticate(t, a);
        }, new TokenCachePolicy(success, failure, 1000), clock, listener);
    }

    private static TokenAuthenticator alice(Instant expiresAt) {
        return (t, a) -> t.equals("good") ? Authenticated.of(UserInfo.of("alice", ""), expiresAt)
                : Rejected.of(RejectionReason.INVALID_CREDENTIAL, "bad token");
    }

    @Test
    void successIsReusedUntilItsTtl() {
        CachingTokenAuthenticator c = cache(alice(null), Duration.ofSeconds(10), Duration.ZERO);
        assertInstanceOf(Authenticated.class, c.authenticate("good", List.of()));
        clock.advance(Duration.ofSeconds(9));
        assertInstanceOf(Authenticated.class, c.authenticate("good", List.of()));
        assertEquals(1, calls.get());
        clock.advance(Duration.ofSeconds(2));
        assertInstanceOf(Authenticated.class, c.authenticate("good", List.of()));
        assertEquals(2, calls.get());
        assertEquals(List.of("cacheMiss", "cacheHit", "cacheMiss"),
                listener.events().stream().map(e -> e.split(" ")[0]).toList());
    }

    @Test
    void successNeverOutlivesTheCredential() {
        CachingTokenAuthenticator c = cache(alice(clock.instant().plusSeconds(3)), Duration.ofSeconds(10), Duration.ZERO);
        c.authenticate("good", List.of());
        clock.advance(Duration.ofSeconds(2));
        c.authenticate("good", List.of());
        assertEquals(1, calls.get());
        clock.advance(Duration.ofSeconds(2));
        c.authenticate("good", List.of());
        assertEquals(2, calls.get(), "the credential expired after 3 s, before the 10 s TTL");
    }

    @Test
    void alreadyExpiredCredentialIsNotCached() {
        CachingTokenAuthenticator c = cache(alice(clock.instant().minusSeconds(1)), Duration.ofSeconds(10), Duration.ZERO);
        c.authenticate("good", List.of());
        c.authenticate("good", List.of());
        assertEquals(2, calls.get());
    }

    @Test
    void failuresAreNotCachedByDefault() {
        CachingTokenAuthenticator c = cache(alice(null), Duration.ofSeconds(10), Duration.ZERO);
        c.authenticate("bad", List.of());
        c.authenticate("bad", List.of());
        assertEquals(2, calls.get());
        assertEquals(0, c.size());
    }

    @Test
    void failuresAreCachedForTheFailureTtl() {
        CachingTokenAuthenticator c = cache(alice(null), Duration.ofSeconds(10), Duration.ofSeconds(1));
        c.authenticate("bad", List.of());
        c.authenticate("bad", List.of());
        assertEquals(1, calls.get());
        clock.advance(Duration.ofMillis(1001));
        c.authenticate("bad", List.of());
        assertEquals(2, calls.get());
    }

    @Test
    void audiencesAndTheirOrderArePartOfTheKey() {
        CachingTokenAuthenticator c = cache(alice(null), Duration.ofSeconds(10), Duration.ZERO);
        c.authenticate("good", List.of("a", "b"));
        c.authenticate("good", List.of("a", "b"));
        assertEquals(1, calls.get());
        c.authenticate("good", List.of("b", "a"));
        assertEquals(2, calls.get());
        c.authenticate("good", List.of());
        assertEquals(3, calls.get());
        c.authenticate("good", List.of("ab"));
        c.authenticate("good", List.of("a", "b", ""));
        assertEquals(5, calls.get(), "length prefixes keep [ab] and [a b \"\"] apart");
    }

    @Test
    void tokenAndAudienceBoundariesCannotBeConfused() {
        CachingTokenAuthenticator c = cache((t, a) -> Authenticated.of(UserInfo.of(t + "|" + a, "")),
                Duration.ofSeconds(10), Duration.ZERO);
        AuthenticationResult first = c.authenticate("ab", List.of("c"));
        AuthenticationResult second = c.authenticate("a", List.of("bc"));
        assertEquals("ab|[c]", ((Authenticated) first).user().name());
        assertEquals("a|[bc]", ((Authenticated) second).user().name());
    }

    @Test
    void concurrentMissesForOneTokenAreVerifiedOnce() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch entered = new CountDownLatch(1);
        CachingTokenAuthenticator c = cache((t, a) -> {
            entered.countDown();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return Authenticated.of(UserInfo.of("alice", ""));
        }, Duration.ofSeconds(10), Duration.ZERO);
        int threads = 32;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<AuthenticationResult>> results = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            results.add(pool.submit(() -> {
                start.await();
                return c.authenticate("good", List.of());
            }));
        }
        start.countDown();
        assertTrue(entered.await(10, TimeUnit.SECONDS));
        Thread.sleep(100); // let the other callers pile up behind the one verification
        release.countDown();
        for (Future<AuthenticationResult> f : results) {
            assertEquals("alice", ((Authenticated) f.get(10, TimeUnit.SECONDS)).user().name());
        }
        pool.shutdown();
        assertEquals(1, calls.get(), "one verification for " + threads + " concurrent callers");
    }

    @Test
    void concurrentMissesShareTheVerdictEvenWhenItIsNotCached() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CachingTokenAuthenticator c = cache((t, a) -> {
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return Rejected.of(RejectionReason.EXPIRED, "expired");
        }, Duration.ofSeconds(10), Duration.ZERO);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<AuthenticationResult>> results = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            results.add(pool.submit(() -> c.authenticate("x", List.of())));
        }
        Thread.sleep(200);
        release.countDown();
        for (Future<AuthenticationResult> f : results) {
            assertInstanceOf(Rejected.class, f.get(10, TimeUnit.SECONDS));
        }
        pool.shutdown();
        assertEquals(0, c.size(), "failure TTL 0: the shared verdict is dropped once delivered");
        c.authenticate("x", List.of());
        assertTrue(calls.get() >= 2);
    }

    @Test
    void aCrashingDelegateIsAnInternalErrorAndNotCached() {
        AtomicInteger n = new AtomicInteger();
        CachingTokenAuthenticator c = cache((t, a) -> {
            if (n.getAndIncrement() == 0) {
                throw new IllegalStateException("boom");
            }
            return Authenticated.of(UserInfo.of("alice", ""));
        }, Duration.ofSeconds(10), Duration.ofSeconds(10));
        Rejected r = assertInstanceOf(Rejected.class, c.authenticate("good", List.of()));
        assertEquals(RejectionReason.INTERNAL_ERROR, r.reason());
        assertEquals("authentication failed unexpectedly", r.message());
        assertInstanceOf(Authenticated.class, c.authenticate("good", List.of()));
    }

    @Test
    void theCacheIsBounded() {
        CachingTokenAuthenticator c = new CachingTokenAuthenticator(alice(null),
                new TokenCachePolicy(Duration.ofMinutes(1), Duration.ofMinutes(1), 50), clock, AuthenticationListener.NONE);
        for (int i = 0; i < 500; i++) {
            c.authenticate("t" + i, List.of());
        }
        assertTrue(c.size() <= 50, "size " + c.size());
    }

    @Test
    void aHotTokenKeepsItsPlaceAgainstAStreamOfOneShotTokens() {
        // Only one hit in RECORDED_HIT_INTERVAL reaches Caffeine's frequency sketch; a token in steady use
        // must still win admission against tokens seen once, so that a flood of fresh valid tokens (many
        // clients, or one client minting many) does not push it out and send it back to verification.
        AtomicInteger hotCalls = new AtomicInteger();
        CachingTokenAuthenticator c = new CachingTokenAuthenticator((t, a) -> {
            if (t.equals("hot")) {
                hotCalls.incrementAndGet();
            }
            return Authenticated.of(UserInfo.of(t, ""), null);
        }, new TokenCachePolicy(Duration.ofHours(1), Duration.ZERO, 100), clock, AuthenticationListener.NONE);
        for (int i = 0; i < 20_000; i++) {
            assertEquals("hot", ((Authenticated) c.authenticate("hot", List.of())).user().name());
            assertEquals("once-" + i, ((Authenticated) c.authenticate("once-" + i, List.of())).user().name());
            if (i % 500 == 0) {
                c.size(); // let Caffeine's maintenance run, as it does between requests in a server
            }
        }
        assertTrue(c.size() <= 100, "size " + c.size());
        assertTrue(hotCalls.get() <= 3, "the hot token was verified " + hotCalls.get() + " times");
    }

    @Test
    void everyHitAnswersTheCachedVerdictWhetherRecordedOrNot() {
        CachingTokenAuthenticator c = cache(alice(null), Duration.ofSeconds(10), Duration.ZERO);
        for (int i = 0; i < 4 * CachingTokenAuthenticator.RECORDED_HIT_INTERVAL; i++) {
            assertEquals("alice", ((Authenticated) c.authenticate("good", List.of())).user().name());
            assertInstanceOf(Rejected.class, c.authenticate("bad", List.of()));
        }
        assertEquals(1 + 4 * CachingTokenAuthenticator.RECORDED_HIT_INTERVAL, calls.get(),
                "one verification of the good token, every bad one verified");
        clock.advance(Duration.ofSeconds(11));
        c.authenticate("good", List.of());
        assertEquals(2 + 4 * CachingTokenAuthenticator.RECORDED_HIT_INTERVAL, calls.get(), "expired on every path");
    }

    @Test
    void eventsCarryAFingerprintNotTheToken() {
        CachingTokenAuthenticator c = cache(alice(null), Duration.ofSeconds(10), Duration.ZERO);
        c.authenticate("good", List.of());
        String event = listener.events().get(0);
        assertTrue(event.matches("cacheMiss hmac:[0-9a-f]{12}"), event);
    }

    @Test
    void verdictsTheKeepRuleRefusesAreNotKept() {
        CachingTokenAuthenticator c = new CachingTokenAuthenticator((t, a) -> {
            calls.incrementAndGet();
            return alice(null).authenticate(t, a);
        }, new TokenCachePolicy(Duration.ofMinutes(2), Duration.ofMinutes(2), 1000), clock, listener,
                r -> r instanceof Authenticated);
        c.authenticate("good", List.of());
        c.authenticate("good", List.of());
        assertEquals(1, calls.get(), "a kept success is served from the cache");
        c.authenticate("bad", List.of());
        c.authenticate("bad", List.of());
        assertEquals(3, calls.get(), "a refusal the rule does not keep is asked again, whatever the failure TTL");
        assertEquals(1, c.size());
    }
}
