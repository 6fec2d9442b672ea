package io.gatehouse.x509;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.gatehouse.core.AuthenticationResult.Authenticated;
import io.gatehouse.core.internal.ExpireAt;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Instant;

/**
 * Successful verdicts of verified chains, keyed by the SHA-256 of the presented chain's encodings. An entry
 * serves only while the trust state it was verified under is still in force and the time is within the window
 * the entry was given (the chain's validity, the CRLs' and OCSP answers' freshness, the cache TTL); Caffeine
 * drops it at the window's end. Thread-safe.
 */
final class VerifiedChainCache {

    private record Entry(TrustState.Snapshot state, Authenticated result, Instant validFrom, Instant expiresAt) {
    }

    private final Cache<ByteBuffer, Entry> cache;

    VerifiedChainCache(long maximumSize, Clock clock) {
        this.cache = Caffeine.newBuilder()
                .maximumSize(maximumSize)
                .expireAfter(ExpireAt.<ByteBuffer, Entry>until(clock, Entry::expiresAt))
                .build();
    }

    /** The cached verdict for {@code key} under {@code state} at {@code now}, or null. */
    Authenticated get(ByteBuffer key, TrustState.Snapshot state, Instant now) {
        Entry hit = cache.getIfPresent(key);
        if (hit != null && hit.state() == state && !now.isBefore(hit.validFrom()) && now.isBefore(hit.expiresAt())) {
            return hit.result();
        }
        return null;
    }

    /** Keeps {@code result} for {@code key}, verified under {@code state}, for {@code [validFrom, expiresAt)}. */
    void put(ByteBuffer key, TrustState.Snapshot state, Authenticated result, Instant validFrom, Instant expiresAt) {
        cache.put(key, new Entry(state, result, validFrom, expiresAt));
    }

    /** Drops every entry (the trust anchors or CRLs changed). */
    void invalidateAll() {
        cache.invalidateAll();
    }

    /** How many verified chains are cached now. */
    long size() {
        cache.cleanUp();
        return cache.estimatedSize();
    }
}
