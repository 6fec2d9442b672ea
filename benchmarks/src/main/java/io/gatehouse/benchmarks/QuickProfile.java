package io.gatehouse.benchmarks;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs the suite once and prints one table: each benchmark, its score, the baseline it is held to, the
 * ratio within this run, and the target. Only ratios within one run mean anything on a shared machine.
 *
 * <p>Usage: {@code java -cp benchmarks/target/benchmarks.jar io.gatehouse.benchmarks.QuickProfile
 * [--long] [--no-scaling] [--jvm=/path/to/java] [regex]}. The quick profile (1 fork, 3x1 s warm-up,
 * 5x1 s measurement, {@code -prof gc}, then five paths again on two threads) takes about 8 minutes on
 * 2 cores; {@code --long} (3 forks, 5x2 s, 10x2 s) is for publishing. Two-thread figures mean little on a
 * machine whose two cores are shared.
 */
public final class QuickProfile {

    /**
     * A row: a benchmark held to a baseline (ratio target) or to an absolute time in nanoseconds, and
     * optionally to at most {@code maxBytes} allocated per operation ({@code -prof gc}); 0: no bound.
     */
    private record Target(String benchmark, String baseline, double maxRatio, double maxNanos, double maxBytes,
                          String note) {
        Target(String benchmark, String baseline, double maxRatio, double maxNanos, String note) {
            this(benchmark, baseline, maxRatio, maxNanos, 0, note);
        }
    }

    private static final List<Target> TARGETS = List.of(
            new Target("JwtBenchmark.gatehouseOidcRs256", "JwtBenchmark.rawJcaRs256Verify", 1.08, 0, "OIDC RS256 uncached"),
            new Target("JwtBenchmark.nimbusProcessorRs256", "JwtBenchmark.rawJcaRs256Verify", 0, 0, "peer: Nimbus"),
            new Target("JwtBenchmark.auth0Rs256", "JwtBenchmark.rawJcaRs256Verify", 0, 0, "peer: auth0 java-jwt"),
            new Target("JwtBenchmark.jjwtRs256", "JwtBenchmark.rawJcaRs256Verify", 0, 0, "peer: jjwt"),
            new Target("JwtBenchmark.jose4jRs256", "JwtBenchmark.rawJcaRs256Verify", 0, 0, "peer: jose4j"),
            new Target("ServiceAccountBenchmark.uncachedRs256", "ServiceAccountBenchmark.rawJcaRs256Verify", 1.08, 0,
                    "SA RS256 uncached"),
            new Target("JwtBenchmark.gatehouseOidcEs256", "JwtBenchmark.rawSunEcEs256Verify", 0.10, 0, "OIDC ES256 uncached"),
            new Target("JwtBenchmark.rawBcEs256Verify", "JwtBenchmark.rawSunEcEs256Verify", 0, 0, "BC floor"),
            new Target("JwtBenchmark.gatehouseOidcEs256", "JwtBenchmark.rawBcEs256Verify", 0, 0, "ES256 over BC floor"),
            new Target("JwtBenchmark.nimbusProcessorEs256", "JwtBenchmark.rawSunEcEs256Verify", 0, 0, "peer: Nimbus"),
            new Target("JwtBenchmark.auth0Es256", "JwtBenchmark.rawSunEcEs256Verify", 0, 0, "peer: auth0 java-jwt"),
            new Target("TokenCacheBenchmark.chainCacheHit", "TokenCacheBenchmark.baselineHmacPlusCaffeineHit", 1.5, 0,
                    256, "cache hit, <=256 B/op"),
            new Target("MethodsBenchmark.staticTokenHit", null, 0, 1000, "static token"),
            new Target("MethodsBenchmark.staticTokenHit", "MethodsBenchmark.sha256OfToken", 0, 0, "static over SHA-256"),
            new Target("MethodsBenchmark.bootstrapHit", "MethodsBenchmark.hmacSha256OfToken", 0, 0, "bootstrap"),
            new Target("Ed25519Benchmark.rawBcEd25519Verify", "Ed25519Benchmark.rawJdkEd25519Verify", 0, 0, "Ed25519 floor: BC vs JDK"),
            new Target("TokenFileLoadBenchmark.loadMillionLineFile", null, 0, 1.5e9, "1,000,000-line token file load"),
            new Target("X509Benchmark.uncached", "X509Benchmark.rawRsaVerifyOfTbs", 1.15, 0, "x509 uncached"),
            new Target("X509Benchmark.cached", null, 0, 1000, "x509 cached"),
            new Target("ChainBenchmark.allFiveOidc", "ChainBenchmark.oidcOnly", 1.05, 0, "chain, OIDC token"),
            new Target("ChainBenchmark.allFiveServiceAccount", "ChainBenchmark.serviceAccountOnly", 1.05, 0, "chain, SA token"),
            new Target("WebhookBenchmark.chainCacheHitWithWebhook", "TokenCacheBenchmark.baselineHmacPlusCaffeineHit", 1.5,
                    0, "webhook verdict, chain cache"),
            new Target("WebhookBenchmark.webhookCacheHit", "TokenCacheBenchmark.baselineHmacPlusCaffeineHit", 1.5, 0,
                    "webhook verdict, its own cache"),
            new Target("MetricsBenchmark.chainCacheHitWithMetrics", "MetricsBenchmark.chainCacheHit", 1.15, 0, 256,
                    "cache hit with Micrometer metrics"),
            new Target("MetricsBenchmark.chainCacheHitTimed", "MetricsBenchmark.chainCacheHit", 0, 0,
                    "cache hit, timed by a listener that records nothing"),
            new Target("MetricsBenchmark.chainCacheHitWithMetrics", "MetricsBenchmark.chainCacheHitTimed", 0, 0,
                    "metrics over the timed hit: the recording alone"),
            new Target("MetricsBenchmark.chainCacheHitLoggedWithMetrics", "MetricsBenchmark.chainCacheHitLogged", 0, 0,
                    "metrics over the default (logging) listener"),
            new Target("FrontProxyBenchmark.requestHeaderCached", "FrontProxyBenchmark.x509Cached", 2.0, 0,
                    "request-header, cached certificate"),
            new Target("CelBenchmark.celExpressions", "CelBenchmark.plainClaimMappings", 1.15, 0,
                    "CEL mappings, uncached"),
            new Target("WebhookBenchmark.webhookUncached", "WebhookBenchmark.bareHttpClientPost", 0, 0,
                    "webhook review over a bare POST"));

