package io.gatehouse.oidc;

import io.gatehouse.core.internal.CappedBody;
import io.gatehouse.core.internal.GoText;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLContext;

/**
 * GETs discovery documents and key sets: HTTPS only, redirects never followed (CVE-2022-3172 class), one
 * deadline for the whole exchange (a slow body cannot hold a thread), a body size cap enforced while
 * reading, and only a configured CA (or the JDK's roots) trusted. Messages name the URL and status, never
 * the body.
 */
final class HttpFetcher {

    /** A successful response. */
    record Response(byte[] body, Optional<String> cacheControl) {
    }

    private final SSLContext tls;
    private final Duration connectTimeout;
    private final Duration requestTimeout;
    private final int maxBytes;
    private volatile HttpClient client;

    HttpFetcher(SSLContext tls, FetchPolicy policy) {
        this.tls = tls;
        this.connectTimeout = policy.connectTimeout();
        this.requestTimeout = policy.requestTimeout();
        this.maxBytes = policy.maxResponseBytes();
    }

    /** Created on first use: a JDK HttpClient starts a selector thread, which issuers with static keys never need. */
    private HttpClient client() {
        HttpClient c = client;
        if (c == null) {
            synchronized (this) {
                c = client;
                if (c == null) {
                    HttpClient.Builder b = HttpClient.newBuilder()
                            .followRedirects(HttpClient.Redirect.NEVER)
                            .connectTimeout(connectTimeout);
                    if (tls != null) {
                        b.sslContext(tls);
                    }
                    c = b.build();
                    client = c;
                }
            }
        }
        return c;
    }

    Response get(URI uri) throws IOException {
        HttpResponse<byte[]> response = exchange(uri, null);
        if (response.statusCode() != 200) {
            throw new IOException("Get " + GoText.quote(uri.toString()) + ": status " + response.statusCode());
        }
        return new Response(response.body(), response.headers().firstValue("Cache-Control"));
    }

    /**
     * A GET with an optional bearer token that returns any status; for distributed claims.
     *
     * @param bearer sent as {@code Authorization: Bearer}; null for none. Never appears in a message.
     */
    HttpResponse<byte[]> exchange(URI uri, String bearer) throws IOException {
        if (!"https".equalsIgnoreCase(uri.getScheme())) {
            throw new IOException("Get " + GoText.quote(uri.toString()) + ": only https URLs are fetched");
        }
        HttpRequest.Builder rb = HttpRequest.newBuilder(uri).GET().timeout(requestTimeout);
        if (bearer != null) {
            rb.header("Authorization", "Bearer " + bearer);
        }
        HttpRequest request = rb.build();
        CompletableFuture<HttpResponse<byte[]>> call = client().sendAsync(request, CappedBody.handler(maxBytes));
        HttpResponse<byte[]> response;
        try {
            response = call.get(requestTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            call.cancel(true);
            throw new IOException("Get " + GoText.quote(uri.toString()) + ": timed out after " + requestTimeout.toMillis() + " ms");
        } catch (InterruptedException e) {
            call.cancel(true);
            Thread.currentThread().interrupt();
            throw new IOException("Get " + GoText.quote(uri.toString()) + ": interrupted");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof HttpTimeoutException) {
                // The client's own request timeout can fire a moment before ours: one message for one failure.
                throw new IOException("Get " + GoText.quote(uri.toString()) + ": timed out after " + requestTimeout.toMillis() + " ms",
                        cause);
            }
            throw new IOException("Get " + GoText.quote(uri.toString()) + ": "
                    + (cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage()), cause);
        }
        return response;
    }
}
