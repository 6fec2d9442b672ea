package io.gatehouse.examples.gateway;

import io.gatehouse.core.ConsumedHeaders;
import io.gatehouse.core.UserInfo;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLContext;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.transport.HttpClientTransportDynamic;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.proxy.ProxyHandler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Forwards an authenticated request upstream with Kubernetes' request-header conventions: the credential
 * and any incoming {@code X-Remote-*} headers removed, the identity sent as {@code X-Remote-User},
 * {@code X-Remote-Uid}, one {@code X-Remote-Group} per group and {@code X-Remote-Extra-<key>} per extra
 * value (the key percent-encoded). The headers authentication consumed (custom request-header names, the WebSocket
 * bearer-token subprotocol) are stripped or replaced as the chain says. With {@code --proxy-client-cert-file} the
 * upstream is shown that client certificate, so that it can trust the identity headers as a Kubernetes aggregated
 * API server trusts kube-apiserver's.
 *
 * <p>Built on Jetty's {@link ProxyHandler}: request and response bodies stream both ways chunk by chunk (memory
 * bounded by Jetty's buffers whatever the body's size; a watch streams for as long as it lasts), hop-by-hop headers
 * and those named by {@code Connection} are dropped as RFC 9110 §7.6.1 requires, and an upstream that cannot be
 * reached answers 502, one that stays silent longer than the idle timeout 504, as {@code Status} objects.
 */
final class ReverseProxy extends ProxyHandler.Reverse {

    private static final Logger LOG = LoggerFactory.getLogger("io.gatehouse.gateway");
    private static final String USER = ReverseProxy.class.getName() + ".user";
    private static final String CONSUMED = ReverseProxy.class.getName() + ".consumed";