    /**
     * Two-thread rows, each with its floor: the raw operation the row is built on, which holds no state of ours.
     * On a shared machine one two-thread figure decides nothing, so the profile measures a row and its floor on one
     * and two threads back to back, in several forks, and judges the row by its scaling over its floor's (a ratio
     * of ratios): a row that scales well below its floor has shared state of its own on the path.
     */
    private record ScalingPair(String row, String floor) {
    }

    private static final List<ScalingPair> SCALING = List.of(
            new ScalingPair("TokenCacheBenchmark.chainCacheHit", "TokenCacheBenchmark.baselineHmacPlusCaffeineHit"),
            new ScalingPair("JwtBenchmark.gatehouseOidcRs256", "JwtBenchmark.rawJcaRs256Verify"),
            new ScalingPair("JwtBenchmark.gatehouseOidcEs256", "JwtBenchmark.rawSunEcEs256Verify"),
            new ScalingPair("X509Benchmark.uncached", "X509Benchmark.rawRsaVerifyOfTbs"),
            new ScalingPair("X509Benchmark.cached", "TokenCacheBenchmark.baselineHmacPlusCaffeineHit"),
            new ScalingPair("MetricsBenchmark.chainCacheHitWithMetrics", "TokenCacheBenchmark.baselineHmacPlusCaffeineHit"));

    /** A row whose scaling is below this share of its floor's is flagged. */
    private static final double SCALING_FLAG = 0.90;

    private QuickProfile() {
    }

