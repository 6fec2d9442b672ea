package io.gatehouse.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gatehouse.core.AuthenticationResult.Authenticated;
import io.gatehouse.core.testing.RecordingListener;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The YAML chain file and ServiceLoader discovery: errors name file, entry and setting; nothing half-built. */
class ChainConfigLoaderTest {

    @TempDir
    Path dir;

    private URLClassLoader providers;

    /** A child class loader that alone registers the test providers (and one that cannot load). */
    @BeforeEach
    void registerProviders() throws IOException {
        Path services = dir.resolve("cp/META-INF/services");
        Files.createDirectories(services);
        Files.writeString(services.resolve("io.gatehouse.core.spi.AuthenticatorProvider"), String.join("\n",
                ConfigTestProviders.Fixed.class.getName(),
                ConfigTestProviders.Broken.class.getName(),
                ConfigTestProviders.Picky.class.getName(),
                "io.gatehouse.core.NoSuchProvider", ""));
        providers = new URLClassLoader(new URL[] {dir.resolve("cp").toUri().toURL()}, getClass().getClassLoader());
    }

    private ChainConfigLoader loader() {
        return ChainConfigLoader.create().classLoader(providers).listener(new RecordingListener());
    }

    private Path config(String yaml) throws IOException {
        Path f = dir.resolve("gatehouse.yaml");
        Files.writeString(f, yaml);
        return f;
    }

    @Test
    void loadsTheChainInOrderWithTopLevelSettings() throws IOException {
        Path f = config("""
                apiAudiences: [api]
                anonymous: true
                tokenCache: {successTtl: 1m30s, failureTtl: 0, maximumSize: 5}
                authenticators:
                  - type: fixed
                    token: t1
                    user: first
                  - type: fixed
                    name: second-fixed
                    token: t1
                    user: second
                """);
        try (AuthenticationChain chain = loader().load(f)) {
            Authenticated a = assertInstanceOf(Authenticated.class, chain.authenticate(AuthenticationRequest.bearer("t1")));
            assertEquals("first", a.user().name());
            assertEquals(List.of("api"), a.audiences());
            assertEquals("system:anonymous",
                    ((Authenticated) chain.authenticate(AuthenticationRequest.builder().build())).user().name());
            assertEquals(List.of("fixed", "second-fixed"),
                    chain.explain(AuthenticationRequest.bearer("t1")).verdicts().stream().map(Explanation.Verdict::authenticator).toList());
        }
    }

