package io.gatehouse.kubernetes;

import io.fabric8.kubernetes.client.NamespacedKubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.function.BooleanSupplier;

/**
 * fabric8's mock API server in CRUD mode over TLS: objects created through it are stored, listed and watched as
 * by a real API server, so informers run against it unchanged.
 */
final class MockApiServer implements AutoCloseable {

    private final KubernetesMockServer server;
    private final MockWebServer web;

    private MockApiServer(KubernetesMockServer server, MockWebServer web) {
        this.server = server;
        this.web = web;
    }

    /** A server on a free port. */
    static MockApiServer start() {
        return start(freePort());
    }

    /** A server on {@code port}, e.g. one a client was pointed at while nothing listened there. */
    static MockApiServer start(int port) {
        MockWebServer web = new MockWebServer();
        KubernetesMockServer server = new KubernetesMockServer(new Context(), web, new HashMap<>(),
                new KubernetesCrudDispatcher(), true);
        server.init(InetAddress.getLoopbackAddress(), port);
        return new MockApiServer(server, web);
    }

    /** A port nothing listens on at the moment. */
    static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A new client of this server (trusting its self-signed certificate); the caller closes it. */
    NamespacedKubernetesClient newClient() {
        return server.createClient();
    }

    /** Writes a kubeconfig for this server, verifying its certificate, into {@code dir}; returns its path. */
    Path kubeconfig(Path dir) {
        try {
            return Files.writeString(dir.resolve("api-" + port() + ".kubeconfig"), "apiVersion: v1\nkind: Config\n"
                    + "clusters:\n- name: api\n  cluster:\n    server: https://localhost:" + port()
                    + "\n    certificate-authority: " + web.getSelfSignedCertificate().certificatePath() + "\n"
                    + "users:\n- name: reader\n  user:\n    token: reader-token\n"
                    + "contexts:\n- name: api\n  context:\n    cluster: api\n    user: reader\ncurrent-context: api\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    int port() {
        return server.getPort();
    }

    KubernetesMockServer server() {
        return server;
    }

    @Override
    public void close() {
        try {
            server.destroy();
        } catch (IllegalStateException e) {
            // Vert.x sometimes times out closing its event loop on a loaded machine; no test asserts on shutdown.
            System.out.println("[MockApiServer] closing the mock API server: " + e.getMessage());
        }
    }

    /**
     * Polls {@code condition} until it holds and returns how long that took; fails after 30 s. Informers are
     * asynchronous: this is how a test waits for a change to arrive, never a timing assertion.
     */
    static Duration await(String what, BooleanSupplier condition) {
        Instant start = Instant.now();
        Instant deadline = start.plusSeconds(30);
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("not within 30 s: " + what);
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for: " + what, e);
            }
        }
        return Duration.between(start, Instant.now());
    }
}
