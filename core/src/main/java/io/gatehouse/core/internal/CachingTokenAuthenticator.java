package io.gatehouse.core.internal;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import io.gatehouse.core.AuthenticationListener;
import io.gatehouse.core.AuthenticationResult.Authenticated;
import io.gatehouse.core.AuthenticationResult.Rejected;
import io.gatehouse.core.AuthenticationResult;
import io.gatehouse.core.RejectionReason;
import io.gatehouse.core.TokenAuthenticator;
import io.gatehouse.core.TokenCachePolicy;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.function.Predicate;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kubernetes' token cache ({@code token/cache}) on Caffeine: verdicts are keyed by
 * HMAC-SHA256(per-instance random key, length-prefixed token and audiences), so that no token sits in
 * memory as a key; concurrent misses for one key run the delegate once and share its verdict.
 */
public final class CachingTokenAuthenticator implements TokenAuthenticator {

    private static final Logger LOG = LoggerFactory.getLogger(CachingTokenAuthenticator.class);
    private static final String CRASH_MESSAGE = "authentication failed unexpectedly";
    /** One hit in this many (on average; a power of two) is recorded in the eviction policy. */
    static final int RECORDED_HIT_INTERVAL = 16;
    private static final Predicate<AuthenticationResult> KEEP_ALL = r -> true;

    private final TokenAuthenticator delegate;
    private final TokenCachePolicy policy;
    private final Clock clock;
    private final AuthenticationListener listener;
    private final Predicate<AuthenticationResult> keep;
    private final ThreadLocal<Scratch> scratch;
    private final AsyncCache<Key, Entry> cache;
    /** Reads a finished verdict without recording the read in Caffeine's eviction policy. */
    private final com.github.benmanes.caffeine.cache.Policy<Key, Entry> quiet;

    /** A cache keeping every verdict for its policy's TTL. */
    public CachingTokenAuthenticator(TokenAuthenticator delegate, TokenCachePolicy policy, Clock clock,
                                     AuthenticationListener listener) {
        this(delegate, policy, clock, listener, KEEP_ALL);
    }

    /**
     * A cache keeping only the verdicts {@code keep} accepts, each for its policy's TTL; the others are shared with
     * concurrent callers of the same key and then dropped.
     */
    public CachingTokenAuthenticator(TokenAuthenticator delegate, TokenCachePolicy policy, Clock clock,
                                     AuthenticationListener listener, Predicate<AuthenticationResult> keep) {
        this.delegate = delegate;
        this.keep = keep;
        this.policy = policy;
        this.clock = clock;
        this.listener = listener;
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        SecretKeySpec key = new SecretKeySpec(secret, "HmacSHA256");
        this.scratch = ThreadLocal.withInitial(() -> new Scratch(newMac(key)));
        this.cache = Caffeine.newBuilder()
                .maximumSize(policy.maximumSize())
                // The system clock's nanoTime ticker costs nothing per read; an injected clock (tests) drives
                // expiry through its instants instead.
                .ticker(isSystemClock(clock) ? Ticker.systemTicker() : () -> nanos(clock.instant()))
                .expireAfter(ExpireAt.<Key, Entry>after(e -> ttlNanos(e.verdict())))
                // Maintenance stays on Caffeine's default executor: run on the calling thread, it serialised
                // concurrent hits on the eviction lock (two threads measured no faster than one).
                .buildAsync();
        this.quiet = cache.synchronous().policy();
    }

    @Override
    public AuthenticationResult authenticate(String token, List<String> audiences) {
        if (listener == AuthenticationListener.NONE) {
            return lookup(token, audiences, null, 0, false);
        }
        Decision decision = Decision.current();
        if (decision.deferLookup(this)) {
            // The chain's own lookup, first in the request: timed by the chain's clock reads (see Decision).
            return lookup(token, audiences, decision, 0, true);
        }
        long start = System.nanoTime();
        decision.clockRead(start);
        return lookup(token, audiences, decision, start, false);
    }

