package io.gatehouse.examples.adversarial;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gatehouse.bootstrap.BootstrapTokenDirectory;
import io.gatehouse.bootstrap.BootstrapTokenGenerator;
import io.gatehouse.bootstrap.GeneratedBootstrapToken;
import io.gatehouse.core.ConfigurationException;
import io.gatehouse.core.testing.LogCapture;
import io.gatehouse.core.testing.RecordingListener;
import io.gatehouse.oidc.AuthenticationConfiguration;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The configuration bugs the hostile-config property found, pinned as plain examples. */
class ConfigRegressionTest {

    @TempDir
    Path dir;

    /** Was a NullPointerException from {@code Set.of(...).contains(null)}. */
    @ParameterizedTest
    @ValueSource(strings = {"", "{}", "kind: AuthenticationConfiguration\njwt: []\n", "apiVersion: null\n"})
    void anAuthenticationConfigurationWithoutApiVersionIsAConfigurationError(String yaml) {
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> AuthenticationConfiguration.parse(yaml, "auth.yaml"));
        assertTrue(e.getMessage().contains("apiVersion"), e::getMessage);
    }

    /** Was a valid, empty version of the file: the Secret it held vanished until a good version came back. */
    @ParameterizedTest
    @ValueSource(strings = {"{\"apiVersion\": 7}", "{}", "metadata: {name: x}\n", "apiVersion: v1\nkind: [Secret]\n"})
    void aManifestWithoutApiVersionOrKindKeepsTheLastGoodSecret(String broken) throws Exception {
        GeneratedBootstrapToken t = BootstrapTokenGenerator.builder().build().generate();
        LogCapture.secret(t.secret().get("token-secret"));
        Path file = dir.resolve("token.yaml");
        FileReloadFaultTest.replace(file, "apiVersion: v1\nkind: Secret\nmetadata:\n  name: bootstrap-token-" + t.id()
                + "\n  namespace: kube-system\ntype: bootstrap.kubernetes.io/token\nstringData:\n  token-id: " + t.id()
                + "\n  token-secret: \"" + t.secret().get("token-secret") + "\"\n  usage-bootstrap-authentication: \"true\"\n");
        RecordingListener events = new RecordingListener();
        try (BootstrapTokenDirectory store = BootstrapTokenDirectory.builder(dir).reloadInterval(Duration.ZERO).listener(events).build()) {
            assertEquals(1, store.size());
            FileReloadFaultTest.replace(file, broken);
            store.reloadIfChanged();
            assertEquals(1, store.size(), events.events()::toString);
            assertTrue(store.find("bootstrap-token-" + t.id()).isPresent());
            assertFalse(events.eventsStartingWith("reloadFailed").isEmpty(), events.events()::toString);
        }
    }
}
