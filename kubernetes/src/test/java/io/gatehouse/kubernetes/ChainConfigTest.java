package io.gatehouse.kubernetes;

import static io.gatehouse.kubernetes.MockApiServer.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.gatehouse.bootstrap.BootstrapTokenGenerator;
import io.gatehouse.bootstrap.GeneratedBootstrapToken;
import io.gatehouse.core.AuthenticationChain;
import io.gatehouse.core.AuthenticationRequest;
import io.gatehouse.core.ChainConfigLoader;
import io.gatehouse.core.ConfigurationException;
import io.gatehouse.core.AuthenticationResult.Rejected;
import io.gatehouse.serviceaccount.BoundObjectReference;
import io.gatehouse.serviceaccount.TokenRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code kubeconfig} and {@code serviceAccountLookup} settings of the {@code bootstrap-token} and
 * {@code service-account} configuration entries, found through {@link java.util.ServiceLoader}.
 */
class ChainConfigTest {

    @TempDir
    Path dir;

    private Path config(String yaml) throws Exception {
        return Files.writeString(dir.resolve("gatehouse.yaml"), yaml);
    }

    private static String pem(byte[] der) {
        return "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(der) + "\n-----END PUBLIC KEY-----\n";
    }

    @Test
    void entriesNamingOneKubeconfigReadThatApi() throws Exception {
        try (MockApiServer server = MockApiServer.start(); KubernetesClient admin = server.newClient()) {
            Path kubeconfig = server.kubeconfig(dir);
            Files.writeString(dir.resolve("sa.pub"), pem(ApiObjects.KEYS.getPublic().getEncoded()));
            GeneratedBootstrapToken t = BootstrapTokenGenerator.builder().build().generate();
            ApiObjects.bootstrapSecret(admin, t.secret());
            String uid = ApiObjects.serviceAccount(admin, "apps", "web").getMetadata().getUid();
            String podUid = ApiObjects.pod(admin, "apps", "web-1").getMetadata().getUid();
            String bound = ApiObjects.TOKENS.issue(TokenRequest.forServiceAccount("apps", "web", uid)
                    .boundTo(BoundObjectReference.pod("web-1", podUid))).token();

            Path file = config("apiAudiences: [" + ApiObjects.ISSUER + "]\n"
                    + "authenticators:\n"
                    + "  - type: bootstrap-token\n"
                    + "    kubeconfig: " + kubeconfig.getFileName() + "\n"
                    + "  - type: service-account\n"
                    + "    keyFiles: [sa.pub]\n"
                    + "    issuers: [" + ApiObjects.ISSUER + "]\n"
                    + "    kubeconfig: " + kubeconfig.getFileName() + "\n");
            try (AuthenticationChain loaded = ChainConfigLoader.create().load(file)) {
                await("bootstrap token from the API authenticates",
                        () -> loaded.authenticate(AuthenticationRequest.bearer(t.token())).isAuthenticated());
                assertTrue(loaded.authenticate(AuthenticationRequest.bearer(bound)).isAuthenticated());
                assertEquals(1, KubernetesApiSources.openApis(), "both entries share one API");
            }
            assertEquals(0, KubernetesApiSources.openApis(), "closing the chain closed the API");
            // The chain is closed, and with it the shared API; a new load opens a new one and sees the change.
            admin.pods().inNamespace("apps").withName("web-1").delete();
            try (AuthenticationChain loaded = ChainConfigLoader.create().load(file)) {
                await("deleted Pod is seen", () -> loaded.authenticate(AuthenticationRequest.bearer(bound)) instanceof Rejected r
                        && r.toString().contains("service account token has been invalidated"));
            }
        }
    }

    @Test
    void lookupWithoutAnApiIsAConfigurationError() throws Exception {
        Files.writeString(dir.resolve("sa.pub"), pem(ApiObjects.KEYS.getPublic().getEncoded()));
        Path file = config("authenticators:\n"
                + "  - type: service-account\n"
                + "    keyFiles: [sa.pub]\n"
                + "    issuers: [" + ApiObjects.ISSUER + "]\n"
                + "    serviceAccountLookup: true\n");
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> ChainConfigLoader.create().load(file));
        assertEquals("serviceAccountLookup", e.setting());
        assertTrue(e.getMessage().contains("true needs kubeconfig"), e.getMessage());
    }
}
