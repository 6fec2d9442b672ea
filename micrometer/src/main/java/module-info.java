/**
 * Gatehouse's authentication events as Micrometer meters under Kubernetes' metric names: bind a chain's listener to
 * a {@code MeterRegistry} with {@link io.gatehouse.micrometer.GatehouseMetrics}.
 */
module io.gatehouse.micrometer {
    requires transitive io.gatehouse.core;
    requires transitive micrometer.core;
    // Optional: present, it lets the per-request histograms be recorded natively on a Prometheus registry.
    requires static micrometer.registry.prometheus;
    requires static io.prometheus.metrics.model;

    exports io.gatehouse.micrometer;
}
