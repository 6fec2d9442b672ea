package io.gatehouse.core.internal;

import com.github.benmanes.caffeine.cache.Expiry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Function;
import java.util.function.ToLongFunction;

/**
 * A Caffeine {@link Expiry} for caches whose values know when they stop being good (a verdict, a verified
 * chain, an OCSP answer): the entry lives as long as its value says from when it is written, and reading it
 * does not extend it. Gatehouse's one such expiry.
 *
 * @param <K> the cache's key type
 * @param <V> the cache's value type
 */
public final class ExpireAt<K, V> implements Expiry<K, V> {

    private final ToLongFunction<V> nanosToLive;

    private ExpireAt(ToLongFunction<V> nanosToLive) {
        this.nanosToLive = nanosToLive;
    }

    /** Each value lives for the nanoseconds {@code nanosToLive} gives it when written (0 or less: not kept). */
    public static <K, V> ExpireAt<K, V> after(ToLongFunction<V> nanosToLive) {
        return new ExpireAt<>(nanosToLive);
    }

    /** Each value lives until the instant {@code deadline} gives it, as {@code clock} tells the time when written. */
    public static <K, V> ExpireAt<K, V> until(Clock clock, Function<V, Instant> deadline) {
        return new ExpireAt<>(v -> nanosUntil(clock.instant(), deadline.apply(v)));
    }

    /** Nanoseconds from {@code now} to {@code deadline}: 0 if it has passed, {@code Long.MAX_VALUE} if too far to count. */
    public static long nanosUntil(Instant now, Instant deadline) {
        Duration left = Duration.between(now, deadline);
        if (left.isNegative()) {
            return 0;
        }
        try {
            return left.toNanos();
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }

    @Override
    public long expireAfterCreate(K key, V value, long currentTime) {
        return Math.max(0, nanosToLive.applyAsLong(value));
    }

    @Override
    public long expireAfterUpdate(K key, V value, long currentTime, long currentDuration) {
        return expireAfterCreate(key, value, currentTime);
    }

    @Override
    public long expireAfterRead(K key, V value, long currentTime, long currentDuration) {
        return currentDuration;
    }
}