    /**
     * The lookup; with a listener, {@code decision} is this thread's record and {@code start} the lookup's
     * {@link System#nanoTime()}, unless {@code deferred}: the chain then times it.
     */
    private AuthenticationResult lookup(String token, List<String> audiences, Decision decision, long start,
                                        boolean deferred) {
        // A hit is looked up with this thread's reusable probe key; only a miss allocates a key to keep.
        Scratch s = scratch.get();
        Key probe = s.digest(token, audiences);
        if ((java.util.concurrent.ThreadLocalRandom.current().nextInt() & (RECORDED_HIT_INTERVAL - 1)) != 0) {
            // Most hits skip Caffeine's read buffer: recording every read of a hot entry only feeds the
            // frequency sketch counts it already saturates (they stop at 15), and the buffer's maintenance
            // runs on another thread, taking the CPU concurrent requests need. The sample is random, not
            // every n-th call, so that no request pattern can keep a token's hits from being recorded.
            Entry ready = quiet.getIfPresentQuietly(probe);
            if (ready != null) {
                if (decision != null) {
                    // The fingerprint was computed when the verdict was cached: a hit formats nothing.
                    listener.cacheHit(ready.fingerprint() != null ? ready.fingerprint() : probe.fingerprint());
                    return reported(ready, true, decision, start, deferred);
                }
                return ready.verdict();
            }
        }
        CompletableFuture<Entry> existing = cache.getIfPresent(probe);
        if (existing != null) {
            if (decision != null) {
                listener.cacheHit(probe.fingerprint());
                return joinReported(existing, decision, start, deferred);
            }
            return join(existing).verdict();
        }
        Key key = probe.copy();
        CompletableFuture<Entry> mine = new CompletableFuture<>();
        existing = cache.asMap().putIfAbsent(key, mine);
        if (existing != null) {
            if (decision != null) {
                listener.cacheHit(key.fingerprint());
                return joinReported(existing, decision, start, deferred);
            }
            return join(existing).verdict();
        }
        if (decision == null) {
            return fetch(key, mine, token, audiences).verdict();
        }
        listener.cacheMiss(key.fingerprint());
        listener.tokenCacheBlocked(1);
        listener.tokenCacheInFlight(1);
        // Whoever decides inside the delegate is named with the verdict it reached, apart from what the chain
        // recorded before the token step; a later hit names it again from the cache.
        Object before = decision.save();
        decision.reset();
        Entry fetched;
        try {
            fetched = fetch(key, mine, token, audiences);
        } finally {
            listener.tokenCacheInFlight(-1);
            decision.restore(before);
        }
        listener.tokenCacheFetch(!(fetched.verdict() instanceof Rejected));
        listener.tokenCacheBlocked(-1);
        return reported(fetched, false, decision, start, deferred);
    }

    /** Runs the delegate for a missed key and completes {@code mine} with its verdict. */
    private Entry fetch(Key key, CompletableFuture<Entry> mine, String token, List<String> audiences) {
        AuthenticationResult verdict;
        try {
            verdict = delegate.authenticate(token, audiences);
        } catch (RuntimeException | Error e) {
            LOG.error("token authenticator {} crashed; credential {}", delegate.getClass().getName(), key.fingerprint(), e);
            Entry crashed = new Entry(Rejected.of(RejectionReason.INTERNAL_ERROR, CRASH_MESSAGE), null, null);
            // A crash is not a verdict about the token: waiters get it, the cache forgets it.
            mine.complete(crashed);
            cache.asMap().remove(key, mine);
            return crashed;
        }
        Entry entry = listener == AuthenticationListener.NONE ? new Entry(verdict, null, null)
                : new Entry(verdict, Decision.current().member(), key.fingerprint());
        mine.complete(entry);
        if (ttlNanos(verdict) <= 0 || !keep.test(verdict)) {
            // Not to be kept: waiters already share it through the future. Dropping the entry now keeps an
            // attacker's stream of garbage tokens from filling the cache and evicting good entries.
            cache.asMap().remove(key, mine);
        }
        return entry;
    }

    /** A verdict found in the cache, possibly still being reached: a wait counts as a miss, as Kubernetes counts it. */
    private AuthenticationResult joinReported(CompletableFuture<Entry> f, Decision decision, long start,
                                              boolean deferred) {
        if (f.isDone()) {
            return reported(join(f), true, decision, start, deferred);
        }
        listener.tokenCacheBlocked(1);
        Entry e;
        try {
            e = join(f);
        } finally {
            listener.tokenCacheBlocked(-1);
        }
        return reported(e, false, decision, start, deferred);
    }

    /** Reports the ended lookup and names the deciding member; returns the verdict. */
    private AuthenticationResult reported(Entry e, boolean hit, Decision decision, long start, boolean deferred) {
        decision.record(e.decider(), e.verdict());
        if (deferred) {
            decision.deferredLookupEnded(hit);
        } else {
            listener.tokenCacheRequest(hit, System.nanoTime() - start);
        }
        return e.verdict();
    }

    /**
     * A verdict, the chain member that reached it and the credential's fingerprint for events (both null when unknown
     * or when nobody listens).
     */
    private record Entry(AuthenticationResult verdict, String decider, String fingerprint) {
    }

