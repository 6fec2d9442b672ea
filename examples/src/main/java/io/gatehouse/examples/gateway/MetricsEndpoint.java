package io.gatehouse.examples.gateway;

import io.gatehouse.core.AuthenticationResult.Authenticated;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

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
    public void serve(Exchange ex, Authenticated caller) {
        ex.send(200, "text/plain; version=0.0.4; charset=utf-8", registry.scrape());
    }
}
