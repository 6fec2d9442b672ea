package io.gatehouse.micrometer;

import java.util.concurrent.atomic.LongAdder;

/**
 * A fixed-bucket latency histogram that costs a bucket search and two striped-counter increments per observation:
 * no clock read, no lock, no allocation. Read at scrape time, where the counts are summed. Used for the per-request
 * series on a Prometheus registry, where Micrometer's timer (a time-window max and histogram that read the clock on
 * every record) cost more than the authentication it measures.
 */
final class BucketHistogram implements LatencyRecorder {

    private final long[] boundsNanos;
    /** Observations per bucket, not cumulative; the last is +Inf. */
    private final LongAdder[] buckets;
    private final LongAdder sumNanos = new LongAdder();

    /** A histogram with these upper bounds in seconds, ascending; +Inf is implied. */
    BucketHistogram(double[] upperBoundsSeconds) {
        this.boundsNanos = new long[upperBoundsSeconds.length];
        for (int i = 0; i < upperBoundsSeconds.length; i++) {
            boundsNanos[i] = Math.round(upperBoundsSeconds[i] * 1e9);
            if (i > 0 && boundsNanos[i] <= boundsNanos[i - 1]) {
                throw new IllegalArgumentException("bucket bounds must ascend");
            }
        }
        this.buckets = new LongAdder[upperBoundsSeconds.length + 1];
        for (int i = 0; i < buckets.length; i++) {
            buckets[i] = new LongAdder();
        }
    }

    @Override
    public void record(long nanos) {
        long v = Math.max(0, nanos);
        int i = 0;
        // Latencies sit in the first buckets: a forward scan ends early, and there are at most fifteen.
        while (i < boundsNanos.length && v > boundsNanos[i]) {
            i++;
        }
        buckets[i].increment();
        sumNanos.add(v);
    }

    @Override
    public long count() {
        long n = 0;
        for (LongAdder b : buckets) {
            n += b.sum();
        }
        return n;
    }

    /** The per-bucket counts (not cumulative), +Inf last. */
    long[] bucketCounts() {
        long[] c = new long[buckets.length];
        for (int i = 0; i < c.length; i++) {
            c[i] = buckets[i].sum();
        }
        return c;
    }

    /** The sum of the observations, in seconds. */
    double sumSeconds() {
        return sumNanos.sum() / 1e9;
    }
}
