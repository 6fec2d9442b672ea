package io.gatehouse.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gatehouse.core.AuthenticationResult.Abstained;
import io.gatehouse.core.AuthenticationResult.Authenticated;
import io.gatehouse.core.AuthenticationResult.Rejected;
import io.gatehouse.core.internal.CachingTokenAuthenticator;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The chain's own token-cache lookup shares the chain's two clock reads when nothing runs before it, and is ended by
 * whatever runs after it; any other lookup times itself. The durations are compared with each other and with pauses
 * the members make (lower bounds only: nothing here depends on how fast the machine is).
 */
class ChainClockSharingTest {

    private static final long PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

    /** Each request's cache lookups and the chain's latency, as the events give them. */
    private static final class Timings implements AuthenticationListener {
        final List<String> lookups = new CopyOnWriteArrayList<>();
        final List<Long> lookupNanos = new CopyOnWriteArrayList<>();
        final List<Long> chainNanos = new CopyOnWriteArrayList<>();

        @Override
        public void tokenCacheRequest(boolean hit, long nanos) {
            lookups.add(hit ? "hit" : "miss");
            lookupNanos.add(nanos);
        }

        @Override
        public void decided(String authenticator, AuthenticationResult result, Duration latency) {
            chainNanos.add(latency.toNanos());
        }

        void clear() {
            lookups.clear();
            lookupNanos.clear();
            chainNanos.clear();
        }
    }

    private final Timings timings = new Timings();

    private static Authenticator pausing(AuthenticationResult verdict) {
        return r -> {
            pause();
            return verdict;
        };
    }

