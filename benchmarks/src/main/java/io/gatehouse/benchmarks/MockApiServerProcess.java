package io.gatehouse.benchmarks;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

/**
 * fabric8's mock API server (CRUD, TLS) in a process of its own, filled with {@code SECRETS} legacy-token Secrets and
 * {@code PODS} Pods across 100 namespaces, for {@link InformerScaleBenchmark}: with the server out of the measured
 * JVM, that JVM's heap holds only the client and its informer caches. Prints {@code ready <master URL>} once filled
 * and stops when its standard input closes (its parent exited).
 */
public final class MockApiServerProcess {

    private MockApiServerProcess() {
    }

    public static void main(String[] args) throws IOException {
        int secrets = Integer.parseInt(args[0]);
        int pods = Integer.parseInt(args[1]);
        KubernetesMockServer server = KubernetesMockApi.start();
        try (KubernetesClient admin = server.createClient()) {
            fill(admin, secrets, pods);
            System.out.println("ready " + admin.getConfiguration().getMasterUrl());
            System.out.flush();
            while (System.in.read() >= 0) {
                // wait for the parent to go away
            }
        }
        System.exit(0);
    }

    static void fill(KubernetesClient admin, int secrets, int pods) {
        String token = Base64.getEncoder().encodeToString(("eyJhbGciOiJSUzI1NiJ9." + "x".repeat(600) + ".sig")
                .getBytes(StandardCharsets.US_ASCII));
        for (int i = 0; i < secrets; i++) {
            String ns = "ns-" + (i % 100);
            Secret s = new SecretBuilder().withNewMetadata().withNamespace(ns).withName("sa-" + i + "-token")
                    .withAnnotations(Map.of("kubernetes.io/service-account.name", "sa-" + i)).endMetadata()
                    .withType("kubernetes.io/service-account-token")
                    .withData(Map.of("token", token, "namespace", Base64.getEncoder().encodeToString(ns.getBytes(
                            StandardCharsets.US_ASCII)), "ca.crt", Base64.getEncoder().encodeToString(new byte[1100])))
                    .build();
            admin.secrets().inNamespace(ns).resource(s).create();
        }
        for (int i = 0; i < pods; i++) {
            String ns = "ns-" + (i % 100);
            Pod p = new PodBuilder().withNewMetadata().withNamespace(ns).withName("web-" + i)
                    .withLabels(Map.of("app", "web", "pod-template-hash", "7d9f8c6b5")).endMetadata()
                    .withNewSpec().withNodeName("node-" + (i % 50)).withServiceAccountName("web")
                    .addNewContainer().withName("web").withImage("registry.example/web:1.2.3")
                    .addToArgs("--port=8080", "--log-level=info").endContainer().endSpec().build();
            admin.pods().inNamespace(ns).resource(p).create();
        }
    }
}
