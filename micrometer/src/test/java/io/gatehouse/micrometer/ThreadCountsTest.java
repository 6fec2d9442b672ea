package io.gatehouse.micrometer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Per-thread counters: every update counted, ended threads folded in and let go, slots bounded. */
class ThreadCountsTest {

    @Test
    void everyThreadsUpdatesAreSummedAndEndedThreadsAreFoldedIn() throws Exception {
        ThreadCounts counts = new ThreadCounts(4, 4);
        int slot = counts.allocate(2);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            Thread thread = new Thread(() -> {
                for (int i = 0; i < 10_000; i++) {
                    counts.cells().add(slot, 1);
                    counts.cells().add(slot + 1, 3);
                }
            });
            threads.add(thread);
            thread.start();
        }
        for (Thread thread : threads) {
            thread.join(TimeUnit.SECONDS.toMillis(30));
        }
        assertEquals(80_000, counts.sum(slot));
        assertArrayEquals(new long[] {80_000, 240_000}, counts.sums(slot, 2));
        assertEquals(0, counts.liveThreads(), "the ended threads' cells are folded into the total and dropped");
        assertEquals(80_000, counts.sum(slot), "folding loses nothing");
    }

    @Test
    void aLiveThreadsCountsAreReadWhileItRuns() throws Exception {
        ThreadCounts counts = new ThreadCounts(1, 1);
        int slot = counts.allocate(1);
        CountDownLatch counted = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread thread = new Thread(() -> {
            counts.cells().add(slot, 42);
            counted.countDown();
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        thread.start();
        try {
            assertTrue(counted.await(30, TimeUnit.SECONDS));
            assertEquals(42, counts.sum(slot));
            assertEquals(1, counts.liveThreads());
        } finally {
            release.countDown();
            thread.join(TimeUnit.SECONDS.toMillis(30));
        }
        assertEquals(42, counts.sum(slot));
        assertEquals(0, counts.liveThreads());
    }

    @Test
    void aThreadsCellsGrowToTheSlotsAllocatedAfterThem() {
        ThreadCounts counts = new ThreadCounts(2, 300);
        int first = counts.allocate(2);
        counts.cells().add(first, 1);           // this thread's cells hold two slots
        int late = counts.allocate(250);
        counts.cells().add(late + 249, 7);      // and grow for a slot allocated later
        counts.cells().add(first, 1);
        assertEquals(2, counts.sum(first));
        assertEquals(7, counts.sum(late + 249));
        assertEquals(0, counts.sum(late));
    }

    @Test
    void slotsAreBounded() {
        ThreadCounts counts = new ThreadCounts(4, 10);
        counts.allocate(8);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> counts.allocate(3));
        assertEquals("only 2 counter slots are left, 3 asked", e.getMessage());
    }
}