    private static void pause() {
        try {
            Thread.sleep(TimeUnit.NANOSECONDS.toMillis(PAUSE_NANOS) + 1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void aLookupFirstInTheChainIsTimedByTheChainsClockReads() {
        try (AuthenticationChain c = AuthenticationChain.builder().listener(timings)
                .addToken("tokens", (t, a) -> t.equals("good") ? Authenticated.of(UserInfo.of("alice", "")) : Abstained.instance())
                .build()) {
            c.authenticate(AuthenticationRequest.bearer("good"));
            c.authenticate(AuthenticationRequest.bearer("good"));
        }
        assertEquals(List.of("miss", "hit"), timings.lookups);
        // The same two readings: the lookup's duration is the chain's.
        assertEquals(timings.chainNanos, timings.lookupNanos);
    }

    @Test
    void aMemberAfterTheLookupEndsIt() {
        // A rejected token does not end the union: the member after it runs, and its pause is not the lookup's.
        try (AuthenticationChain c = AuthenticationChain.builder().listener(timings)
                .addToken("deny", (t, a) -> Rejected.of(RejectionReason.REVOKED, "revoked"))
                .add("slow-after", pausing(Abstained.instance()))
                .build()) {
            assertInstanceOf(Rejected.class, c.authenticate(AuthenticationRequest.bearer("bad")));
        }
        assertEquals(List.of("miss"), timings.lookups);
        long chain = timings.chainNanos.get(0);
        long lookup = timings.lookupNanos.get(0);
        assertTrue(chain - lookup >= PAUSE_NANOS, "the pause after the lookup is outside it: " + lookup + " of " + chain);
    }

    @Test
    void aLookupAfterAMemberTimesItself() {
        try (AuthenticationChain c = AuthenticationChain.builder().listener(timings)
                .add("slow-before", pausing(Abstained.instance()))
                .addToken("tokens", (t, a) -> Authenticated.of(UserInfo.of("alice", "")))
                .build()) {
            c.authenticate(AuthenticationRequest.bearer("good"));
        }
        assertEquals(List.of("miss"), timings.lookups);
        long chain = timings.chainNanos.get(0);
        long lookup = timings.lookupNanos.get(0);
        assertTrue(chain - lookup >= PAUSE_NANOS, "the pause before the lookup is outside it: " + lookup + " of " + chain);
    }

    @Test
    void aSecondLookupInOneRequestEndsTheFirstAndTimesItself() {
        // A rejected Authorization token does not end the union: the WebSocket step looks its token up too.
        try (AuthenticationChain c = AuthenticationChain.builder().listener(timings)
                .addToken("tokens", (t, a) -> {
                    if (t.equals("bad")) {
                        return Rejected.of(RejectionReason.REVOKED, "revoked");
                    }
                    pause();
                    return Authenticated.of(UserInfo.of("alice", ""));
                })
                .build()) {
            AuthenticationRequest both = AuthenticationRequest.builder().header("Authorization", "Bearer bad")
                    .header("Connection", "Upgrade").header("Upgrade", "websocket")
                    .header("Sec-WebSocket-Protocol", "base64url.bearer.authorization.k8s.io."
                            + java.util.Base64.getUrlEncoder().withoutPadding().encodeToString("good".getBytes(
                                    java.nio.charset.StandardCharsets.UTF_8)) + ",v4.channel.k8s.io")
                    .build();
            assertInstanceOf(Authenticated.class, c.authenticate(both));
        }
        // The second lookup reports as it ends, the chain's deferred first one at the chain's end.
        assertEquals(List.of("miss", "miss"), timings.lookups);
        long second = timings.lookupNanos.get(0);
        long first = timings.lookupNanos.get(1);
        long chain = timings.chainNanos.get(0);
        assertTrue(second >= PAUSE_NANOS, "the second lookup holds its verification: " + second);
        assertTrue(first <= chain - second, "the first lookup ended when the second began: " + first + " of " + chain);
    }

    @Test
    void aMembersOwnCacheInsideTheLookupTimesItselfAndLeavesTheChainsLookupOpen() {
        // As the webhook's answer cache: a cache inside a token member, reporting to the same listener.
        CachingTokenAuthenticator inner = new CachingTokenAuthenticator((t, a) -> {
            pause();
            return Authenticated.of(UserInfo.of("alice", ""));
        }, new TokenCachePolicy(Duration.ofMinutes(1), Duration.ZERO, 100), Clock.systemUTC(), timings);
        try (AuthenticationChain c = AuthenticationChain.builder().listener(timings)
                .addToken("webhook", inner)
                .build()) {
            c.authenticate(AuthenticationRequest.bearer("good"));
            assertEquals(List.of("miss", "miss"), timings.lookups, "the inner lookup ends first, then the chain's");
            long innerLookup = timings.lookupNanos.get(0);
            long outerLookup = timings.lookupNanos.get(1);
            assertTrue(innerLookup >= PAUSE_NANOS, "the inner lookup holds the verification: " + innerLookup);
            assertTrue(outerLookup >= innerLookup, "the chain's lookup holds the inner one: " + outerLookup);
            assertEquals(timings.chainNanos.get(0), outerLookup);
            timings.clear();
            c.authenticate(AuthenticationRequest.bearer("good"));
            assertEquals(List.of("hit"), timings.lookups);
            assertEquals(timings.chainNanos, timings.lookupNanos);
        }
    }

    @Test
    void aChainInsideAChainKeepsItsOwnLookupApart() {
        Timings innerTimings = new Timings();
        AuthenticationChain inner = AuthenticationChain.builder().listener(innerTimings)
                .addToken("inner-tokens", (t, a) -> t.equals("inner") ? Authenticated.of(UserInfo.of("bob", ""))
                        : Abstained.instance())
                .build();
        try (inner; AuthenticationChain outer = AuthenticationChain.builder().listener(timings)
                // Failures cached too, so that the outer token step's abstention is a hit the second time.
                .tokenCache(new TokenCachePolicy(Duration.ofMinutes(1), Duration.ofMinutes(1), 100))
                .addToken("outer-tokens", (t, a) -> t.equals("outer") ? Authenticated.of(UserInfo.of("alice", ""))
                        : Abstained.instance())
                .add("nested", inner)
                .build()) {
            outer.authenticate(AuthenticationRequest.bearer("inner"));
            outer.authenticate(AuthenticationRequest.bearer("inner"));
        }
        // Each chain reports its own cache's lookups, each timed by its own clock reads.
        assertEquals(List.of("miss", "hit"), innerTimings.lookups);
        assertEquals(innerTimings.chainNanos, innerTimings.lookupNanos);
        assertEquals(List.of("miss", "hit"), timings.lookups);
        for (int i = 0; i < 2; i++) {
            assertTrue(timings.lookupNanos.get(i) <= timings.chainNanos.get(i) - innerTimings.chainNanos.get(i),
                    "the outer lookup ended before the nested chain began");
        }
    }
}
