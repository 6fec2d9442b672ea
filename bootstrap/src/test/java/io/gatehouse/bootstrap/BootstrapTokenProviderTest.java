package io.gatehouse.bootstrap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gatehouse.core.AuthenticationChain;
import io.gatehouse.core.AuthenticationListener;
import io.gatehouse.core.AuthenticationRequest;
import io.gatehouse.core.AuthenticationResult.Abstained;
import io.gatehouse.core.AuthenticationResult.Authenticated;
import io.gatehouse.core.AuthenticationResult.Rejected;
import io.gatehouse.core.ChainConfigLoader;
import io.gatehouse.core.ConfigurationException;
import io.gatehouse.core.RejectionReason;
import io.gatehouse.core.spi.AuthenticatorProvider;
import io.gatehouse.core.spi.ChainMember;
import io.gatehouse.core.spi.ProviderContext;
import io.gatehouse.core.spi.ProviderSettings;
import io.gatehouse.core.testing.LogCapture;
import io.gatehouse.core.testing.MutableClock;
import io.gatehouse.core.testing.RecordingListener;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code bootstrap-token} type: ServiceLoader registration, settings, and a chain built from a config file. */
class BootstrapTokenProviderTest {

    @TempDir
    Path dir;

    private final MutableClock clock = MutableClock.atDefaultStart();

    @Test
    void isFoundThroughServiceLoader() {
        List<String> types = ServiceLoader.load(AuthenticatorProvider.class).stream()
                .map(p -> p.get().type()).toList();
        assertTrue(types.contains("bootstrap-token"), types.toString());
    }

    @Test
    void isFoundFromASeparateClassLoader() throws Exception {
        URL[] urls = {location(AuthenticatorProvider.class), location(BootstrapTokenProvider.class),
                location(org.slf4j.Logger.class)};
        try (URLClassLoader loader = new URLClassLoader(urls, ClassLoader.getPlatformClassLoader())) {
            Class<?> spi = loader.loadClass(AuthenticatorProvider.class.getName());
            List<String> types = StreamSupport.stream(ServiceLoader.load(spi, loader).spliterator(), false)
                    .map(p -> p.getClass().getName()).toList();
            assertEquals(List.of(BootstrapTokenProvider.class.getName()), types);
        }
    }

    private static URL location(Class<?> type) {
        return type.getProtectionDomain().getCodeSource().getLocation();
    }

    @Test
    void buildsAnAuthenticatorOverTheSecretsDirectory() throws IOException {
        Files.createDirectories(dir.resolve("tokens"));
        GeneratedBootstrapToken t = BootstrapTokenGenerator.builder().clock(clock).build().generate();
        LogCapture.secret(t.token());
        Files.writeString(dir.resolve("tokens").resolve("t.yaml"), SecretManifests.write(t.secret()));
        RecordingListener listener = new RecordingListener();
        ProviderSettings settings = ProviderSettings.of("auth.yaml", "authenticators[0] (bootstrap-token)", dir,
                Map.of("secretsDirectory", "tokens"));
        ChainMember member = new BootstrapTokenProvider().create(settings,
                new ProviderContext(clock, listener, dir, Duration.ZERO));
        BootstrapTokenAuthenticator authenticator = (BootstrapTokenAuthenticator)
                assertInstanceOf(ChainMember.Token.class, member).authenticator();
        try (authenticator) {
            assertTrue(settings.unread().isEmpty());
            assertInstanceOf(Authenticated.class, authenticator.authenticate(t.token(), List.of()));
            clock.advance(Duration.ofDays(1));
            assertEquals(RejectionReason.EXPIRED,
                    ((Rejected) authenticator.authenticate(t.token(), List.of())).reason(), "the context's clock");
            assertEquals(List.of("reloaded " + dir.resolve("tokens") + " 1 bootstrap token Secrets from 1 files"),
                    listener.events());
        }
    }

