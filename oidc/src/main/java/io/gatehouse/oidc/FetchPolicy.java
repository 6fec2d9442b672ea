package io.gatehouse.oidc;

import java.time.Duration;

/**
 * How keys are fetched and kept; one value shared by every issuer of an authenticator.
 *
 * @param connectTimeout      TCP/TLS connect timeout
 * @param requestTimeout      the whole exchange, headers and body
 * @param maxResponseBytes    larger discovery or JWKS bodies are refused
 * @param defaultRefresh      refresh interval when the JWKS response has no Cache-Control max-age
 * @param minRefresh          lower bound on a honoured max-age
 * @param maxRefresh          upper bound on a honoured max-age
 * @param unknownKidWindow    at most one refetch per window is triggered by unknown kids
 * @param initialBackoff      first retry delay after a failed fetch
 * @param maxBackoff          the retry delay doubles up to this
 * @param keepKeysThroughOutage keys stay trusted this long after the last successful fetch
 * @param maxKeys             the most keys cached per issuer
 */
record FetchPolicy(Duration connectTimeout, Duration requestTimeout, int maxResponseBytes, Duration defaultRefresh,
                   Duration minRefresh, Duration maxRefresh, Duration unknownKidWindow, Duration initialBackoff,
                   Duration maxBackoff, Duration keepKeysThroughOutage, int maxKeys) {
}
