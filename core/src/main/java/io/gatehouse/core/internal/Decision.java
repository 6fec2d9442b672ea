package io.gatehouse.core.internal;

import io.gatehouse.core.AuthenticationResult;
import io.gatehouse.core.AuthenticationResult.Authenticated;
import io.gatehouse.core.AuthenticationResult.Rejected;

/**
 * Which chain member decided the verdict on the request this thread is judging, for the chain's
 * {@code decided} event. The chain resets it, its members' wrappers record into it and the token cache keeps
 * the name with each verdict, so a hit names the member that reached the cached verdict. Only used while a
 * listener is attached: a chain without one never touches it.
 */
public final class Decision {

    private static final ThreadLocal<Decision> CURRENT = ThreadLocal.withInitial(Decision::new);

    private String member;
    private boolean authenticated;

    private Decision() {
    }

    /** This thread's record. */
    public static Decision current() {
        return CURRENT.get();
    }

    /** Forgets what was recorded: a new request begins. */
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

    /** What has been recorded, to be {@link #restore restored} after an inner evaluation. */
    public Object save() {
        return member == null ? null : authenticated ? new Saved(member, true) : new Saved(member, false);
    }

    /** Puts back what {@link #save} returned. */
    public void restore(Object saved) {
        if (saved instanceof Saved s) {
            member = s.member();
            authenticated = s.authenticated();
        } else {
            reset();
        }
    }

    private record Saved(String member, boolean authenticated) {
    }
}
