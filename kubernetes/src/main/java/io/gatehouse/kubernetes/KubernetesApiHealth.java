package io.gatehouse.kubernetes;

import java.util.List;
import java.util.Objects;

/**
 * Whether the caches of a {@link KubernetesApi} can be trusted: every informer in use has listed its objects and
 * has been watching within the staleness bound. A gateway reports this on a readiness endpoint; while it is not
 * ready, tokens whose objects are cached are still judged from the cache (as Kubernetes does), and tokens whose
 * objects are not are rejected when the API server cannot be read.
 *
 * @param ready    whether there are no problems
 * @param problems one sentence per unhealthy cache, e.g. {@code pods: not synced from the Kubernetes API yet (...)};
 *                 empty when ready
 */
public record KubernetesApiHealth(boolean ready, List<String> problems) {

    /**
     * Copies {@code problems}; {@code ready} must be true exactly when there are none.
     *
     * @param ready    whether there are no problems
     * @param problems one sentence per unhealthy cache; empty when ready
     */
    public KubernetesApiHealth {
        problems = List.copyOf(Objects.requireNonNull(problems, "problems"));
        if (ready != problems.isEmpty()) {
            throw new IllegalArgumentException("ready must be true exactly when there are no problems");
        }
    }
}
