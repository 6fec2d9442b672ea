package io.gatehouse.kubernetes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gatehouse.core.ConfigurationException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The builder's rules: one connection source, readable kubeconfigs, and errors that never quote a credential. */
class KubernetesApiBuilderTest {

    @TempDir
    Path dir;

    @Test
    void exactlyOneConnectionSource() {
        assertTrue(assertThrows(IllegalStateException.class, () -> KubernetesApi.builder().build()).getMessage()
                .startsWith("choose exactly one of kubeconfig(file), autoConfigured() or client(ready); 0 were chosen"));
        assertTrue(assertThrows(IllegalStateException.class, () -> KubernetesApi.builder().autoConfigured()
                .kubeconfig(dir.resolve("x")).build()).getMessage().endsWith("2 were chosen"));
        assertThrows(IllegalArgumentException.class, () -> KubernetesApi.builder().staleAfter(Duration.ZERO));
    }

    @Test
    void aMissingKubeconfigNamesTheFile() {
        Path missing = dir.resolve("missing.kubeconfig");
        ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> KubernetesApi.builder().kubeconfig(missing).build());
        assertEquals(missing.toString(), e.source());
        assertTrue(e.getMessage().contains("cannot read the kubeconfig file"), e.getMessage());
    }

    @Test
    void aBrokenKubeconfigNeverQuotesItsContent() throws Exception {
        Path broken = Files.writeString(dir.resolve("broken.kubeconfig"),
                "users: [ {name: u, user: {token: s3cr3t-t0ken-value}\nclusters: ::: [\n");
        ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> KubernetesApi.builder().kubeconfig(broken).build());
        assertEquals(broken.toString(), e.source());
        assertFalse(e.getMessage().contains("s3cr3t"), e.getMessage());
    }

    @Test
    void healthIsReadyWhenNothingIsWatchedYet() throws Exception {
        Path kubeconfig = Files.writeString(dir.resolve("none.kubeconfig"), String.join("\n",
                "apiVersion: v1", "kind: Config",
                "clusters:", "- name: none", "  cluster:", "    server: https://127.0.0.1:9",
                "users:", "- name: u", "  user:", "    token: t",
                "contexts:", "- name: c", "  context:", "    cluster: none", "    user: u",
                "current-context: c", ""));
        try (KubernetesApi api = KubernetesApi.builder().kubeconfig(kubeconfig).build()) {
            assertEquals(new KubernetesApiHealth(true, List.of()), api.health());
            assertEquals("https://127.0.0.1:9/", api.masterUrl());
        }
    }
}
