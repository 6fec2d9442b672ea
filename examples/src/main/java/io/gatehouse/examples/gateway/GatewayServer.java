package io.gatehouse.examples.gateway;

import io.gatehouse.core.AuthenticationRequest;
import io.gatehouse.core.AuthenticationResult.Abstained;
import io.gatehouse.core.AuthenticationResult.Authenticated;
import io.gatehouse.core.AuthenticationResult.Rejected;
import io.gatehouse.core.AuthenticationResult;
import io.gatehouse.core.ConsumedHeaders;
import io.gatehouse.serviceaccount.ServiceAccountTokenIssuer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import org.eclipse.jetty.alpn.server.ALPNServerConnectionFactory;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.http2.HTTP2Cipher;
import org.eclipse.jetty.http2.server.HTTP2ServerConnectionFactory;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An HTTPS server that authenticates every request with Gatehouse and routes it: the issuer's discovery documents
 * without credentials, then the gateway's own endpoints ({@code /version}, SelfSubjectReview, TokenReview,
 * TokenRequest) for authenticated callers, and with {@code --upstream} an authenticating reverse proxy for the rest.
 * Each endpoint is its own class; {@link ExchangeRequests} adapts the exchange, {@link Responses} writes
 * Kubernetes' answers, {@link AuditLog} records each decision.
 *
 * <p>It serves on Jetty 12's core API: HTTP/1.1 and HTTP/2 (ALPN), non-blocking I/O so that a slow client holds a
 * connection but never a thread, kube-apiserver's header and idle limits (see {@link ServingOptions}), its in-flight
 * limits ({@link InFlightLimits}), and a graceful stop that lets in-flight requests finish.
 *
 * <p>Client certificates are requested but neither required nor verified in the handshake: the x509
 * authenticator judges them, as kube-apiserver does, so a bad certificate with a good token still
 * authenticates by the token.
 */
