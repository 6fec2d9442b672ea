package io.gatehouse.micrometer;

/**
 * A fixed-bucket latency histogram that costs a bucket search and one or two adds to the calling thread's own cells
 * per observation ({@link ThreadCounts}): no clock read, no lock, no atomic instruction, no allocation. Read at scrape
 * time, where the threads' counts are summed. Used for the per-request series on a Prometheus registry, where
 * Micrometer's timer (a time-window max and histogram that read the clock on every record) cost more than the
 * authentication it measures.
 */
final class BucketHistogram implements LatencyRecorder {

    private final long[] boundsNanos;
    private final ThreadCounts counts;
    /** The first of {@code boundsNanos.length + 1} bucket slots (not cumulative, +Inf last); the sum follows them. */
    private final int first;
    private final int sumSlot;

    /** A histogram with these upper bounds in seconds, ascending (+Inf is implied), counted in {@code counts}. */
    BucketHistogram(double[] upperBoundsSeconds, ThreadCounts counts) {
        this.boundsNanos = new long[upperBoundsSeconds.length];
        for (int i = 0; i < upperBoundsSeconds.length; i++) {
            boundsNanos[i] = Math.round(upperBoundsSeconds[i] * 1e9);
            if (i > 0 && boundsNanos[i] <= boundsNanos[i - 1]) {
                throw new IllegalArgumentException("bucket bounds must ascend");
            }
        }
        this.counts = counts;
        this.first = counts.allocate(boundsNanos.length + 2);
        this.sumSlot = first + boundsNanos.length + 1;
    }

    @Override
    public void record(long nanos) {
        long v = Math.max(0, nanos);
        int i = 0;
        // Latencies sit in the first buckets: a forward scan ends early, and there are at most fifteen.
        while (i < boundsNanos.length && v > boundsNanos[i]) {
            i++;
        }
        ThreadCounts.Cells cells = counts.cells();
        cells.add(first + i, 1);
        if (v != 0) {
            // The token cache's durations are whole milliseconds: a hit's is 0, and adds nothing.
            cells.add(sumSlot, v);
        }
    }

    @Override
    public long count() {
        long n = 0;
        for (long c : bucketCounts()) {
            n += c;
        }
        return n;
    }

    /** The per-bucket counts (not cumulative), +Inf last. */
    long[] bucketCounts() {
        return counts.sums(first, boundsNanos.length + 1);
    }

    /** The sum of the observations, in seconds. */
    double sumSeconds() {
        return counts.sum(sumSlot) / 1e9;
    }
}