    @Test
    void secretsDirectoryIsRequiredAndMustBeADirectory() throws IOException {
        ProviderContext context = new ProviderContext(clock, AuthenticationListener.NONE, dir, Duration.ZERO);
        ConfigurationException missing = assertThrows(ConfigurationException.class, () -> new BootstrapTokenProvider()
                .create(ProviderSettings.of("auth.yaml", "authenticators[0] (bootstrap-token)", dir, Map.of()), context));
        assertEquals("auth.yaml: authenticators[0] (bootstrap-token): setting 'secretsDirectory': is required",
                missing.getMessage());
        Files.writeString(dir.resolve("file.yaml"), "");
        ConfigurationException notDir = assertThrows(ConfigurationException.class, () -> new BootstrapTokenProvider()
                .create(ProviderSettings.of("auth.yaml", "authenticators[0] (bootstrap-token)", dir,
                        Map.of("secretsDirectory", "file.yaml")), context));
        assertEquals("auth.yaml: authenticators[0] (bootstrap-token): setting 'secretsDirectory': is not a directory: "
                + dir.resolve("file.yaml"), notDir.getMessage());
        ConfigurationException absent = assertThrows(ConfigurationException.class, () -> new BootstrapTokenProvider()
                .create(ProviderSettings.of("auth.yaml", "authenticators[0] (bootstrap-token)", dir,
                        Map.of("secretsDirectory", "nope")), context));
        assertEquals("secretsDirectory", absent.setting());
    }

    @Test
    void worksInAChainLoadedFromAConfigFile() throws IOException {
        Path tokens = Files.createDirectories(dir.resolve("tokens"));
        Path config = dir.resolve("auth.yaml");
        Files.writeString(config, "apiAudiences: [https://kubernetes.default.svc]\n"
                + "reloadInterval: 0s\n"
                + "authenticators:\n"
                + "  - type: bootstrap-token\n"
                + "    secretsDirectory: tokens\n");
        try (AuthenticationChain chain = ChainConfigLoader.create().clock(clock).listener(AuthenticationListener.NONE)
                .load(config)) {
            GeneratedBootstrapToken t = BootstrapTokenGenerator.builder().clock(clock).build().generate();
            LogCapture.secret(t.token());
            Files.writeString(tokens.resolve("t.yaml"), SecretManifests.write(t.secret()));
            // reloadInterval 0s: the directory was read once, when the chain was built.
            assertInstanceOf(Rejected.class, chain.authenticate(AuthenticationRequest.bearer(t.token())));
        }
        GeneratedBootstrapToken t = BootstrapTokenGenerator.builder().clock(clock).build().generate();
        LogCapture.secret(t.token());
        Files.writeString(tokens.resolve("u.yaml"), SecretManifests.write(t.secret()));
        try (AuthenticationChain chain = ChainConfigLoader.create().clock(clock).listener(AuthenticationListener.NONE)
                .load(config)) {
            Authenticated ok = assertInstanceOf(Authenticated.class,
                    chain.authenticate(AuthenticationRequest.bearer(t.token())));
            assertEquals("system:bootstrap:" + t.id(), ok.user().name());
            assertTrue(ok.user().groups().containsAll(List.of("system:bootstrappers",
                    "system:bootstrappers:kubeadm:default-node-token", "system:authenticated")), ok.user().groups().toString());
            assertEquals(List.of("https://kubernetes.default.svc"), ok.audiences(), "scoped to the API audiences");
            assertInstanceOf(Abstained.class, chain.authenticate(AuthenticationRequest.builder().build()));
        }
    }

    @Test
    void unknownSettingsAreReported() throws IOException {
        Files.createDirectories(dir.resolve("tokens"));
        Path config = dir.resolve("auth.yaml");
        Files.writeString(config, "authenticators:\n  - type: bootstrap-token\n    secretsDirectory: tokens\n"
                + "    secretDirectory: typo\n");
        ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> ChainConfigLoader.create().load(config));
        assertEquals("secretDirectory", e.setting());
    }
}
