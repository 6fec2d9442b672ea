package io.gatehouse.examples.gateway;

import com.nimbusds.jose.util.JSONObjectUtils;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsExchange;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import io.gatehouse.core.AuthenticationRequest;
import io.gatehouse.core.AuthenticationResult;
import io.gatehouse.core.AuthenticationResult.Authenticated;
import io.gatehouse.core.AuthenticationResult.Rejected;
import io.gatehouse.core.Fingerprint;
import io.gatehouse.core.UserInfo;
import io.gatehouse.serviceaccount.BoundObjectReference;
import io.gatehouse.serviceaccount.IssuedToken;
import io.gatehouse.serviceaccount.ServiceAccountDiscovery;
import io.gatehouse.serviceaccount.ServiceAccountTokenIssuer;
import io.gatehouse.serviceaccount.TokenRequest;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLPeerUnverifiedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An HTTPS server that authenticates every request with Gatehouse and speaks Kubernetes' wire formats:
 * {@code /version}, SelfSubjectReview ({@code kubectl auth whoami}), TokenReview (a webhook token
 * authenticator for a real kube-apiserver) and, with {@code --upstream}, an authenticating reverse proxy.
 *
 * <p>Client certificates are requested but neither required nor verified in the handshake: the x509
 * authenticator judges them, as kube-apiserver does, so a bad certificate with a good token still
 * authenticates by the token.
 */
