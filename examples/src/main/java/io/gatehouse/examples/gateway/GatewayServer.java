package io.gatehouse.examples.gateway;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import io.gatehouse.core.AuthenticationRequest;
import io.gatehouse.core.AuthenticationResult.Abstained;
import io.gatehouse.core.AuthenticationResult.Authenticated;
import io.gatehouse.core.AuthenticationResult.Rejected;
import io.gatehouse.core.AuthenticationResult;
import io.gatehouse.core.ConsumedHeaders;
import io.gatehouse.serviceaccount.ServiceAccountTokenIssuer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An HTTPS server that authenticates every request with Gatehouse and routes it: the issuer's discovery documents
 * without credentials, then the gateway's own endpoints ({@code /version}, SelfSubjectReview, TokenReview,
 * TokenRequest) for authenticated callers, and with {@code --upstream} an authenticating reverse proxy for the rest.
 * Each endpoint is its own class; {@link ExchangeRequests} adapts the exchange, {@link Responses} writes
 * Kubernetes' answers, {@link AuditLog} records each decision.
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
    private final HealthEndpoint health;
    private final MetricsEndpoint metrics;
    private final List<String> alwaysAllowPaths;
    private final HttpsServer server;
    private final ExecutorService executor;

    GatewayServer(GatewayOptions options, ChainFactory.Chains chains, SSLContext tls, AuditLog audit,
                  PrometheusMeterRegistry registry) throws IOException {
        this.chains = chains;
        this.health = new HealthEndpoint(chains.readiness());
        this.metrics = new MetricsEndpoint(registry);
        this.alwaysAllowPaths = List.copyOf(options.alwaysAllowPaths());
        this.audit = audit;
        this.discovery = chains.discovery() == null ? null : new DiscoveryEndpoint(chains.discovery());
        this.posts = Map.of(SelfSubjectReviewEndpoint.PATH, new SelfSubjectReviewEndpoint(),
                TokenReviewEndpoint.PATH, new TokenReviewEndpoint(chains.tokenReviews()));
        this.tokenRequests = chains.issuer() == null ? null
                : new TokenRequestEndpoint(chains.issuer(), TokenMintPolicy.systemMasters());
        this.proxy = options.upstream() == null ? null
                : new ReverseProxy(options.upstream(), FrontProxy.upstreamTls(options.frontProxy()));
        this.server = HttpsServer.create(new InetSocketAddress(options.bindAddress(), options.securePort()), 128);
        this.server.setHttpsConfigurator(new HttpsConfigurator(tls) {
            @Override
            public void configure(HttpsParameters params) {
                SSLParameters p = tls.getDefaultSSLParameters();
                p.setWantClientAuth(true);
                params.setSSLParameters(p);
            }
        });
        this.executor = Executors.newFixedThreadPool(Math.max(4, Runtime.getRuntime().availableProcessors() * 4), r -> {
            Thread t = new Thread(r, "gateway-http");
            t.setDaemon(true);
            return t;
        });
        this.server.setExecutor(executor);
        this.server.createContext("/", this::handle);
    }

    /** The service account token issuer, or null when no signing key is configured. */
    ServiceAccountTokenIssuer issuer() {
        return chains.issuer();
    }

    /** Starts serving; returns the bound port (useful with {@code --secure-port=0}). */
    int start() {
        server.start();
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        chains.close();
        try {
            audit.close();
        } catch (IOException e) {
            LOG.warn("closing the audit log failed: {}", e.getMessage());
        }
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            if (discovery != null && discovery.serve(ex)) {
                return;
            }
            AuthenticationRequest request = ExchangeRequests.of(ex);
            AuthenticationResult verdict = chains.requests().authenticate(request);
            audit.record(ex.getRemoteAddress().getAddress().getHostAddress(), ex.getRequestMethod(),
                    ex.getRequestURI().getRawPath(), verdict, ExchangeRequests.credentialFingerprint(request));
            Responses.warnings(ex, verdict.warnings());
            if (verdict instanceof Abstained && alwaysAllowPaths.contains(ex.getRequestURI().getPath())
                    && serveOpen(ex)) {
                // No credential at all, on a path kube-apiserver serves to anyone (probes).
                return;
            }
            if (!(verdict instanceof Authenticated caller)) {
                if (verdict instanceof Rejected r) {
                    // kube-apiserver's "Unable to authenticate the request"; the client learns nothing more.
                    LOG.info("Unable to authenticate the request: {} ({})", r.message(), r.reason());
                }
                Responses.status(ex, 401, "Unauthorized", "Unauthorized");
                return;
            }
            route(ex, caller, chains.requests().consumedHeaders(request, verdict));
        } catch (RuntimeException e) {
            LOG.error("request failed", e);
            Responses.status(ex, 500, "InternalError", "Internal error");
        }
    }

    /** Health and metrics for a request without a credential on an always-allowed path; false if not one of them. */
    private boolean serveOpen(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getPath();
        if (!ex.getRequestMethod().equals("GET")) {
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

    private void route(HttpExchange ex, Authenticated caller, ConsumedHeaders consumed) throws IOException {
        String path = ex.getRequestURI().getPath();
        String method = ex.getRequestMethod();
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
