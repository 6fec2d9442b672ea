package io.gatehouse.core.internal;

import io.gatehouse.core.AuthenticationResult.Authenticated;
import io.gatehouse.core.AuthenticationResult.Rejected;
import io.gatehouse.core.AuthenticationResult;

/**
 * What a listening chain records about the request this thread is judging: which member decided the verdict, for
 * the chain's {@code decided} event, and the chain's own token-cache lookup, whose duration the chain's clock reads
 * bracket. The chain {@link #begin begins} it, its members' wrappers record into it, and the token cache keeps the
 * deciding member's name with each verdict, so a hit names the member that reached the cached verdict. Only used
 * while a listener is attached: a chain without one never touches it.
 *
 * <p>Timing: two clock reads cost about a sixth of a cached hit (their ordering fences stall the pipeline), so a
 * lookup of the chain's own token cache reads none when nothing ran in the chain before it: it starts at the chain's start and ends when the next
 * request member starts, another lookup starts, or the chain ends, whichever comes first, and the chain reports it
 * at its end. The interval then holds a few nanoseconds of the chain's own dispatch beyond the lookup, which
 * Kubernetes' series, truncated to whole milliseconds, cannot show. Any other lookup (a member's own cache, a second
 * lookup in one request) reads the clock itself.
 */
public final class Decision extends DecisionPadding.Fields {

    private static final ThreadLocal<Decision> CURRENT = ThreadLocal.withInitial(Decision::new);

    /** No listening chain is judging on this thread, or the chain's cache lookup may no longer use its clock. */
    private static final int IDLE = 0;
    /** A chain began and nothing ran yet: its cache lookup may start at the chain's start. */
    private static final int DEFERRABLE = 1;
    /** The chain's cache lookup started at the chain's start and has not ended yet as far as the clock knows. */
    private static final int OPEN = 2;
    /** The chain's cache lookup is over: ended by the next thing that read the clock ({@link #cacheEnd}). */
    private static final int CLOSED = 3;

    // The fields are in DecisionPadding.Fields, between two cache lines and their neighbours of padding: each
    // thread writes its record on every request, and a collection may copy another thread's record next to it.
    @SuppressWarnings("unused")
    private long q0, q1, q2, q3, q4, q5, q6, q7, q8, q9, q10, q11, q12, q13, q14, q15;

    private Decision() {
    }

    /** This thread's record. */
    public static Decision current() {
        return CURRENT.get();
    }

    /**
     * A chain begins judging a request at {@code startNanos}; the lookups of {@code cache} (the chain's own token
     * cache, or null) may share its clock reads.
     *
     * @return what an outer chain recorded so far, to be given back to {@link #end}; null when no chain is judging
     */
    public Object begin(long startNanos, Object cache) {
        Object outer = active ? new Saved(member, authenticated, cacheTiming, owner, start, cacheEnd, cacheOutcome) : null;
        member = null;
        authenticated = false;
        active = true;
        cacheTiming = cache == null ? IDLE : DEFERRABLE;
        owner = cache;
        start = startNanos;
        cacheEnd = 0;
        cacheOutcome = 0;
        return outer;
    }

    /** Puts back what {@link #begin} returned: the outer chain's record, or nothing. */
    public void end(Object outer) {
        if (outer instanceof Saved s) {
            member = s.member();
            authenticated = s.authenticated();
            cacheTiming = s.cacheTiming();
            owner = s.owner();
            start = s.start();
            cacheEnd = s.cacheEnd();
            cacheOutcome = s.cacheOutcome();
        } else {
            member = null;
            authenticated = false;
            active = false;
            cacheTiming = IDLE;
            owner = null;
            cacheOutcome = 0;
        }
    }

    /** Forgets which member decided: the token cache's delegate is about to judge on its own. */
    public void reset() {
        member = null;
        authenticated = false;
    }

    /**
     * Notes that {@code name} reached {@code verdict}: a success decides whatever came before it; a rejection
     * decides only if nothing did yet (the union's aggregate is then named by its first rejection); an
     * abstention or a null name changes nothing.
     */
    public void record(String name, AuthenticationResult verdict) {
        if (name == null) {
            return;
        }
        if (verdict instanceof Authenticated) {
            if (!authenticated) {
                member = name;
                authenticated = true;
            }
        } else if (verdict instanceof Rejected && member == null) {
            member = name;
        }
    }

    /** The deciding member so far; null if none. */
    public String member() {
        return member;
    }

    /**
     * What has been recorded, to be {@link #restore restored} after the token cache's delegate judged; until then
     * the clock reads of whatever runs inside the delegate end no lookup.
     */
    public Object save() {
        Object saved = member == null && cacheTiming == IDLE ? null
                : new Saved(member, authenticated, cacheTiming, null, 0, 0, 0);
        cacheTiming = IDLE;
        return saved;
    }

    /** Puts back what {@link #save} returned. */
    public void restore(Object saved) {
        if (saved instanceof Saved s) {
            member = s.member();
            authenticated = s.authenticated();
            cacheTiming = s.cacheTiming();
        } else {
            reset();
            cacheTiming = IDLE;
        }
    }

    /**
     * A request member of the chain is about to run: a cache lookup after it must read the clock, and one before it
     * has ended.
     */
    public void requestMemberStarts() {
        if (cacheTiming == DEFERRABLE) {
            cacheTiming = IDLE;
        } else if (cacheTiming == OPEN) {
            clockRead(System.nanoTime());
        }
    }

    /**
     * A lookup of {@code cache} starts: true when it is the chain's own cache and nothing ran before it, so that it
     * starts at the chain's start and reads no clock (it then reports through {@link #deferredLookupEnded}); false when
     * it must time itself (reporting its clock reading to {@link #clockRead}).
     */
    public boolean deferLookup(Object cache) {
        if (cacheTiming == DEFERRABLE && cache == owner) {
            cacheTiming = OPEN;
            return true;
        }
        return false;
    }

    /** Something in the chain read the clock at {@code now}: it ends the chain's deferred lookup if one is open. */
    public void clockRead(long now) {
        if (cacheTiming == OPEN) {
            cacheEnd = now;
            cacheTiming = CLOSED;
        } else if (cacheTiming == DEFERRABLE) {
            cacheTiming = IDLE;
        }
    }

    /** The deferred lookup returned, with a hit or a miss; the chain reports it at its end. */
    public void deferredLookupEnded(boolean hit) {
        cacheOutcome = hit ? 1 : 2;
    }

    /**
     * The chain's deferred lookup, at the chain's end: 0 when there was none, else 1 for a hit and 2 for a miss, its
     * duration then given by {@link #deferredCacheNanos}.
     */
    public int deferredCacheOutcome() {
        return cacheOutcome;
    }

    /** The deferred lookup's duration, the chain having ended at {@code endNanos}. */
    public long deferredCacheNanos(long endNanos) {
        return (cacheTiming == CLOSED ? cacheEnd : endNanos) - start;
    }

    private record Saved(String member, boolean authenticated, int cacheTiming, Object owner, long start, long cacheEnd,
                         int cacheOutcome) {
    }
}
