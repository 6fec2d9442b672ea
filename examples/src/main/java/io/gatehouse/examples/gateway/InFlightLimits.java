package io.gatehouse.examples.gateway;

import io.gatehouse.core.UserInfo;
import java.util.Set;
import java.util.concurrent.Semaphore;

/**
 * kube-apiserver's max-in-flight filter ({@code --max-requests-inflight}, {@code --max-mutating-requests-inflight}):
 * an authenticated request takes a seat in its pool (mutating: POST, PUT, PATCH, DELETE; the rest read-only) and
 * gives it back when its response completes; with no seat free the answer is 429 at once, with {@code Retry-After: 1}.
 * As in kube-apiserver, long-running requests (watches, proxy, exec, attach, port-forward, logs, WebSocket upgrades)
 * and members of {@code system:masters} take no seat, and a limit of 0 is no limit.
 */
final class InFlightLimits {

    /** kube-apiserver's body for 429, written as Go's {@code http.Error} writes it. */
    static final String TOO_MANY = "Too many requests, please try again later.\n";

    private static final Set<String> MUTATING = Set.of("POST", "PUT", "PATCH", "DELETE");
    /** The subresources and verbs kube-apiserver's BasicLongRunningRequestCheck treats as long-running. */
    private static final Set<String> LONG_RUNNING_SUBRESOURCES = Set.of("attach", "exec", "proxy", "log", "portforward");

    private final Semaphore readOnly;
    private final Semaphore mutating;

    InFlightLimits(int maxReadOnly, int maxMutating) {
        this.readOnly = maxReadOnly == 0 ? null : new Semaphore(maxReadOnly);
        this.mutating = maxMutating == 0 ? null : new Semaphore(maxMutating);
    }

    /**
     * A seat for this request, or null when none is free (answer 429). The returned seat's {@link Runnable} gives
     * it back; requests that take no seat get a no-op.
     */
    Runnable admit(String method, String path, String query, boolean upgrade, UserInfo user) {
        if (upgrade || longRunning(path, query) || user.groups().contains("system:masters")) {
            return NO_SEAT;
        }
        Semaphore pool = MUTATING.contains(method) ? mutating : readOnly;
        if (pool == null) {
            return NO_SEAT;
        }
        if (!pool.tryAcquire()) {
            return null;
        }
        return pool::release;
    }

    private static final Runnable NO_SEAT = () -> { };

    /** Seats free now in the read-only and mutating pools, for tests; -1 for no limit. */
    int[] available() {
        return new int[] {readOnly == null ? -1 : readOnly.availablePermits(),
                mutating == null ? -1 : mutating.availablePermits()};
    }

    /**
     * Kubernetes' long-running check, for resource paths ({@code /api/…}, {@code /apis/…}): {@code ?watch=true} (or 1), a {@code watch} segment right
     * after the group version ({@code /api/v1/watch/…}, {@code /apis/g/v/watch/…}), or a long-running subresource
     * after a named object ({@code …/pods/p/exec}, {@code …/services/s/proxy/…}).
     */
    static boolean longRunning(String path, String query) {
        String[] s = path.split("/");
        // "", "api", "v1", … or "", "apis", group, version, …: only resource requests can be long-running.
        int rest;
        if (s.length > 2 && s[1].equals("api")) {
            rest = 3;
        } else if (s.length > 3 && s[1].equals("apis")) {
            rest = 4;
        } else {
            return false;
        }
        if (query != null) {
            for (String p : query.split("&")) {
                if (p.equals("watch=true") || p.equals("watch=1")) {
                    return true;
                }
            }
        }
        if (s.length > rest && s[rest].equals("watch")) {
            return true;
        }
        // namespaces/{ns}/{resource}/{name}/{sub} or {resource}/{name}/{sub}
        int resourceAt = rest;
        if (s.length > rest + 2 && s[rest].equals("namespaces")) {
            resourceAt = s.length > rest + 3 ? rest + 2 : rest;
        }
        int subAt = resourceAt + 2;
        return s.length > subAt && LONG_RUNNING_SUBRESOURCES.contains(s[subAt]);
    }
}
