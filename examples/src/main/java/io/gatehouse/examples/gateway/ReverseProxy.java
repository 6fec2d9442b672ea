package io.gatehouse.examples.gateway;

import com.sun.net.httpserver.HttpExchange;
import io.gatehouse.core.ConsumedHeaders;
import io.gatehouse.core.UserInfo;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Forwards an authenticated request upstream with Kubernetes' request-header conventions: the credential
 * and any incoming {@code X-Remote-*} headers removed, the identity sent as {@code X-Remote-User},
 * {@code X-Remote-Uid}, one {@code X-Remote-Group} per group and {@code X-Remote-Extra-<key>} per extra
 * value (the key percent-encoded). Bodies stream both ways. The headers authentication consumed (custom
 * request-header names, the WebSocket bearer-token subprotocol) are stripped or replaced as the chain says. With
 * {@code --proxy-client-cert-file} the upstream is shown that client certificate, so that it can trust the
 * identity headers as a Kubernetes aggregated API server trusts kube-apiserver's.
 */
final class ReverseProxy {

    /** Headers that describe one hop, or that the JDK client sets itself. */
    private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "proxy-authenticate",
            "proxy-authorization", "te", "trailer", "transfer-encoding", "upgrade", "host", "content-length", "expect",
            "http2-settings");

    private final URI upstream;
    private final HttpClient client;

    /** A proxy to {@code upstream}; {@code tls} sets the client certificate and trust, null for the JVM's defaults. */
    ReverseProxy(URI upstream, javax.net.ssl.SSLContext tls) {
        this.upstream = upstream;
        HttpClient.Builder b = HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NEVER);
        if (tls != null) {
            b.sslContext(tls);
        }
        this.client = b.build();
    }

    void forward(HttpExchange ex, UserInfo user, ConsumedHeaders consumed) throws IOException {
        URI target = upstream.resolve(ex.getRequestURI().getRawPath()
                + (ex.getRequestURI().getRawQuery() == null ? "" : "?" + ex.getRequestURI().getRawQuery()));
        HttpRequest.Builder b = HttpRequest.newBuilder(target).timeout(Duration.ofMinutes(5));
        for (Map.Entry<String, List<String>> h : ex.getRequestHeaders().entrySet()) {
            String name = h.getKey().toLowerCase(Locale.ROOT);
            if (HOP_BY_HOP.contains(name) || name.equals("authorization") || name.startsWith("x-remote-")
                    || consumed.removes(name)) {
                continue;
            }
            List<String> replaced = consumed.replacement(name);
            (replaced != null ? replaced : h.getValue()).forEach(v -> b.header(h.getKey(), v));
        }
        b.header("X-Remote-User", user.name());
        if (!user.uid().isEmpty()) {
            b.header("X-Remote-Uid", user.uid());
        }
        user.groups().forEach(g -> b.header("X-Remote-Group", g));
        user.extra().forEach((k, vs) -> vs.forEach(v -> b.header("X-Remote-Extra-" + escape(k), v)));
        InputStream body = ex.getRequestBody();
        String length = ex.getRequestHeaders().getFirst("Content-Length");
        boolean hasBody = (length != null && !length.equals("0")) || ex.getRequestHeaders().containsKey("Transfer-Encoding");
        b.method(ex.getRequestMethod(), hasBody ? HttpRequest.BodyPublishers.ofInputStream(() -> body)
                : HttpRequest.BodyPublishers.noBody());
        HttpResponse<InputStream> response;
        try {
            response = client.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while proxying", e);
        } catch (IOException e) {
            byte[] msg = "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"message\":\"upstream unavailable\",\"reason\":\"ServiceUnavailable\",\"code\":502}"
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", "application/json");
            ex.sendResponseHeaders(502, msg.length);
            ex.getResponseBody().write(msg);
            return;
        }
        response.headers().map().forEach((name, values) -> {
            if (!HOP_BY_HOP.contains(name.toLowerCase(Locale.ROOT)) && !name.startsWith(":")) {
                values.forEach(v -> ex.getResponseHeaders().add(name, v));
            }
        });
        long declared = response.headers().firstValueAsLong("content-length").orElse(-1);
        boolean empty = declared == 0 || ex.getRequestMethod().equals("HEAD") || response.statusCode() == 204
                || response.statusCode() == 304;
        ex.sendResponseHeaders(response.statusCode(), empty ? -1 : 0);
        try (InputStream in = response.body(); OutputStream out = ex.getResponseBody()) {
            if (!empty) {
                in.transferTo(out);
            }
        }
    }

    /** Kubernetes unescapes extra keys with url.PathUnescape; escape all but unreserved characters. */
    static String escape(String key) {
        StringBuilder sb = new StringBuilder();
        for (byte b : key.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
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
