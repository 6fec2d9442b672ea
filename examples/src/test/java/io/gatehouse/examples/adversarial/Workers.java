package io.gatehouse.examples.adversarial;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntConsumer;

/** Request threads for load and fault tests: each runs its body in a loop until stopped; failures are collected. */
final class Workers {

    private final AtomicBoolean stop = new AtomicBoolean();
    private final List<Thread> threads = new ArrayList<>();
    final ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();

    /** All cores, and at least four threads. */
    static int threadCount() {
        return Math.max(4, 2 * Runtime.getRuntime().availableProcessors());
    }

    /** Starts {@code count} threads, thread {@code i} running {@code body.accept(i)} until {@link #stop()}. */
    Workers start(int count, IntConsumer body) {
        for (int i = 0; i < count; i++) {
            int n = i;
            Thread t = new Thread(() -> {
                while (!stop.get()) {
                    try {
                        body.accept(n);
                    } catch (Throwable e) {
                        problems.add("threw " + e);
                    }
                }
            }, "adversarial-worker-" + i);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
        return this;
    }

    void problem(String p) {
        problems.add(p);
    }

    /** Stops every thread and waits for it to finish its current round. */
    void stop() throws InterruptedException {
        stop.set(true);
        for (Thread t : threads) {
            t.join(10_000);
        }
    }
}
