package io.gatehouse.micrometer;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.Exemplars;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricMetadata;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The per-request histograms as native Prometheus histograms on a {@link PrometheusMeterRegistry}: observations go
 * into {@link BucketHistogram}s, and one collector on the registry's Prometheus registry turns them into classic
 * histograms at scrape time, under the same names, labels and buckets the Micrometer timers would have
 * ({@code _bucket}, {@code _count}, {@code _sum}; no {@code _max}, which Kubernetes does not have either). Only loaded
 * when Micrometer's Prometheus registry is on the class path (it is an optional dependency).
 */
final class PrometheusHistograms implements MultiCollector {

    private record Series(String name, String help, String labelName, String labelValue, double[] bounds,
                          BucketHistogram histogram) {
    }

    private final List<Series> series = new ArrayList<>();
    private final ThreadCounts counts;

    private PrometheusHistograms(ThreadCounts counts) {
        this.counts = counts;
    }

    /**
     * The native histograms of {@code registry}, counted in {@code counts}, or null when it is not a Prometheus
     * registry or none is loadable.
     */
    static PrometheusHistograms of(MeterRegistry registry, ThreadCounts counts) {
        try {
            Class.forName("io.micrometer.prometheusmetrics.PrometheusMeterRegistry", false,
                    GatehouseMetrics.class.getClassLoader());
            Class.forName("io.prometheus.metrics.model.registry.MultiCollector", false,
                    GatehouseMetrics.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError absent) {
            return null;
        }
        return Bridge.of(registry, counts);
    }

    /** Kept apart so that the Prometheus types are resolved only once their presence is known. */
    private static final class Bridge {
        static PrometheusHistograms of(MeterRegistry registry, ThreadCounts counts) {
            if (!(registry instanceof PrometheusMeterRegistry prometheus)) {
                return null;
            }
            PrometheusHistograms h = new PrometheusHistograms(counts);
            prometheus.getPrometheusRegistry().register(h);
            return h;
        }
    }

    /**
     * A histogram series {@code name{labelName="labelValue"}} with these bucket bounds (seconds); all series of one name
     * share its help text and bounds.
     */
    synchronized BucketHistogram histogram(String name, String help, String labelName, String labelValue,
                                           double[] bounds) {
        BucketHistogram h = new BucketHistogram(bounds, counts);
        series.add(new Series(name, help, labelName, labelValue, bounds.clone(), h));
        return h;
    }

    @Override
    public synchronized MetricSnapshots collect() {
        Map<String, List<HistogramSnapshot.HistogramDataPointSnapshot>> points = new LinkedHashMap<>();
        Map<String, Series> first = new LinkedHashMap<>();
        for (Series s : series) {
            double[] upper = new double[s.bounds.length + 1];
            System.arraycopy(s.bounds, 0, upper, 0, s.bounds.length);
            upper[s.bounds.length] = Double.POSITIVE_INFINITY;
            HistogramSnapshot.HistogramDataPointSnapshot p = new HistogramSnapshot.HistogramDataPointSnapshot(
                    ClassicHistogramBuckets.of(upper, s.histogram.bucketCounts()), s.histogram.sumSeconds(),
                    Labels.of(s.labelName, s.labelValue), Exemplars.EMPTY, 0L);
            points.computeIfAbsent(s.name, n -> new ArrayList<>()).add(p);
            first.putIfAbsent(s.name, s);
        }
        List<MetricSnapshot> snapshots = new ArrayList<>();
        for (Map.Entry<String, List<HistogramSnapshot.HistogramDataPointSnapshot>> e : points.entrySet()) {
            Series s = first.get(e.getKey());
            snapshots.add(new HistogramSnapshot(new MetricMetadata(s.name, s.help), e.getValue()));
        }
        return new MetricSnapshots(snapshots);
    }
}