    public static void main(String[] args) throws Exception {
        boolean longProfile = false;
        boolean scaling = true;
        String jvm = null;
        String include = "io\\.gatehouse\\.benchmarks\\.(Jwt|ServiceAccount|TokenCache|Methods|X509|Chain|TokenFileLoad|JwksStorm|Ed25519|Webhook|Metrics|FrontProxy|Cel)Benchmark\\..*";
        for (String a : args) {
            if (a.equals("--long")) {
                longProfile = true;
            } else if (a.equals("--no-scaling")) {
                scaling = false;
            } else if (a.startsWith("--jvm=")) {
                jvm = a.substring("--jvm=".length());
            } else {
                include = a;
            }
        }
        ChainedOptionsBuilder options = new OptionsBuilder().include(include).addProfiler(GCProfiler.class)
                .shouldFailOnError(true)
                .forks(longProfile ? 3 : 1)
                .warmupIterations(longProfile ? 5 : 3).warmupTime(TimeValue.seconds(longProfile ? 2 : 1))
                .measurementIterations(longProfile ? 10 : 5).measurementTime(TimeValue.seconds(longProfile ? 2 : 1));
        if (jvm != null) {
            options.jvm(jvm);
        }
        Collection<RunResult> results = new Runner(options.build()).run();
        List<Map<String, double[]>> scalingForks = new ArrayList<>();
        if (scaling) {
            int forks = longProfile ? 5 : 3;
            for (int f = 0; f < forks; f++) {
                scalingForks.add(scalingFork(jvm));
            }
        }
        print(results, scalingForks);
    }

    /**
     * One fork of every scaling row and floor on one thread, then on two, back to back: name to {t1, t2} in ns/op
     * per thread.
     */
    private static Map<String, double[]> scalingFork(String jvm) throws Exception {
        StringBuilder names = new StringBuilder();
        for (ScalingPair p : SCALING) {
            for (String n : List.of(p.row(), p.floor())) {
                if (names.indexOf(n.replace(".", "\\.")) < 0) {
                    names.append(names.length() == 0 ? "" : "|").append(n.replace(".", "\\."));
                }
            }
        }
        String include = "io\\.gatehouse\\.benchmarks\\.(" + names + ")$";
        Map<String, double[]> out = new HashMap<>();
        for (int threads = 1; threads <= 2; threads++) {
            ChainedOptionsBuilder o = new OptionsBuilder().include(include).threads(threads).forks(1)
                    .warmupIterations(2).warmupTime(TimeValue.seconds(1))
                    .measurementIterations(3).measurementTime(TimeValue.seconds(1));
            if (jvm != null) {
                o.jvm(jvm);
            }
            for (RunResult r : new Runner(o.build()).run()) {
                String full = r.getParams().getBenchmark();
                String name = full.substring(full.lastIndexOf('.', full.lastIndexOf('.') - 1) + 1);
                double ns = r.getPrimaryResult().getScore() * toNanos(r.getPrimaryResult().getScoreUnit());
                out.computeIfAbsent(name, k -> new double[2])[threads - 1] = ns;
            }
        }
        return out;
    }

