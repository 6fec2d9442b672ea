package io.gatehouse.examples.gateway;

import com.sun.net.httpserver.HttpExchange;
import io.gatehouse.core.AuthenticationResult.Authenticated;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * {@code GET /metrics}: the gateway's meters (Gatehouse's authentication metrics under Kubernetes' names, see
 * gatehouse-micrometer) in Prometheus' text format. Like kube-apiserver, it needs an authenticated caller unless
 * {@code --authorization-always-allow-paths} lists it.
 */
final class MetricsEndpoint implements Endpoint {

    static final String PATH = "/metrics";

    private final PrometheusMeterRegistry registry;

    MetricsEndpoint(PrometheusMeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void serve(HttpExchange ex, Authenticated caller) throws IOException {
        byte[] body = registry.scrape().getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
        ex.sendResponseHeaders(200, body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
    }
}
