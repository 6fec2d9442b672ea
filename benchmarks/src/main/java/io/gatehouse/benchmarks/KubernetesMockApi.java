package io.gatehouse.benchmarks;

import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.function.BooleanSupplier;

/** fabric8's mock API server (CRUD, TLS) for the Kubernetes benchmarks, and a bounded wait. */
final class KubernetesMockApi {

    private KubernetesMockApi() {
    }

    static KubernetesMockServer start() {
        KubernetesMockServer server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
                new KubernetesCrudDispatcher(), true);
        server.init(InetAddress.getLoopbackAddress(), 0);
        return server;
    }

    /** Polls until {@code condition} holds; fails after 120 s. */
    static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("not within 120 s: " + what);
            }
            Thread.sleep(5);
        }
    }
}
