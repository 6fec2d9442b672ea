package io.gatehouse.examples.gateway;

import io.gatehouse.core.ConsumedHeaders;
import io.gatehouse.core.UserInfo;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLContext;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.api.StatusCode;
import org.eclipse.jetty.websocket.api.exceptions.UpgradeException;
import org.eclipse.jetty.websocket.client.ClientUpgradeRequest;
import org.eclipse.jetty.websocket.client.JettyUpgradeListener;
import org.eclipse.jetty.websocket.client.WebSocketClient;
import org.eclipse.jetty.websocket.server.ServerWebSocketContainer;
import org.eclipse.jetty.websocket.server.WebSocketUpgradeHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * WebSocket upgrades passed through to {@code --upstream} (kubectl exec, attach and port-forward over WebSocket):
 * the gateway first opens the upstream WebSocket with the caller's identity as request headers (the credential, the
 * bearer-token subprotocol and incoming identity headers removed, as {@link ReverseProxy} does), then accepts the
 * caller's upgrade with the subprotocol the upstream chose, and relays frames both ways as they come — fragment by
 * fragment, each read only once the previous one was written, so memory stays bounded whatever the message size.
 * Close codes and reasons pass through; an upstream that refuses the upgrade gives its status to the caller, one that
 * cannot be reached 502, a silent one 504.
 */
final class WebSocketPassThrough {

    private static final Logger LOG = LoggerFactory.getLogger("io.gatehouse.gateway");

    /** WebSocket handshake headers: the two ends negotiate their own. */
    private static final java.util.Set<String> HANDSHAKE = java.util.Set.of("sec-websocket-key",
            "sec-websocket-version", "sec-websocket-extensions", "sec-websocket-protocol", "sec-websocket-accept");

    private final URI upstream;
    private final Duration idleTimeout;
    private final WebSocketClient client;
    private WebSocketUpgradeHandler handler;

    WebSocketPassThrough(URI upstream, SSLContext tls, Duration idleTimeout) {
        this.upstream = upstream;
        this.idleTimeout = idleTimeout;
        HttpClient http = ReverseProxy.upstreamClient(tls, "gateway-websocket-upstream");
        http.setFollowRedirects(false);
        http.setUserAgentField(null);
        this.client = new WebSocketClient(http);
        this.client.setIdleTimeout(idleTimeout);
        this.client.setConnectTimeout(Math.min(idleTimeout.toMillis(), 10_000));
        this.client.setStopAtShutdown(false);
        this.client.addBean(http, true);
    }

    /** Wraps {@code next} with Jetty's upgrade support and registers the upstream client with {@code server}. */
    Handler install(Server server, Handler next) {
        server.addBean(client, true);
        handler = WebSocketUpgradeHandler.from(server, container -> {
            container.setIdleTimeout(idleTimeout);
            // Fragments are relayed as they come; no message is ever assembled.
            container.setMaxTextMessageSize(-1);
            container.setMaxBinaryMessageSize(-1);
        });
        handler.setHandler(next);
        return handler;
    }

    /** Whether {@code request} asks for a WebSocket: HTTP/1.1's Upgrade, or HTTP/2's extended CONNECT (RFC 8441). */
    static boolean isUpgrade(Request request) {
        if (request.getConnectionMetaData().getHttpVersion() == HttpVersion.HTTP_2) {
            return HttpMethod.CONNECT.is(request.getMethod());
        }
        String upgrade = request.getHeaders().get(HttpHeader.UPGRADE);
        return upgrade != null && upgrade.toLowerCase(Locale.ROOT).contains("websocket");
    }