    @Test
    void theDefaultClassLoaderDoesNotSeeProvidersOfAChildLoader() throws IOException {
        Path f = config("authenticators:\n  - type: fixed\n    token: t\n");
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> ChainConfigLoader.create().load(f));
        assertEquals("type", e.setting());
        assertTrue(e.getMessage().contains("no authenticator provider of type 'fixed'"), e.getMessage());
        try (AuthenticationChain chain = loader().load(f)) {
            assertInstanceOf(Authenticated.class, chain.authenticate(AuthenticationRequest.bearer("t")));
        }
    }

    @Test
    void missingBuiltInTypeNamesTheArtifactToAdd() throws IOException {
        Path f = config("authenticators:\n  - type: x509\n    clientCaFile: ca.pem\n");
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> loader().load(f));
        assertEquals("authenticators[0] (x509)", e.entry());
        assertTrue(e.getMessage().contains("add io.gatehouse:gatehouse-x509"), e.getMessage());
        assertTrue(e.getMessage().contains("io.gatehouse.core.NoSuchProvider"),
                "a provider that failed to load is reported: " + e.getMessage());
    }

    @Test
    void aBrokenProviderIsIsolatedFromTheOthers() throws IOException {
        Path f = config("authenticators:\n  - type: fixed\n    token: t\n");
        try (AuthenticationChain chain = loader().load(f)) {
            assertInstanceOf(Authenticated.class, chain.authenticate(AuthenticationRequest.bearer("t")));
        }
        Path g = config("authenticators:\n  - type: broken\n");
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> loader().load(g));
        assertEquals("authenticators[0] (broken)", e.entry());
        assertTrue(e.getMessage().contains("failed: IllegalStateException"), e.getMessage());
    }

    @Test
    void providerErrorsNameTheSetting() throws IOException {
        Path f = config("authenticators:\n  - type: picky\n    level: 9\n");
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> loader().load(f));
        assertEquals(f.toString() + ": authenticators[0] (picky): setting 'level': must be at most 3", e.getMessage());
    }

    @Test
    void unknownSettingsAreErrors() throws IOException {
        ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> loader().load(config("authenticators:\n  - type: picky\n    levle: 2\n")));
        assertEquals("levle", e.setting());
        e = assertThrows(ConfigurationException.class, () -> loader().load(config("authenticator: []\n")));
        assertEquals("authenticator", e.setting());
        e = assertThrows(ConfigurationException.class,
                () -> loader().load(config("tokenCache: {ttl: 1s}\nauthenticators: []\n")));
        assertEquals("ttl", e.setting());
    }

    @Test
    void typedSettingsAreChecked() throws IOException {
        ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> loader().load(config("anonymous: yes please\nauthenticators: []\n")));
        assertEquals("anonymous", e.setting());
        e = assertThrows(ConfigurationException.class,
                () -> loader().load(config("tokenCache: {successTtl: ten}\nauthenticators: []\n")));
        assertEquals("successTtl", e.setting());
        e = assertThrows(ConfigurationException.class,
                () -> loader().load(config("authenticators:\n  - type: picky\n    level: high\n")));
        assertEquals("level", e.setting());
        e = assertThrows(ConfigurationException.class, () -> loader().load(config("authenticators:\n  - level: 1\n")));
        assertEquals("type", e.setting());
        // A YAML key that is not a string (found by HostileConfigPropertiesTest: it was a ClassCastException).
        e = assertThrows(ConfigurationException.class,
                () -> loader().load(config("tokenCache: {1: x}\nauthenticators: []\n")));
        assertEquals("1", e.setting());
        assertTrue(e.getMessage().contains("a setting name must be a string"), e.getMessage());
        e = assertThrows(ConfigurationException.class,
                () -> loader().load(config("authenticators:\n  - type: picky\n    2: high\n")));
        assertEquals("2", e.setting());
        e = assertThrows(ConfigurationException.class, () -> loader().load(config("authenticators:\n  - just a string\n")));
        assertEquals("authenticators[1]".replace("1", "0"), e.entry());
        e = assertThrows(ConfigurationException.class, () -> loader().load(config("authenticators: {type: fixed}\n")));
        assertEquals("authenticators", e.setting());
    }

    @Test
    void duplicateNamesAreErrors() throws IOException {
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> loader().load(config("""
                authenticators:
                  - {type: fixed, token: a}
                  - {type: fixed, token: b}
                """)));
        assertEquals("authenticators[1] (fixed)", e.entry());
        assertEquals("name", e.setting());
    }

    @Test
    void nothingIsLeftHalfBuilt() throws IOException {
        int before = ConfigTestProviders.CLOSED.get();
        assertThrows(ConfigurationException.class, () -> loader().load(config("""
                authenticators:
                  - {type: fixed, token: a}
                  - {type: picky, level: 7}
                """)));
        assertEquals(before + 1, ConfigTestProviders.CLOSED.get(), "the first entry's authenticator was closed");
    }

    @Test
    void emptyAndNonMapDocumentsAreErrors() throws IOException {
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> loader().load(config("")));
        assertTrue(e.getMessage().contains("empty"), e.getMessage());
        e = assertThrows(ConfigurationException.class, () -> loader().load(config("- a\n- b\n")));
        assertTrue(e.getMessage().contains("must be a map"), e.getMessage());
        e = assertThrows(ConfigurationException.class, () -> loader().load(config("authenticators: [\n")));
        assertTrue(e.getMessage().contains("not valid YAML"), e.getMessage());
        assertNull(e.setting());
        e = assertThrows(ConfigurationException.class, () -> loader().load(dir.resolve("absent.yaml")));
        assertTrue(e.getMessage().contains("cannot read"), e.getMessage());
    }

    @Test
    void aChainWithNothingInItIsAnError() throws IOException {
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> loader().load(config("authenticators: []\n")));
        assertEquals("authenticators", e.setting());
        assertTrue(e.getMessage().contains("the chain has no authenticator"), e.getMessage());
    }
}
