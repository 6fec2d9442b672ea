package io.gatehouse.examples.gateway;

import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.List;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * One request and its response as the gateway's endpoints see them: a thin, blocking view of Jetty's core
 * {@link Request}, {@link Response} and completion {@link Callback}. Endpoints run on a server thread and may block
 * to read a (bounded) body; each sends exactly one response, which completes the exchange.
 */
final class Exchange {

    private final Request request;
    private final Response response;
    private final Callback callback;
    private boolean sent;

    Exchange(Request request, Response response, Callback callback) {
        this.request = request;
        this.response = response;
        this.callback = callback;
    }

    /** The request method, as sent. */
    String method() {
        return request.getMethod();
    }

    /** The decoded path, for routing. */
    String path() {
        String p = request.getHttpURI().getDecodedPath();
        return p == null ? "/" : p;
    }

    /** The path as sent, percent-encoding intact. */
    String rawPath() {
        String p = request.getHttpURI().getPath();
        return p == null ? "/" : p;
    }

    /** The query as sent, or null for none. */
    String rawQuery() {
        return request.getHttpURI().getQuery();
    }

    /** The first value of request header {@code name}, or null. */
    String requestHeader(String name) {
        return request.getHeaders().get(name);
    }

    /** Every request header, in order, one field per value as sent. */
    HttpFields requestHeaders() {
        return request.getHeaders();
    }

    /** The request body, read blocking; endpoints bound what they read. */
    InputStream requestBody() {
        return Content.Source.asInputStream(request);
    }

    /** The client's IP address. */
    String remoteAddress() {
        return Request.getRemoteAddr(request);
    }

    /** The client certificate chain from the TLS handshake, as presented; empty when none was sent. */
    List<X509Certificate> peerCertificates() {
        if (request.getAttribute(EndPoint.SslSessionData.ATTRIBUTE) instanceof EndPoint.SslSessionData tls) {
            X509Certificate[] chain = tls.peerCertificates();
            return chain == null ? List.of() : List.of(chain);
        }
        return List.of();
    }

    /** Sets response header {@code name}, replacing any earlier value. */
    void setResponseHeader(String name, String value) {
        response.getHeaders().put(name, value);
    }

    /** Adds a value of response header {@code name}. */
    void addResponseHeader(String name, String value) {
        response.getHeaders().add(name, value);
    }

    /** Sends {@code body} with status {@code code}; completes the exchange. */
    void send(int code, String contentType, byte[] body) {
        if (sent) {
            throw new IllegalStateException("response already sent");
        }
        sent = true;
        response.setStatus(code);
        HttpFields.Mutable headers = response.getHeaders();
        if (contentType != null) {
            headers.put(HttpHeader.CONTENT_TYPE, contentType);
        }
        headers.put(new HttpField.LongValueHttpField(HttpHeader.CONTENT_LENGTH, body.length));
        response.write(true, ByteBuffer.wrap(body), callback);
    }

    /** Sends {@code text} as UTF-8 with status {@code code}. */
    void send(int code, String contentType, String text) {
        send(code, contentType, text.getBytes(StandardCharsets.UTF_8));
    }

    /** Whether a response was sent (or handed to the proxy). */
    boolean sent() {
        return sent;
    }

    /** Marks the exchange as answered by someone else (the proxy, the WebSocket upgrade). */
    void handedOver() {
        sent = true;
    }

    Request request() {
        return request;
    }

    Response response() {
        return response;
    }

    Callback callback() {
        return callback;
    }
}