final class GatewayServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger("io.gatehouse.gateway");
    static final String SELF_SUBJECT_REVIEWS = SelfSubjectReviewEndpoint.PATH;
    static final String TOKEN_REVIEWS = TokenReviewEndpoint.PATH;

    private final ChainFactory.Chains chains;
    private final AuditLog audit;
    private final DiscoveryEndpoint discovery;
    private final Map<String, Endpoint> posts;
    private final Endpoint version = new VersionEndpoint();
    private final TokenRequestEndpoint tokenRequests;
    private final ReverseProxy proxy;
    private final WebSocketPassThrough webSockets;
    private final HealthEndpoint health;
    private final MetricsEndpoint metrics;
    private final List<String> alwaysAllowPaths;
    private final InFlightLimits inFlight;
    private final ServingOptions serving;
    private final Server server;
    private final ServerConnector connector;
    private final HeaderDeadline headerDeadline;
    private volatile boolean shuttingDown;

    GatewayServer(GatewayOptions options, ChainFactory.Chains chains, SSLContext tls, AuditLog audit,
                  PrometheusMeterRegistry registry) throws IOException {
        this.chains = chains;
        this.serving = options.serving();
        List<HealthEndpoint.Check> readiness = new ArrayList<>(chains.readiness());
        // kube-apiserver's readyz fails once shutdown begins, so that load balancers stop sending.
        readiness.add(new HealthEndpoint.Check("shutdown", () -> shuttingDown ? "shutting down" : null));
        this.health = new HealthEndpoint(readiness);
        this.metrics = new MetricsEndpoint(registry);
        this.alwaysAllowPaths = List.copyOf(options.alwaysAllowPaths());
        this.audit = audit;
        this.discovery = chains.discovery() == null ? null : new DiscoveryEndpoint(chains.discovery());
        this.posts = Map.of(SelfSubjectReviewEndpoint.PATH, new SelfSubjectReviewEndpoint(),
                TokenReviewEndpoint.PATH, new TokenReviewEndpoint(chains.tokenReviews()));
        this.tokenRequests = chains.issuer() == null ? null
                : new TokenRequestEndpoint(chains.issuer(), TokenMintPolicy.systemMasters());
        this.inFlight = new InFlightLimits(serving.maxRequestsInflight(), serving.maxMutatingRequestsInflight());

        this.server = newServer(serving);
        this.connector = newConnector(server, tls, serving, options.bindAddress(), options.securePort());
        this.headerDeadline = new HeaderDeadline(serving.readHeaderTimeout());
        this.connector.addEventListener(headerDeadline);
        this.server.addConnector(connector);
        if (serving.maxConnections() > 0) {
            this.server.addBean(new NetworkConnectionLimit(serving.maxConnections(), connector));
        }

        if (options.upstream() == null) {
            this.proxy = null;
            this.webSockets = null;
        } else {
            SSLContext upstreamTls = FrontProxy.upstreamTls(options.frontProxy());
            this.proxy = new ReverseProxy(options.upstream(), upstreamTls, serving.upstreamIdleTimeout());
            this.server.addBean(proxy, true);
            this.webSockets = new WebSocketPassThrough(options.upstream(), upstreamTls, serving.upstreamIdleTimeout());
        }
        Handler routes = new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                return GatewayServer.this.handle(new Exchange(request, response, callback));
            }
        };
        Handler top = webSockets == null ? routes : webSockets.install(server, routes);
        this.server.setHandler(new GracefulHandler(top));
    }

    /** A server with the gateway's thread pool and graceful-stop timeout; shared with {@link BareServer}. */
    static Server newServer(ServingOptions serving) {
        QueuedThreadPool threads = new QueuedThreadPool(Math.max(200, Runtime.getRuntime().availableProcessors() * 50));
        threads.setName("gateway-http");
        threads.setDaemon(true);
        Server server = new Server(threads);
        server.setStopTimeout(serving.shutdownTimeout().toMillis());
        return server;
    }

    /**
     * The gateway's TLS connector: HTTP/2 and HTTP/1.1 by ALPN, client certificates requested and left to the x509
     * authenticator, kube-apiserver's header size and idle limits; shared with {@link BareServer}.
     */
    static ServerConnector newConnector(Server server, SSLContext tls, ServingOptions serving, String host, int port) {
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        http.setRequestHeaderSize(ServingOptions.MAX_HEADER_BYTES);
        http.setResponseHeaderSize(ServingOptions.MAX_HEADER_BYTES);
        // Go's server takes paths as sent (encoded slashes, dot segments) and so does the proxy behind us.
        http.setUriCompliance(UriCompliance.UNSAFE);
        http.setSecureScheme("https");
        SecureRequestCustomizer secure = new SecureRequestCustomizer(false);
        secure.setSniRequired(false);
        secure.setStsMaxAge(-1);
        http.addCustomizer(secure);

        SslContextFactory.Server ssl = new SslContextFactory.Server();
        ssl.setSslContext(tls);
        ssl.setWantClientAuth(true);
        ssl.setCipherComparator(HTTP2Cipher.COMPARATOR);

        HTTP2ServerConnectionFactory h2 = new HTTP2ServerConnectionFactory(http);
        h2.setMaxConcurrentStreams(serving.http2Streams());
        h2.setStreamIdleTimeout(serving.upstreamIdleTimeout().toMillis());
        HttpConnectionFactory h1 = new HttpConnectionFactory(http);
        ALPNServerConnectionFactory alpn = new ALPNServerConnectionFactory(h2.getProtocol(), h1.getProtocol());
        alpn.setDefaultProtocol(h1.getProtocol());
        ServerConnector connector = new ServerConnector(server, new SslConnectionFactory(ssl, alpn.getProtocol()), alpn, h2, h1);
        connector.setHost(host);
        connector.setPort(port);
        connector.setIdleTimeout(ServingOptions.IDLE_TIMEOUT.toMillis());
        connector.setAcceptQueueSize(128);
        return connector;
    }

    /** The service account issuer, or null when no signing key is configured. */
    ServiceAccountTokenIssuer issuer() {
        return chains.issuer();
    }

    /** Starts serving; returns the bound port (useful with {@code --secure-port=0}). */
    int start() throws IOException {
        try {
            server.start();
        } catch (IOException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException("cannot start serving on " + connector.getHost() + ":" + connector.getPort() + ": "
                    + e.getMessage(), e);
        }
        return connector.getLocalPort();
    }

    /** Connections closed so far because their first request header came too late, for tests. */
    long connectionsClosedForLateHeader() {
        return headerDeadline.closedForLateHeader();
    }

    /** Seats free in the in-flight pools (read-only, mutating), for tests. */
    int[] inFlightSeatsFree() {
        return inFlight.available();
    }

    /**
     * Stops gracefully: with {@code --shutdown-delay-duration}, {@code /readyz} fails for that long while requests
     * are still served; then no new connections, and in-flight requests get up to {@code --shutdown-timeout} to
     * finish before they are cut.
     */
    @Override
    public void close() {
        shuttingDown = true;
        if (!serving.shutdownDelayDuration().isZero()) {
            try {
                Thread.sleep(serving.shutdownDelayDuration().toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try {
            server.stop();
        } catch (Exception e) {
            LOG.warn("stopping the server: {}", e.toString());
        }
        headerDeadline.close();
        chains.close();
        try {
            audit.close();
        } catch (IOException e) {
            LOG.warn("closing the audit log failed: {}", e.getMessage());
        }
    }

    private boolean handle(Exchange ex) {
        headerDeadline.requestSeen(ex.request());
        try {
            if (discovery != null && discovery.serve(ex)) {
                return true;
            }
            AuthenticationRequest request = ExchangeRequests.of(ex);
            AuthenticationResult verdict = chains.requests().authenticate(request);
            audit.record(ex.remoteAddress(), ex.method(), ex.rawPath(), verdict,
                    ExchangeRequests.credentialFingerprint(request));
            Responses.warnings(ex, verdict.warnings());
            if (verdict instanceof Abstained && alwaysAllowPaths.contains(ex.path()) && serveOpen(ex)) {
                // No credential at all, on a path kube-apiserver serves to anyone (probes).
                return true;
            }
            if (!(verdict instanceof Authenticated caller)) {
                if (verdict instanceof Rejected r) {
                    // kube-apiserver's "Unable to authenticate the request"; the client learns nothing more.
                    LOG.info("Unable to authenticate the request: {} ({})", r.message(), r.reason());
                }
                Responses.status(ex, 401, "Unauthorized", "Unauthorized");
                return true;
            }
            boolean upgrade = WebSocketPassThrough.isUpgrade(ex.request());
            Runnable seat = inFlight.admit(ex.method(), ex.path(), ex.rawQuery(), upgrade, caller.user());
            if (seat == null) {
                ex.setResponseHeader("Retry-After", "1");
                ex.setResponseHeader("X-Content-Type-Options", "nosniff");
                ex.send(429, "text/plain; charset=utf-8", InFlightLimits.TOO_MANY);
                return true;
            }
            Request.addCompletionListener(ex.request(), failure -> seat.run());
            route(ex, caller, chains.requests().consumedHeaders(request, verdict), upgrade);
        } catch (IOException | RuntimeException e) {
            LOG.error("request failed", e);
            if (!ex.sent()) {
                Responses.status(ex, 500, "InternalError", "Internal error");
            } else if (!ex.response().isCommitted()) {
                ex.callback().failed(e);
            }
        }
        return true;
    }

    /** Health and metrics for a request without a credential on an always-allowed path; false if not one of them. */
    private boolean serveOpen(Exchange ex) {
        String path = ex.path();
        if (!ex.method().equals("GET")) {
            return false;
        }
        if (HealthEndpoint.serves(path)) {
            health.serve(ex);
            return true;
        }
        if (path.equals(MetricsEndpoint.PATH)) {
            metrics.serve(ex, null);
            return true;
        }
        return false;
    }

    private void route(Exchange ex, Authenticated caller, ConsumedHeaders consumed, boolean upgrade) throws IOException {
        String path = ex.path();
        String method = ex.method();
        if (upgrade) {
            if (webSockets != null) {
                webSockets.forward(ex, caller.user(), consumed);
            } else {
                Responses.status(ex, 404, "NotFound", "the server could not find the requested resource");
            }
            return;
        }
        if (method.equals("GET") && HealthEndpoint.serves(path)) {
            health.serve(ex);
            return;
        }
        if (method.equals("GET") && path.equals(MetricsEndpoint.PATH)) {
            if (caller.user().name().equals("system:anonymous") && !alwaysAllowPaths.contains(path)) {
                // What kube-apiserver's RBAC answers the anonymous user for /metrics.
                Responses.status(ex, 403, "Forbidden", "forbidden: User \"system:anonymous\" cannot get path \"/metrics\"");
                return;
            }
            metrics.serve(ex, caller);
            return;
        }
        Endpoint own = null;
        if (method.equals("GET") && path.equals(VersionEndpoint.PATH)) {
            own = version;
        } else if (method.equals("POST")) {
            own = posts.get(path);
            if (own == null && tokenRequests != null && TokenRequestEndpoint.PATH.matcher(path).matches()) {
                own = tokenRequests;
            }
        }
        if (own != null) {
            own.serve(ex, caller);
        } else if (proxy != null) {
            proxy.forward(ex, caller.user(), consumed);
        } else {
            Responses.status(ex, 404, "NotFound", "the server could not find the requested resource");
        }
    }
}
