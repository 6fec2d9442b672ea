package io.gatehouse.core.internal;

/**
 * Two cache lines of nothing before {@link Decision}'s fields, which are in {@link Fields} (a superclass's fields come
 * first in an object; {@code Decision} adds the padding after them).
 */
abstract class DecisionPadding {
    @SuppressWarnings("unused")
    private long p0, p1, p2, p3, p4, p5, p6, p7, p8, p9, p10, p11, p12, p13, p14, p15;

    /** A thread's {@link Decision} record; see its methods. */
    abstract static class Fields extends DecisionPadding {
        String member;
        boolean authenticated;
        boolean active;
        int cacheTiming;
        Object owner;
        long start;
        long cacheEnd;
        /** 0 while the chain's deferred lookup has not returned; 1 after a hit, 2 after a miss. */
        int cacheOutcome;
    }
}
