package io.gatehouse.core;

import java.time.Duration;
import java.util.Objects;

/**
 * How the chain caches token verdicts. Kubernetes' API server caches successes for 10 s and does not cache
 * failures; {@link #DEFAULT} does the same and bounds the cache at 10,000 entries (Kubernetes does not
 * bound it). A cached success never outlives its credential.
 *
 * @param successTtl  how long a success is reused; zero disables caching successes
 * @param failureTtl  how long a rejection or an unrecognised token is reused; zero disables it
 * @param maximumSize the most entries kept; older, rarely used ones are evicted first
 */
public record TokenCachePolicy(Duration successTtl, Duration failureTtl, long maximumSize) {

    /** Success 10 s, failure 0 s, at most 10,000 entries. */
    public static final TokenCachePolicy DEFAULT = new TokenCachePolicy(Duration.ofSeconds(10), Duration.ZERO, 10_000);

    /** No caching at all. */
    public static final TokenCachePolicy DISABLED = new TokenCachePolicy(Duration.ZERO, Duration.ZERO, 0);

    /**
     * Checks and copies the components.
     *
     * @param successTtl how long a success is reused; zero disables caching successes
     * @param failureTtl how long a rejection or an unrecognised token is reused; zero disables it
     * @param maximumSize the most entries kept; older, rarely used ones are evicted first
     * @throws IllegalArgumentException if a TTL is negative or the size is negative
     */
    public TokenCachePolicy {
        Objects.requireNonNull(successTtl, "successTtl");
        Objects.requireNonNull(failureTtl, "failureTtl");
        if (successTtl.isNegative()) {
            throw new IllegalArgumentException("successTtl must not be negative: " + successTtl);
        }
        if (failureTtl.isNegative()) {
            throw new IllegalArgumentException("failureTtl must not be negative: " + failureTtl);
        }
        if (maximumSize < 0) {
            throw new IllegalArgumentException("maximumSize must not be negative: " + maximumSize);
        }
    }

    /**
     * Whether this policy caches anything: a positive TTL and room for at least one entry.
     *
     * @return whether anything is cached
     */
    public boolean enabled() {
        return maximumSize > 0 && (successTtl.compareTo(Duration.ZERO) > 0 || failureTtl.compareTo(Duration.ZERO) > 0);
    }
}