    /** Request headers that describe one hop, or that the proxy's client sets itself. */
    static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "proxy-authenticate",
            "proxy-authorization", "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade", "host",
            "content-length", "http2-settings");

    private final SSLContext tls;
    private final Duration idleTimeout;

    /**
     * A proxy to {@code upstream}.
     *
     * @param tls         the client certificate and trust for the upstream, null for the JVM's defaults
     * @param idleTimeout how long the upstream may stay silent (connecting, answering, streaming) before the caller
     *                    gets 504 (or, once the answer has begun, the stream is cut)
     */
    ReverseProxy(URI upstream, SSLContext tls, Duration idleTimeout) {
        super(request -> target(upstream, request));
        this.tls = tls;
        this.idleTimeout = idleTimeout;
    }

    private static HttpURI target(URI upstream, Request request) {
        HttpURI in = request.getHttpURI();
        String path = in.getPath() == null ? "/" : in.getPath();
        return HttpURI.build(upstream.resolve(path + (in.getQuery() == null ? "" : "?" + in.getQuery())));
    }

    /** Forwards {@code ex} for {@code user}; the proxy answers the exchange, now or later. */
    void forward(Exchange ex, UserInfo user, ConsumedHeaders consumed) {
        ex.request().setAttribute(USER, user);
        ex.request().setAttribute(CONSUMED, consumed);
        ex.handedOver();
        handle(ex.request(), ex.response(), ex.callback());
    }

    @Override
    protected HttpClient newHttpClient() {
        return upstreamClient(tls, "gateway-upstream");
    }

    /**
     * A Jetty client for the upstream, shared in shape by the proxy and the WebSocket pass-through: {@code tls}'s client
     * certificate and trust (the JVM's defaults when null, host names verified either way), daemon threads named
     * {@code threadName}.
     */
    static HttpClient upstreamClient(SSLContext tls, String threadName) {
        SslContextFactory.Client ssl = new SslContextFactory.Client();
        if (tls != null) {
            ssl.setSslContext(tls);
        }
        ClientConnector connector = new ClientConnector();
        connector.setSslContextFactory(ssl);
        QueuedThreadPool threads = new QueuedThreadPool();
        threads.setName(threadName);
        threads.setDaemon(true);
        connector.setExecutor(threads);
        return new HttpClient(new HttpClientTransportDynamic(connector));
    }

    @Override
    protected void configureHttpClient(HttpClient client) {
        super.configureHttpClient(client);
        client.setConnectTimeout(Math.min(idleTimeout.toMillis(), 10_000));
        client.setIdleTimeout(idleTimeout.toMillis());
        client.setUserAgentField(null);
    }

    @Override
    protected org.eclipse.jetty.client.Request newProxyToServerRequest(Request clientToProxy, HttpURI target) {
        return super.newProxyToServerRequest(clientToProxy, target).idleTimeout(idleTimeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    protected void copyRequestHeaders(Request clientToProxy, org.eclipse.jetty.client.Request proxyToServer) {
        ConsumedHeaders consumed = (ConsumedHeaders) clientToProxy.getAttribute(CONSUMED);
        Set<String> named = connectionNamed(clientToProxy.getHeaders());
        Set<String> replacedDone = new HashSet<>();
        proxyToServer.headers(out -> {
            for (HttpField h : clientToProxy.getHeaders()) {
                String name = h.getLowerCaseName();
                if (HOP_BY_HOP.contains(name) || named.contains(name) || name.equals("authorization")
                        || name.startsWith("x-remote-") || consumed.removes(name)) {
                    continue;
                }
                List<String> replaced = consumed.replacement(name);
                if (replaced == null) {
                    out.add(h.getName(), h.getValue());
                } else if (replacedDone.add(name)) {
                    replaced.forEach(v -> out.add(h.getName(), v));
                }
            }
        });
    }

    /** The headers a {@code Connection} header names: hop-by-hop too (RFC 9110 §7.6.1). */
    private static Set<String> connectionNamed(HttpFields headers) {
        Set<String> named = new HashSet<>();
        for (String value : headers.getValuesList(HttpHeader.CONNECTION)) {
            for (String n : value.split(",")) {
                named.add(n.trim().toLowerCase(Locale.ROOT));
            }
        }
        return named;
    }

    @Override
    protected void addProxyHeaders(Request clientToProxy, org.eclipse.jetty.client.Request proxyToServer) {
        UserInfo user = (UserInfo) clientToProxy.getAttribute(USER);
        proxyToServer.headers(out -> identityHeaders(user).forEach(h -> out.add(h[0], h[1])));
    }

    /** The identity as Kubernetes' request headers: name-value pairs in order. */
    static List<String[]> identityHeaders(UserInfo user) {
        List<String[]> headers = new java.util.ArrayList<>();
        headers.add(new String[] {"X-Remote-User", user.name()});
        if (!user.uid().isEmpty()) {
            headers.add(new String[] {"X-Remote-Uid", user.uid()});
        }
        user.groups().forEach(g -> headers.add(new String[] {"X-Remote-Group", g}));
        user.extra().forEach((k, vs) -> vs.forEach(v -> headers.add(new String[] {"X-Remote-Extra-" + escape(k), v})));
        return headers;
    }

    @Override
    protected void onServerToProxyResponseFailure(Request clientToProxy, org.eclipse.jetty.client.Request proxyToServer,
                                                  org.eclipse.jetty.client.Response serverToProxy, Response proxyToClient,
                                                  Callback callback, Throwable failure) {
        if (proxyToClient.isCommitted()) {
            // The answer has begun: nothing to say but to cut the stream.
            LOG.info("upstream failed mid-response for {}: {}", clientToProxy.getHttpURI().getPath(), failure.toString());
            callback.failed(failure);
            return;
        }
        boolean timeout = failure instanceof TimeoutException;
        LOG.info("upstream {} for {}: {}", timeout ? "timed out" : "unavailable", clientToProxy.getHttpURI().getPath(),
                failure.toString());
        int code = timeout ? 504 : 502;
        String body = "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\",\"message\":\""
                + (timeout ? "upstream timed out" : "upstream unavailable") + "\",\"reason\":\""
                + (timeout ? "Timeout" : "ServiceUnavailable") + "\",\"code\":" + code + "}";
        proxyToClient.reset();
        proxyToClient.setStatus(code);
        proxyToClient.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        proxyToClient.write(true, java.nio.ByteBuffer.wrap(body.getBytes(StandardCharsets.UTF_8)), callback);
    }

    /** Kubernetes unescapes extra keys with url.PathUnescape; escape all but unreserved characters. */
    static String escape(String key) {
        StringBuilder sb = new StringBuilder();
        for (byte b : key.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.'
                    || c == '_' || c == '~') {
                sb.append(c);
            } else {
                sb.append('%').append(String.format("%02X", b & 0xff));
            }
        }
        return sb.toString();
    }
}