final class GatewayServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger("io.gatehouse.gateway");
    private static final int MAX_REVIEW_BODY = 1 << 20;
    static final String SELF_SUBJECT_REVIEWS = "/apis/authentication.k8s.io/v1/selfsubjectreviews";
    static final String TOKEN_REVIEWS = "/apis/authentication.k8s.io/v1/tokenreviews";
    static final Pattern TOKEN_REQUEST = Pattern.compile("/api/v1/namespaces/([a-z0-9][-a-z0-9]*)/serviceaccounts/([a-z0-9][-.a-z0-9]*)/token");

    private final ChainFactory.Chains chains;
    private final AuditLog audit;
    private final ReverseProxy proxy;
    private final HttpsServer server;
    private final ExecutorService executor;

    GatewayServer(GatewayOptions options, ChainFactory.Chains chains, SSLContext tls, AuditLog audit) throws IOException {
        this.chains = chains;
        this.audit = audit;
        this.proxy = options.upstream() == null ? null : new ReverseProxy(options.upstream());
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
            if (servedPublicly(ex)) {
                return;
            }
            AuthenticationRequest request = toRequest(ex);
            AuthenticationResult verdict = chains.requests().authenticate(request);
            audit.record(ex.getRemoteAddress().getAddress().getHostAddress(), ex.getRequestMethod(),
                    ex.getRequestURI().getRawPath(), verdict, credentialFingerprint(request));
            for (String w : verdict.warnings()) {
                ex.getResponseHeaders().add("Warning", "299 - \"" + w.replace("\"", "'") + "\"");
            }
            if (!(verdict instanceof Authenticated caller)) {
                if (verdict instanceof Rejected r) {
                    // kube-apiserver's "Unable to authenticate the request"; the client learns nothing more.
                    LOG.info("Unable to authenticate the request: {} ({})", r.message(), r.reason());
                }
                status(ex, 401, "Unauthorized", "Unauthorized");
                return;
            }
            route(ex, caller);
        } catch (RuntimeException e) {
            LOG.error("request failed", e);
            status(ex, 500, "InternalError", "Internal error");
        }
    }

    private void route(HttpExchange ex, Authenticated caller) throws IOException {
        String path = ex.getRequestURI().getPath();
        String method = ex.getRequestMethod();
        if (path.equals("/version") && method.equals("GET")) {
            json(ex, 200, Map.of("major", "1", "minor", "33", "gitVersion", "v1.33.0-gatehouse",
                    "platform", System.getProperty("os.name").toLowerCase() + "/" + System.getProperty("os.arch")));
        } else if (path.equals(SELF_SUBJECT_REVIEWS) && method.equals("POST")) {
            // kubectl sends a protobuf body; what it asks about is the caller, so the body is not read.
            ex.getRequestBody().transferTo(OutputStream.nullOutputStream());
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("kind", "SelfSubjectReview");
            body.put("apiVersion", "authentication.k8s.io/v1");
            body.put("metadata", Map.of());
            body.put("status", Map.of("userInfo", userInfo(caller.user())));
            json(ex, 201, body);
        } else if (path.equals(TOKEN_REVIEWS) && method.equals("POST")) {
            tokenReview(ex);
        } else if (TOKEN_REQUEST.matcher(path).matches() && method.equals("POST") && chains.issuer() != null) {
            tokenRequest(ex, caller);
        } else if (proxy != null) {
            proxy.forward(ex, caller.user());
        } else {
            status(ex, 404, "NotFound", "the server could not find the requested resource");
        }
    }

    /**
     * The service account issuer's discovery document and JWKS are public, as external OIDC verifiers fetch
     * them without credentials (kube-apiserver grants them to everyone through RBAC).
     */
    private boolean servedPublicly(HttpExchange ex) throws IOException {
        ServiceAccountDiscovery discovery = chains.discovery();
        if (discovery == null || !ex.getRequestMethod().equals("GET")) {
            return false;
        }
        String path = ex.getRequestURI().getPath();
        String body = path.equals("/.well-known/openid-configuration") ? discovery.openIdConfiguration()
                : path.equals(ServiceAccountDiscovery.JWKS_PATH) ? discovery.jwks() : null;
        if (body == null) {
            return false;
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", path.endsWith("jwks") ? "application/jwk-set+json" : "application/json");
        ex.sendResponseHeaders(200, bytes.length);
        ex.getResponseBody().write(bytes);
        return true;
    }

    /** TokenRequest ({@code kubectl create token}): only {@code system:masters} may mint, as RBAC would default. */
    private void tokenRequest(HttpExchange ex, Authenticated caller) throws IOException {
        Matcher m = TOKEN_REQUEST.matcher(ex.getRequestURI().getPath());
        m.matches();
        String namespace = m.group(1);
        String name = m.group(2);
        if (!caller.user().groups().contains("system:masters")) {
            status(ex, 403, "Forbidden", "serviceaccounts \"" + name + "\" is forbidden: User \"" + caller.user().name()
                    + "\" cannot create resource \"serviceaccounts/token\" in API group \"\" in the namespace \""
                    + namespace + "\"");
            return;
        }
        byte[] raw = ex.getRequestBody().readNBytes(MAX_REVIEW_BODY + 1);
        TokenRequest request;
        try {
            TokenRequestBody body = TokenRequestBody.parse(raw, ex.getRequestHeaders().getFirst("Content-Type"));
            request = TokenRequest.forServiceAccount(namespace, name, serviceAccountUid(namespace, name));
            if (!body.audiences().isEmpty()) {
                request = request.withAudiences(body.audiences());
            }
            if (body.expirationSeconds() != null) {
                request = request.withExpirationSeconds(body.expirationSeconds());
            }
            if (!body.boundObjectRef().isEmpty()) {
                request = request.boundTo(boundObject(body.boundObjectRef()));
            }
        } catch (IllegalArgumentException e) {
            status(ex, 422, "Invalid", "TokenRequest.authentication.k8s.io \"" + name + "\" is invalid: " + e.getMessage());
            return;
        }
        IssuedToken issued = chains.issuer().issue(request);
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("audiences", request.audiences());
        spec.put("expirationSeconds", request.expirationSeconds());
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("kind", "TokenRequest");
        response.put("apiVersion", "authentication.k8s.io/v1");
        response.put("metadata", Map.of("name", name, "namespace", namespace));
        response.put("spec", spec);
        response.put("status", Map.of("token", issued.token(),
                "expirationTimestamp", issued.expirationTimestamp().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString()));
        for (String w : issued.warnings()) {
            ex.getResponseHeaders().add("Warning", "299 - \"" + w.replace("\"", "'") + "\"");
        }
        json(ex, 201, response);
    }

    /** No service account objects here: a name-based UID stands in for the object's, the same for every token. */
    static String serviceAccountUid(String namespace, String name) {
        return UUID.nameUUIDFromBytes(("serviceaccount/" + namespace + "/" + name).getBytes(StandardCharsets.UTF_8)).toString();
    }

    private static BoundObjectReference boundObject(Map<String, String> ref) {
        String kind = ref.get("kind");
        String name = ref.get("name");
        String uid = ref.get("uid");
        if (kind == null || name == null || uid == null) {
            throw new IllegalArgumentException("boundObjectRef needs kind, name and uid");
        }
        return switch (kind) {
            case "Pod" -> BoundObjectReference.pod(name, uid);
            case "Secret" -> BoundObjectReference.secret(name, uid);
            case "Node" -> BoundObjectReference.node(name, uid);
            default -> throw new IllegalArgumentException("boundObjectRef.kind: Unsupported value: \"" + kind
                    + "\": supported values: \"Pod\", \"Secret\", \"Node\"");
        };
    }

    private void tokenReview(HttpExchange ex) throws IOException {
        byte[] raw = ex.getRequestBody().readNBytes(MAX_REVIEW_BODY + 1);
        if (raw.length > MAX_REVIEW_BODY) {
            status(ex, 413, "RequestEntityTooLarge", "request body too large");
            return;
        }
        String token;
        List<String> audiences = new ArrayList<>();
        try {
            Map<String, Object> review = JSONObjectUtils.parse(new String(raw, StandardCharsets.UTF_8));
            Map<String, Object> spec = JSONObjectUtils.getJSONObject(review, "spec");
            token = spec == null ? null : JSONObjectUtils.getString(spec, "token");
            String[] auds = spec == null ? null : JSONObjectUtils.getStringArray(spec, "audiences");
            if (auds != null) {
                audiences.addAll(List.of(auds));
            }
        } catch (ParseException | RuntimeException e) {
            status(ex, 400, "BadRequest", "the body is not a TokenReview");
            return;
        }
        if (token == null || token.isEmpty()) {
            status(ex, 400, "BadRequest", "token is required for TokenReview in authentication");
            return;
        }
        AuthenticationResult verdict = chains.tokenReviews().authenticate(AuthenticationRequest.builder()
                .header("Authorization", "Bearer " + token).audiences(audiences).build());
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("authenticated", verdict instanceof Authenticated);
        if (verdict instanceof Authenticated a) {
            status.put("user", userInfo(a.user()));
            status.put("audiences", a.audiences());
        } else if (verdict instanceof Rejected r) {
            status.put("error", r.message());
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("kind", "TokenReview");
        body.put("apiVersion", "authentication.k8s.io/v1");
        body.put("metadata", Map.of());
        body.put("spec", Map.of("audiences", audiences));
        body.put("status", status);
        json(ex, 201, body);
    }

    static Map<String, Object> userInfo(UserInfo u) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("username", u.name());
        if (!u.uid().isEmpty()) {
            m.put("uid", u.uid());
        }
        m.put("groups", u.groups());
        if (!u.extra().isEmpty()) {
            m.put("extra", u.extra());
        }
        return m;
    }

    private static AuthenticationRequest toRequest(HttpExchange ex) {
        AuthenticationRequest.Builder b = AuthenticationRequest.builder();
        ex.getRequestHeaders().forEach((name, values) -> values.forEach(v -> b.header(name, v)));
        if (ex instanceof HttpsExchange https) {
            try {
                List<X509Certificate> chain = new ArrayList<>();
                for (Certificate c : https.getSSLSession().getPeerCertificates()) {
                    if (c instanceof X509Certificate x) {
                        chain.add(x);
                    }
                }
                b.peerCertificates(chain);
            } catch (SSLPeerUnverifiedException noCertificate) {
                // No client certificate: the x509 authenticator abstains.
            }
        }
        return b.build();
    }

    /** Which credential decided, as a fingerprint: the bearer token's, else the client certificate's. */
    private static String credentialFingerprint(AuthenticationRequest r) {
        String auth = r.header("Authorization");
        if (auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Fingerprint.of(auth.substring(7).trim());
        }
        if (!r.peerCertificates().isEmpty()) {
            try {
                return "x509:" + Fingerprint.of(r.peerCertificates().get(0).getEncoded()).substring("sha256:".length());
            } catch (java.security.cert.CertificateEncodingException e) {
                return "x509:unencodable";
            }
        }
        return null;
    }

    private static void status(HttpExchange ex, int code, String reason, String message) throws IOException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("kind", "Status");
        body.put("apiVersion", "v1");
        body.put("metadata", Map.of());
        body.put("status", "Failure");
        body.put("message", message);
        body.put("reason", reason);
        body.put("code", code);
        json(ex, code, body);
    }

    private static void json(HttpExchange ex, int code, Object body) throws IOException {
        byte[] bytes = Json.write(body).getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(code, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

}