    private static void print(Collection<RunResult> results, List<Map<String, double[]>> scalingForks) {
        Map<String, Double> nanos = new HashMap<>();
        Map<String, Double> errors = new HashMap<>();
        Map<String, Double> alloc = new HashMap<>();
        List<String> order = new ArrayList<>();
        for (RunResult r : results) {
            String full = r.getParams().getBenchmark();
            String name = full.substring(full.lastIndexOf('.', full.lastIndexOf('.') - 1) + 1);
            Result<?> primary = r.getPrimaryResult();
            double factor = toNanos(primary.getScoreUnit());
            // Single shots (the token file load) are judged by their median: one GC pause must not decide.
            double score = r.getParams().getMode() == org.openjdk.jmh.annotations.Mode.SingleShotTime
                    ? primary.getStatistics().getPercentile(50) : primary.getScore();
            nanos.put(name, score * factor);
            errors.put(name, primary.getScoreError() * factor);
            Result<?> gc = r.getSecondaryResults().get("gc.alloc.rate.norm");
            if (gc != null) {
                alloc.put(name, gc.getScore());
            }
            order.add(name);
        }
        System.out.println();
        System.out.printf(Locale.ROOT, "%-42s %12s %10s %9s  %-38s %8s %7s  %s%n",
                "benchmark", "score", "+-err", "B/op", "baseline", "ratio", "target", "");
        for (String name : order) {
            System.out.printf(Locale.ROOT, "%-42s %12s %10s %9.0f%n", name, time(nanos.get(name)), time(errors.get(name)),
                    alloc.getOrDefault(name, Double.NaN));
        }
        System.out.println();
        System.out.printf(Locale.ROOT, "%-42s %-38s %8s %9s  %-6s %s%n", "held", "to", "ratio", "target", "met", "what");
        for (Target t : TARGETS) {
            Double score = nanos.get(t.benchmark());
            if (score == null) {
                continue;
            }
            if (t.baseline() == null) {
                System.out.printf(Locale.ROOT, "%-42s %-38s %8s %9s  %-6s %s%n", t.benchmark(), "(absolute)", time(score),
                        "<=" + time(t.maxNanos()), score <= t.maxNanos() ? "yes" : "NO", t.note());
                continue;
            }
            Double base = nanos.get(t.baseline());
            if (base == null) {
                continue;
            }
            double ratio = score / base;
            String target = t.maxRatio() > 0 ? String.format(Locale.ROOT, "<=%.2fx", t.maxRatio()) : "-";
            boolean allocationMet = t.maxBytes() <= 0 || alloc.getOrDefault(t.benchmark(), Double.NaN) <= t.maxBytes();
            String met = t.maxRatio() > 0 ? (ratio <= t.maxRatio() && allocationMet ? "yes" : "NO") : "";
            System.out.printf(Locale.ROOT, "%-42s %-38s %7.3fx %9s  %-6s %s%n", t.benchmark(), t.baseline(), ratio, target,
                    met, t.note());
        }
        if (!scalingForks.isEmpty()) {
            System.out.println();
            System.out.printf(Locale.ROOT, "two threads: throughput scaling 2*t1/t2 per fork (%d forks, 1 and 2 threads back to "
                    + "back), judged against the floor's scaling in the same fork%n", scalingForks.size());
            System.out.printf(Locale.ROOT, "%-36s %-14s %-44s %-14s %-22s %s%n", "row", "scaling", "floor", "floor scaling",
                    "row/floor per fork", "median");
            for (ScalingPair p : SCALING) {
                List<Double> rowScaling = new ArrayList<>();
                List<Double> floorScaling = new ArrayList<>();
                List<Double> relative = new ArrayList<>();
                for (Map<String, double[]> fork : scalingForks) {
                    double[] row = fork.get(p.row());
                    double[] floor = fork.get(p.floor());
                    if (row == null || floor == null) {
                        continue;
                    }
                    double rs = 2 * row[0] / row[1];
                    double fs = 2 * floor[0] / floor[1];
                    rowScaling.add(rs);
                    floorScaling.add(fs);
                    relative.add(rs / fs);
                }
                if (relative.isEmpty()) {
                    continue;
                }
                double median = median(relative);
                StringBuilder perFork = new StringBuilder();
                for (double r : relative) {
                    perFork.append(perFork.length() == 0 ? "" : " ").append(String.format(Locale.ROOT, "%.2f", r));
                }
                System.out.printf(Locale.ROOT, "%-36s %-14s %-44s %-14s %-22s %.2f  %s%n", p.row(),
                        String.format(Locale.ROOT, "%.2fx", median(rowScaling)), p.floor(),
                        String.format(Locale.ROOT, "%.2fx", median(floorScaling)), perFork, median,
                        median < SCALING_FLAG ? "BELOW ITS FLOOR" : "ok");
            }
        }
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        java.util.Collections.sort(sorted);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    private static double toNanos(String unit) {
        String u = unit.substring(0, unit.indexOf('/'));
        return switch (u) {
            case "ns" -> 1;
            case "us" -> TimeUnit.MICROSECONDS.toNanos(1);
            case "ms" -> TimeUnit.MILLISECONDS.toNanos(1);
            case "s" -> TimeUnit.SECONDS.toNanos(1);
            default -> throw new IllegalArgumentException("unexpected unit " + unit);
        };
    }

    private static String time(double ns) {
        if (Double.isNaN(ns)) {
            return "-";
        }
        return ns >= 10_000_000 ? String.format(Locale.ROOT, "%.0f ms", ns / 1e6)
                : ns >= 10_000 ? String.format(Locale.ROOT, "%.1f us", ns / 1000)
                : ns >= 1000 ? String.format(Locale.ROOT, "%.2f us", ns / 1000) : String.format(Locale.ROOT, "%.0f ns", ns);
    }
}
