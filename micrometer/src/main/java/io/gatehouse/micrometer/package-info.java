/**
 * Micrometer meters for Gatehouse. The supported API is {@link io.gatehouse.micrometer.GatehouseMetrics}: it turns a
 * {@code MeterRegistry} into an {@link io.gatehouse.core.AuthenticationListener} that a chain (and the
 * authenticators that report reloads and key refreshes) are given. Meter names, types, tags and buckets are
 * Kubernetes' where Kubernetes has the metric; Gatehouse's own are prefixed {@code gatehouse_}.
 */
package io.gatehouse.micrometer;