    /** Opens the upstream WebSocket for {@code user}, then answers the caller's upgrade; the exchange is handed over. */
    void forward(Exchange ex, UserInfo user, ConsumedHeaders consumed) {
        ex.handedOver();
        ServerWebSocketContainer container = handler.getServerWebSocketContainer();
        boolean upgraded = container.upgrade((upgradeRequest, upgradeResponse, callback) -> {
            URI target = target(ex);
            ClientUpgradeRequest out = new ClientUpgradeRequest(target);
            Map<String, List<String>> headers = new LinkedHashMap<>();
            List<String> protocols = new ArrayList<>();
            for (HttpField h : ex.requestHeaders()) {
                String name = h.getLowerCaseName();
                List<String> replaced = consumed.replacement(name);
                if (name.equals("sec-websocket-protocol")) {
                    if (!consumed.removes(name)) {
                        for (String v : replaced != null ? replaced : List.of(h.getValue())) {
                            for (String p : v.split(",")) {
                                if (!p.isBlank() && !protocols.contains(p.trim())) {
                                    protocols.add(p.trim());
                                }
                            }
                        }
                    }
                    continue;
                }
                if (HANDSHAKE.contains(name) || ReverseProxy.HOP_BY_HOP.contains(name) || name.equals("authorization")
                        || name.startsWith("x-remote-") || consumed.removes(name) || name.startsWith(":")) {
                    continue;
                }
                List<String> values = headers.computeIfAbsent(h.getName(), k -> new ArrayList<>());
                if (replaced == null) {
                    values.add(h.getValue());
                } else if (values.isEmpty()) {
                    values.addAll(replaced);
                }
            }
            for (String[] h : ReverseProxy.identityHeaders(user)) {
                headers.computeIfAbsent(h[0], k -> new ArrayList<>()).add(h[1]);
            }
            if (!protocols.isEmpty()) {
                out.setSubProtocols(protocols);
            }
            out.setTimeout(idleTimeout.toMillis(), TimeUnit.MILLISECONDS);
            Relay toCaller = new Relay("caller");
            Relay toUpstream = new Relay("upstream");
            toCaller.peer = toUpstream;
            toUpstream.peer = toCaller;
            Session upstreamSession;
            try {
                // Headers go on the handshake request itself, one line per value: Kubernetes reads each
                // X-Remote-Group line as one group, and a joined "a, b" would be one group named so.
                JettyUpgradeListener lines = new JettyUpgradeListener() {
                    @Override
                    public void onHandshakeRequest(org.eclipse.jetty.client.Request handshake) {
                        handshake.headers(h -> headers.forEach((name, values) -> values.forEach(v -> h.add(name, v))));
                    }
                };
                upstreamSession = client.connect(toUpstream, out, lines).get(idleTimeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException | TimeoutException e) {
                Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
                int status = cause instanceof UpgradeException u && u.getResponseStatusCode() > 0
                        ? u.getResponseStatusCode() : cause instanceof TimeoutException ? 504 : 502;
                LOG.info("upstream WebSocket for {} failed: {}", ex.path(), cause.toString());
                String message = status == 504 ? "upstream timed out" : status == 502 ? "upstream unavailable"
                        : "upstream refused the WebSocket upgrade";
                String body = "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\","
                        + "\"message\":\"" + message + "\",\"code\":" + status + "}";
                upgradeResponse.setStatus(status);
                upgradeResponse.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
                upgradeResponse.write(true, ByteBuffer.wrap(body.getBytes(StandardCharsets.UTF_8)), callback);
                return null;
            }
            String chosen = upstreamSession.getUpgradeResponse().getAcceptedSubProtocol();
            if (chosen != null) {
                upgradeResponse.setAcceptedSubProtocol(chosen);
            }
            return toCaller;
        }, ex.request(), ex.response(), ex.callback());
        if (!upgraded) {
            // Not a valid WebSocket handshake (bad version, missing key): say so plainly.
            Responses.status(ex, 400, "BadRequest", "not a valid WebSocket upgrade request");
        }
    }

    private URI target(Exchange ex) {
        String scheme = upstream.getScheme().equalsIgnoreCase("https") ? "wss" : "ws";
        URI base = URI.create(scheme + "://" + upstream.getRawAuthority() + "/");
        return base.resolve(ex.rawPath() + (ex.rawQuery() == null ? "" : "?" + ex.rawQuery()));
    }

    /**
     * One end of the relay: frames read from its session are written to the peer's, and the next frame is read only
     * when the write completed. Reading starts once both ends are open. Public: Jetty calls it through method handles.
     */
    public static final class Relay implements Session.Listener {

        private final String name;
        private volatile Relay peer;
        private volatile Session session;

        Relay(String name) {
            this.name = name;
        }

        @Override
        public void onWebSocketOpen(Session s) {
            this.session = s;
            Relay other = peer;
            if (other.session != null) {
                // Both ends open: start reading on each.
                s.demand();
                other.session.demand();
            }
        }

        private Callback thenDemand() {
            return Callback.from(() -> session.demand(), failure -> {
                LOG.debug("WebSocket relay {} write failed: {}", name, failure.toString());
                session.close(StatusCode.SERVER_ERROR, "relay failed", Callback.NOOP);
            });
        }

        @Override
        public void onWebSocketPartialText(String payload, boolean last) {
            peer.session.sendPartialText(payload, last, thenDemand());
        }

        @Override
        public void onWebSocketPartialBinary(ByteBuffer payload, boolean last, Callback callback) {
            peer.session.sendPartialBinary(payload, last, Callback.from(() -> {
                callback.succeed();
                session.demand();
            }, failure -> {
                callback.fail(failure);
                session.close(StatusCode.SERVER_ERROR, "relay failed", Callback.NOOP);
            }));
        }

        @Override
        public void onWebSocketPing(ByteBuffer payload) {
            peer.session.sendPing(payload, thenDemand());
        }

        @Override
        public void onWebSocketPong(ByteBuffer payload) {
            peer.session.sendPong(payload, thenDemand());
        }

        @Override
        public void onWebSocketClose(int code, String reason) {
            Session other = peer.session;
            if (other != null && other.isOpen()) {
                // 1005 and 1006 describe what was not sent; they cannot be sent on.
                int sendable = code == StatusCode.NO_CODE || code == StatusCode.NO_CLOSE || code == StatusCode.ABNORMAL
                        ? StatusCode.NORMAL : code;
                other.close(sendable, reason, Callback.NOOP);
            }
        }

        @Override
        public void onWebSocketError(Throwable cause) {
            LOG.debug("WebSocket relay {} failed: {}", name, cause.toString());
            Session other = peer.session;
            if (other != null && other.isOpen()) {
                other.close(StatusCode.SERVER_ERROR, "peer failed", Callback.NOOP);
            }
        }
    }
}
