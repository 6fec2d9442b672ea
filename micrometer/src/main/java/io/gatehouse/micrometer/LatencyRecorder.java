package io.gatehouse.micrometer;

import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;

/** One latency histogram series as the per-request events need it: record a duration, read how many were recorded. */
interface LatencyRecorder {

    /** Records one observation of {@code nanos}. */
    void record(long nanos);

    /** Observations recorded so far. */
    long count();

    /** A Micrometer timer, for registries other than Prometheus'. */
    static LatencyRecorder of(Timer timer) {
        return new LatencyRecorder() {
            @Override
            public void record(long nanos) {
                timer.record(nanos, TimeUnit.NANOSECONDS);
            }

            @Override
            public long count() {
                return timer.count();
            }
        };
    }
}