    /** How long a verdict may be reused: the policy's TTL for its kind, never past the credential's expiry. */
    private long ttlNanos(AuthenticationResult verdict) {
        if (verdict instanceof Authenticated a) {
            long ttl = policy.successTtl().toNanos();
            if (a.expiresAt() != null) {
                long left = Duration.between(clock.instant(), a.expiresAt()).toNanos();
                ttl = Math.min(ttl, Math.max(0, left));
            }
            return ttl;
        }
        return policy.failureTtl().toNanos();
    }

    @Override
    public boolean isAudienceAware() {
        return delegate.isAudienceAware();
    }

    /** How many verdicts the cache holds now (after pending clean-up); for tests. */
    public long size() {
        cache.synchronous().cleanUp();
        return cache.synchronous().estimatedSize();
    }

    private static Entry join(CompletableFuture<Entry> f) {
        if (f.isDone() && !f.isCompletedExceptionally()) {
            return f.getNow(null);
        }
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return f.get();
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException | CompletionException e) {
                    return new Entry(Rejected.of(RejectionReason.INTERNAL_ERROR, CRASH_MESSAGE), null, null);
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * One thread's HMAC and buffers. Kubernetes' key layout is hashed:
     * u32be(len(token)) ‖ token ‖ u32be(len(auds)) ‖ (u32be(len(aud)) ‖ aud)*, with the UTF-8 of an ASCII
     * token written into a reused buffer instead of a fresh array.
     */
    private static final class Scratch {
        private final Mac mac;
        private final byte[] len = new byte[4];
        private byte[] ascii = new byte[256];
        private final Key probe = new Key(new byte[32]);

        Scratch(Mac mac) {
            this.mac = mac;
        }

        /** The probe key, set to the HMAC of {@code token} and {@code audiences}. */
        Key digest(String token, List<String> audiences) {
            update(token);
            putU32(len, audiences.size());
            mac.update(len);
            for (String aud : audiences) {
                update(aud);
            }
            try {
                mac.doFinal(probe.digest, 0);
            } catch (javax.crypto.ShortBufferException e) {
                throw new IllegalStateException("HMAC-SHA256 is 32 bytes", e);
            }
            probe.rehash();
            return probe;
        }

        /** u32be(len(UTF-8 of s)) ‖ UTF-8 of s. */
        private void update(String s) {
            int n = s.length();
            if (n > ascii.length && n <= 64 * 1024) {
                ascii = new byte[Math.max(n, ascii.length * 2)];
            }
            if (n <= ascii.length) {
                byte[] out = ascii;
                int i = 0;
                for (; i < n; i++) {
                    char c = s.charAt(i);
                    if (c >= 0x80) {
                        break;
                    }
                    out[i] = (byte) c;
                }
                if (i == n) {
                    putU32(len, n);
                    mac.update(len);
                    mac.update(out, 0, n);
                    return;
                }
            }
            byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
            putU32(len, utf8.length);
            mac.update(len);
            mac.update(utf8);
        }
    }

    private static void putU32(byte[] b, int v) {
        b[0] = (byte) (v >>> 24);
        b[1] = (byte) (v >>> 16);
        b[2] = (byte) (v >>> 8);
        b[3] = (byte) v;
    }

    private static Mac newMac(SecretKeySpec key) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is required of every Java platform", e);
        }
    }

    private static boolean isSystemClock(Clock clock) {
        return clock.equals(Clock.systemUTC()) || clock.equals(Clock.systemDefaultZone());
    }

    private static long nanos(Instant i) {
        return i.getEpochSecond() * 1_000_000_000L + i.getNano();
    }

    /**
     * A 32-byte HMAC digest as a map key. The keys in the cache are never modified; each thread's probe key
     * is refilled for every lookup and never inserted.
     */
    private static final class Key {
        private final byte[] digest;
        private int hash;

        Key(byte[] digest) {
            this.digest = digest;
            this.hash = hash(digest);
        }

        void rehash() {
            hash = hash(digest);
        }

        /** The first four bytes of the HMAC: uniformly distributed, as good a hash as any of the whole. */
        private static int hash(byte[] d) {
            return (d[0] & 0xff) << 24 | (d[1] & 0xff) << 16 | (d[2] & 0xff) << 8 | (d[3] & 0xff);
        }

        /** A key of its own with this digest, to be kept in the cache. */
        Key copy() {
            return new Key(digest.clone());
        }

        String fingerprint() {
            return "hmac:" + HexFormat.of().formatHex(digest, 0, 6);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Arrays.equals(digest, k.digest);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }
}
