package io.gatehouse.benchmarks;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.gatehouse.kubernetes.KubernetesApi;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
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
 * (printed after each iteration: used heap after a full GC with the caches held, minus the same after they are
 * closed, over 20,000). The mock API server runs in the same JVM and is in both heap readings; it is slow to list
 * 10,000 objects (its CRUD store runs on Vert.x's event loop), so the sync time is mostly its own.
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

    private KubernetesMockServer server;
    private KubernetesClient admin;
    private KubernetesApi api;

    @Setup(Level.Trial)
    public void fill() {
        server = KubernetesMockApi.start();
        admin = server.createClient();
        String token = Base64.getEncoder().encodeToString(("eyJhbGciOiJSUzI1NiJ9." + "x".repeat(600) + ".sig")
                .getBytes(StandardCharsets.US_ASCII));
        for (int i = 0; i < SECRETS; i++) {
            String ns = "ns-" + (i % 100);
            Secret s = new SecretBuilder().withNewMetadata().withNamespace(ns).withName("sa-" + i + "-token")
                    .withAnnotations(Map.of("kubernetes.io/service-account.name", "sa-" + i)).endMetadata()
                    .withType("kubernetes.io/service-account-token")
                    .withData(Map.of("token", token, "namespace", Base64.getEncoder().encodeToString(ns.getBytes(
                            StandardCharsets.US_ASCII)), "ca.crt", Base64.getEncoder().encodeToString(new byte[1100])))
                    .build();
            admin.secrets().inNamespace(ns).resource(s).create();
        }
        for (int i = 0; i < PODS; i++) {
            String ns = "ns-" + (i % 100);
            Pod p = new PodBuilder().withNewMetadata().withNamespace(ns).withName("web-" + i)
                    .withLabels(Map.of("app", "web", "pod-template-hash", "7d9f8c6b5")).endMetadata()
                    .withNewSpec().withNodeName("node-" + (i % 50)).withServiceAccountName("web")
                    .addNewContainer().withName("web").withImage("registry.example/web:1.2.3")
                    .addToArgs("--port=8080", "--log-level=info").endContainer().endSpec().build();
            admin.pods().inNamespace(ns).resource(p).create();
        }
    }

    @Benchmark
    public KubernetesApi initialSync() throws InterruptedException {
        // A long request timeout: the mock server takes seconds to list 10,000 objects.
        api = KubernetesApi.builder().client(new KubernetesClientBuilder().withConfig(new ConfigBuilder(
                server.createClient().getConfiguration()).withRequestTimeout(120_000).build()).build()).build();
        api.serviceAccountLookup();
        KubernetesMockApi.await("informers synced", () -> api.health().ready());
        return api;
    }

    @TearDown(Level.Iteration)
    public void measureAfter() {
        long with = usedAfterGc();
        api.close();
        long retained = with - usedAfterGc();
        System.out.printf("%n[InformerScaleBenchmark] heap retained by the synced caches: %.1f MiB, %d bytes per object "
                + "(%d Secrets + %d Pods)%n", retained / 1048576.0, retained / (SECRETS + PODS), SECRETS, PODS);
        api = null;
    }

    @TearDown(Level.Trial)
    public void stop() {
        admin.close();
        try {
            server.destroy();
        } catch (IllegalStateException e) {
            // The mock server sometimes times out closing its event loop after a big run; nothing is measured here.
            System.out.println("[InformerScaleBenchmark] closing the mock server: " + e.getMessage());
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
