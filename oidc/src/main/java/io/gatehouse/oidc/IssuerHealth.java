package io.gatehouse.oidc;

import io.gatehouse.core.internal.GoText;
import java.time.Instant;

/**
 * The key state of one issuer, for readiness probes and troubleshooting.
 *
 * @param issuer      the issuer URL
 * @param state       where the issuer stands
 * @param keyCount    keys currently trusted
 * @param lastSuccess the last successful key fetch, or null (never, or static keys)
 * @param lastError   the last fetch error (URL and status, never a body or secret), or null
 */
public record IssuerHealth(String issuer, State state, int keyCount, Instant lastSuccess, String lastError) {

    /** Where an issuer stands. */
    public enum State {
        /** No keys fetched yet; its tokens are rejected as not initialised while fetching retries with backoff. */
        INITIALIZING,
        /** Keys are current. */
        HEALTHY,
        /** The last refresh failed; the keys fetched before stay in use for a bounded time. */
        DEGRADED,
        /** Keys were lost (an outage outlasted the keep-through-outage time); tokens are rejected. */
        UNAVAILABLE
    }

    /**
     * Whether tokens of this issuer can be verified now.
     *
     * @return true when healthy, or degraded (keys fetched before still in use)
     */
    public boolean isHealthy() {
        return state == State.HEALTHY || state == State.DEGRADED;
    }

    /**
     * Kubernetes' health check text: {@code oidc: authenticator for issuer "x" is not healthy: <error>}, or null when healthy.
     *
     * @return the health check text, or null when healthy
     */
    public String problem() {
        if (isHealthy()) {
            return null;
        }
        return "oidc: authenticator for issuer " + GoText.quote(issuer) + " is not "
                + (lastError == null ? "initialized" : "healthy: " + lastError);
    }
}
