package io.gatehouse.examples.gateway;

import io.gatehouse.core.spi.ProviderSettings;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

/**
 * How the gateway serves: kube-apiserver's serving flags where it has them, the gateway's own for what only a proxy
 * needs. The fixed limits are Go's {@code http.Server} settings in kube-apiserver: 1 MiB of request headers (431
 * beyond) and 90 s idle keep-alive.
 *
 * @param maxRequestsInflight          {@code --max-requests-inflight} (400): non-mutating requests served at once,
 *                                     429 beyond; 0 for no limit
 * @param maxMutatingRequestsInflight  {@code --max-mutating-requests-inflight} (200): the same for POST, PUT, PATCH
 *                                     and DELETE
 * @param http2MaxStreamsPerConnection {@code --http2-max-streams-per-connection} (0: Go's default, 250)
 * @param shutdownDelayDuration        {@code --shutdown-delay-duration} (0s): on SIGTERM, how long to keep serving
 *                                     with {@code /readyz} failing before draining, so that load balancers notice
 * @param maxConnections               {@code --max-connections} (ours; 0, no limit, as Go): connections held at once;
 *                                     beyond, the gateway stops accepting until one closes
 * @param upstreamIdleTimeout          {@code --upstream-idle-timeout} (ours; 5m): how long {@code --upstream} may stay
 *                                     silent before the caller gets 504 (a watch with events keeps it alive)
 * @param shutdownTimeout              {@code --shutdown-timeout} (ours; 60s, kube-apiserver's request timeout): how long
 *                                     in-flight requests may take to finish after SIGTERM before they are cut
 * @param readHeaderTimeout            {@code --read-header-timeout} (ours; 32s, Go's {@code ReadHeaderTimeout} in
 *                                     kube-apiserver): a connection whose first request header is not complete this
 *                                     long after it was accepted (TLS handshake included) is closed
 */
record ServingOptions(int maxRequestsInflight, int maxMutatingRequestsInflight, int http2MaxStreamsPerConnection,
                      Duration shutdownDelayDuration, int maxConnections, Duration upstreamIdleTimeout,
                      Duration shutdownTimeout, Duration readHeaderTimeout) {

    /** Request header bytes accepted, Go's {@code http.Server.MaxHeaderBytes} in kube-apiserver. */
    static final int MAX_HEADER_BYTES = 1 << 20;
    /** Go's {@code IdleTimeout} in kube-apiserver. */
    static final Duration IDLE_TIMEOUT = Duration.ofSeconds(90);

    /** The flags this record reads. */
    static final Set<String> FLAGS = Set.of("max-requests-inflight", "max-mutating-requests-inflight",
            "http2-max-streams-per-connection", "shutdown-delay-duration", "max-connections", "upstream-idle-timeout",
            "shutdown-timeout", "read-header-timeout");

    /** The defaults, as no flag given. */
    static ServingOptions defaults() {
        return new ServingOptions(400, 200, 0, Duration.ZERO, 0, Duration.ofMinutes(5), Duration.ofSeconds(60),
                Duration.ofSeconds(32));
    }

    /** Reads the flags from the parsed single-valued flags. */
    static ServingOptions parse(Map<String, String> flags) throws GatewayFlags.FlagException {
        ServingOptions d = defaults();
        return new ServingOptions(count(flags, "max-requests-inflight", d.maxRequestsInflight),
                count(flags, "max-mutating-requests-inflight", d.maxMutatingRequestsInflight),
                count(flags, "http2-max-streams-per-connection", d.http2MaxStreamsPerConnection),
                duration(flags, "shutdown-delay-duration", d.shutdownDelayDuration),
                count(flags, "max-connections", d.maxConnections),
                positive(flags, "upstream-idle-timeout", d.upstreamIdleTimeout),
                duration(flags, "shutdown-timeout", d.shutdownTimeout),
                positive(flags, "read-header-timeout", d.readHeaderTimeout));
    }

    /** The HTTP/2 stream limit announced to clients. */
    int http2Streams() {
        return http2MaxStreamsPerConnection == 0 ? 250 : http2MaxStreamsPerConnection;
    }

    private static int count(Map<String, String> flags, String name, int dflt) throws GatewayFlags.FlagException {
        String v = flags.get(name);
        if (v == null) {
            return dflt;
        }
        try {
            int n = Integer.parseInt(v);
            if (n < 0) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new GatewayFlags.FlagException("invalid argument \"" + v + "\" for --" + name
                    + ": must be a non-negative integer");
        }
    }

    private static Duration duration(Map<String, String> flags, String name, Duration dflt) throws GatewayFlags.FlagException {
        String v = flags.get(name);
        if (v == null) {
            return dflt;
        }
        return ProviderSettings.parseDuration(v).filter(d -> !d.isNegative()).orElseThrow(() -> new GatewayFlags.FlagException(
                "invalid argument \"" + v + "\" for --" + name + ": a Go duration such as 30s or 2m"));
    }

    private static Duration positive(Map<String, String> flags, String name, Duration dflt) throws GatewayFlags.FlagException {
        Duration d = duration(flags, name, dflt);
        if (d.isZero()) {
            throw new GatewayFlags.FlagException("invalid argument \"" + flags.get(name) + "\" for --" + name
                    + ": must be more than 0s");
        }
        return d;
    }
}
