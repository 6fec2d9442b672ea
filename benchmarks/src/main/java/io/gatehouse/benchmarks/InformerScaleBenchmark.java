package io.gatehouse.benchmarks;

import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.gatehouse.kubernetes.KubernetesApi;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * 10,000 Secrets and 10,000 Pods in an API server: the time from starting the service account lookup's informers
 * until they have synced (the score, one shot per iteration), and the heap the synced caches retain per object
 * (printed after each iteration: used heap after a full GC with the caches synced, minus the same 65 s after the
 * informers and the client were closed, when fabric8's idle worker threads have let go of them, over 20,000; the
 * difference from the connected client alone is printed beside it). The mock API server runs in its own process ({@link MockApiServerProcess}), so the heap
 * readings hold only the client and its caches; it is slow to list 10,000 objects (its CRUD store runs on Vert.x's
 * event loop), so the sync time is mostly its own.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
// One fresh sync per fork: later iterations mostly measure the mock server slowing down under repeated 10,000-object
// lists and watches, not the informers.
@Warmup(iterations = 0)
@Measurement(iterations = 1)
@Fork(value = 1, jvmArgs = {"-Xmx2g", "-XX:+UseSerialGC"}) // serial GC: System.gc() is a full, exact collection
@State(Scope.Benchmark)
public class InformerScaleBenchmark {

    static final int SECRETS = 10_000;
    static final int PODS = 10_000;

    private Process server;
    private String masterUrl;
    private KubernetesClient client;
    private KubernetesApi api;

    @Setup(Level.Trial)
    public void fill() throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        server = new ProcessBuilder(java, "-Xmx2g", "-cp", System.getProperty("java.class.path"),
                MockApiServerProcess.class.getName(), String.valueOf(SECRETS), String.valueOf(PODS))
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
        for (String line; (line = out.readLine()) != null; ) {
            if (line.startsWith("ready ")) {
                masterUrl = line.substring("ready ".length());
                break;
            }
        }
        if (masterUrl == null) {
            throw new IllegalStateException("the mock API server process never became ready");
        }
    }

    /** Used heap after a full GC with the client connected and warmed by one small request, before any informer. */
    private long clientOnly;

    @Setup(Level.Iteration)
    public void connect() {
        // A long request timeout: the mock server takes seconds to list 10,000 objects.
        client = new KubernetesClientBuilder().withConfig(new ConfigBuilder().withMasterUrl(masterUrl)
                .withTrustCerts(true).withNamespace("default").withRequestTimeout(120_000).build()).build();
        client.namespaces().withName("default").get(); // connection, TLS and JSON machinery in place
        clientOnly = usedAfterGc();
    }

    @Benchmark
    public KubernetesApi initialSync() throws InterruptedException {
        api = KubernetesApi.builder().client(client).build();
        api.serviceAccountLookup();
        KubernetesMockApi.await("informers synced", () -> api.health().ready());
        return api;
    }

    @TearDown(Level.Iteration)
    public void measureAfter() {
        long with = usedAfterGc();
        release();
        // fabric8's worker threads keep their last tasks, and through them the informers, until their 60 s idle
        // timeout ends them: the caches are free only after that.
        try {
            Thread.sleep(65_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        long none = usedAfterGc();
        if (Boolean.getBoolean("gatehouse.histogram")) {
            histogram();
        }
        long caches = with - clientOnly;
        long freed = with - none;
        System.out.printf("%n[InformerScaleBenchmark] heap freed 65 s after closing the informers and the client: %.1f MiB, "
                + "%d bytes per object (%d Secrets + %d Pods); used heap synced minus connected-client-only: %.1f MiB%n",
                freed / 1048576.0, freed / (SECRETS + PODS), SECRETS, PODS, caches / 1048576.0);
    }

    /** Closes the informers and the client and drops every reference to them, so that a full GC frees the caches. */
    private void release() {
        api.close();
        client.close();
        api = null;
        client = null;
    }

    @TearDown(Level.Trial)
    public void stop() throws InterruptedException {
        server.destroy();
        server.waitFor();
    }

    private static void histogram() {
        try {
            Process p = new ProcessBuilder("jcmd", String.valueOf(ProcessHandle.current().pid()), "GC.class_histogram")
                    .redirectErrorStream(true).start();
            new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)).lines().limit(30)
                    .forEach(System.out::println);
        } catch (IOException e) {
            System.out.println("no histogram: " + e);
        }
    }

    private static long usedAfterGc() {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return memory.getHeapMemoryUsage().getUsed();
    }
}
