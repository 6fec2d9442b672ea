package io.gatehouse.statictoken;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gatehouse.core.AuthenticationChain;
import io.gatehouse.core.AuthenticationRequest;
import io.gatehouse.core.AuthenticationResult.Authenticated;
import io.gatehouse.core.AuthenticationResult.Rejected;
import io.gatehouse.core.ChainConfigLoader;
import io.gatehouse.core.ConfigurationException;
import io.gatehouse.core.RejectionReason;
import io.gatehouse.core.testing.LogCapture;
import io.gatehouse.core.testing.RecordingListener;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ServiceLoader path: a YAML file names {@code static-token}, and a bearer token becomes a user. */
class ConfigFileTest {

    @TempDir
    Path dir;

    @Test
    void yamlFileToAuthenticatedUser() throws IOException {
        LogCapture.secret("config-token-31415");
        Files.writeString(dir.resolve("tokens.csv"), "config-token-31415,alice,1001,\"dev,ops\"\n");
        Path config = dir.resolve("gatehouse.yaml");
        Files.writeString(config, """
                apiAudiences: [https://kubernetes.default.svc]
                tokenCache: {successTtl: 10s, failureTtl: 0s, maximumSize: 100}
                authenticators:
                  - type: static-token
                    file: tokens.csv
                """);
        try (AuthenticationChain chain = ChainConfigLoader.create().listener(new RecordingListener()).load(config)) {
            Authenticated a = assertInstanceOf(Authenticated.class,
                    chain.authenticate(AuthenticationRequest.bearer("config-token-31415")));
            assertEquals("alice", a.user().name());
            assertEquals("1001", a.user().uid());
            assertEquals(List.of("dev", "ops", "system:authenticated"), a.user().groups());
            assertEquals(List.of("https://kubernetes.default.svc"), a.audiences());

            Rejected r = assertInstanceOf(Rejected.class, chain.authenticate(AuthenticationRequest.bearer("nope")));
            assertEquals(RejectionReason.UNRECOGNIZED_TOKEN, r.reason());
            assertEquals("invalid bearer token", r.message());
        }
    }

    @Test
    void unknownSettingNamesFileEntryAndSetting() throws IOException {
        Files.writeString(dir.resolve("tokens.csv"), "t,u,1\n");
        Path config = dir.resolve("gatehouse.yaml");
        Files.writeString(config, """
                authenticators:
                  - type: static-token
                    file: tokens.csv
                    fiel: typo.csv
                """);
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> ChainConfigLoader.create().load(config));
        assertEquals(config.toString(), e.source());
        assertEquals("authenticators[0] (static-token)", e.entry());
        assertEquals("fiel", e.setting());
        assertTrue(e.getMessage().contains("unknown setting"), e.getMessage());
    }

    @Test
    void missingTokenFileNamesTheSetting() throws IOException {
        Path config = dir.resolve("gatehouse.yaml");
        Files.writeString(config, "authenticators:\n  - type: static-token\n    file: absent.csv\n");
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> ChainConfigLoader.create().load(config));
        assertEquals("file", e.setting());
        assertTrue(e.getMessage().contains("no such file"), e.getMessage());
    }

    @Test
    void malformedTokenFileFailsTheLoadNamingTheCsvFile() throws IOException {
        Files.writeString(dir.resolve("tokens.csv"), "only-two,columns\n");
        Path config = dir.resolve("gatehouse.yaml");
        Files.writeString(config, "authenticators:\n  - type: static-token\n    file: tokens.csv\n");
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> ChainConfigLoader.create().load(config));
        assertTrue(e.getMessage().contains("tokens.csv"), e.getMessage());
        assertTrue(e.getMessage().contains("found 2"), e.getMessage());
        assertNull(e.setting());
    }
}
