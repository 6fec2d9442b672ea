package io.gatehouse.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gatehouse.core.AuthenticationChain;
import io.gatehouse.core.AuthenticationListener;
import io.gatehouse.core.AuthenticationRequest;
import io.gatehouse.core.AuthenticationResult.Authenticated;
import io.gatehouse.core.AuthenticationResult.Rejected;
import io.gatehouse.core.ChainConfigLoader;
import io.gatehouse.core.ConfigurationException;
import io.gatehouse.core.spi.AuthenticatorProvider;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ServiceLoader registration as {@code webhook}, the YAML chain entry end to end, and the module descriptor. */
class ProviderTest {

    @TempDir
    Path dir;
    private ReviewServer server;

    @BeforeEach
    void start() throws Exception {
        server = Fixture.server();
        server.script(r -> r.body().get("spec").get("token").asText().equals("remote-only")
                ? Fixture.review("v1", "{\"authenticated\":true,\"user\":{\"username\":\"jane\",\"groups\":[\"dev\"]},"
                        + "\"audiences\":[\"https://kubernetes.default.svc\"]}")
                : Fixture.review("v1", "{\"authenticated\":false}"));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void serviceLoaderFindsTheWebhookType() {
        List<String> types = ServiceLoader.load(AuthenticatorProvider.class).stream().map(p -> p.get().type()).toList();
        assertTrue(types.contains("webhook"), types.toString());
    }

    @Test
    void aYamlChainAsksTheWebhook() throws Exception {
        Files.copy(Fixture.kubeconfig(server, dir), dir.resolve("webhook.kubeconfig"));
        Path chainFile = dir.resolve("chain.yaml");
        Files.writeString(chainFile, """
                apiAudiences: [https://kubernetes.default.svc]
                authenticators:
                  - type: webhook
                    configFile: webhook.kubeconfig
                    version: v1
                    cacheTtl: 1m
                    retryBackoff: {duration: 1ms, factor: 2, jitter: 0, steps: 2}
                    timeout: 10s
                    apiAudiences: [https://kubernetes.default.svc]
                    maxInFlight: 8
                """);
        try (AuthenticationChain chain = ChainConfigLoader.create().listener(AuthenticationListener.NONE).load(chainFile)) {
            Authenticated a = assertInstanceOf(Authenticated.class, chain.authenticate(AuthenticationRequest.bearer("remote-only")));
            assertEquals("jane", a.user().name());
            assertEquals(List.of("dev", "system:authenticated"), a.user().groups());
            assertEquals(List.of("https://kubernetes.default.svc"), a.audiences());
            Rejected r = assertInstanceOf(Rejected.class, chain.authenticate(AuthenticationRequest.bearer("unknown")));
            assertEquals("invalid bearer token", r.message());
            assertEquals(List.of("https://kubernetes.default.svc"),
                    ReviewServer.JSON.convertValue(server.received().get(0).body().get("spec").get("audiences"), List.class),
                    "a request without audiences is reviewed for the API audiences");
        }
    }

    @Test
    void settingErrorsNameFileEntryAndSetting() throws Exception {
        Files.copy(Fixture.kubeconfig(server, dir), dir.resolve("webhook.kubeconfig"));
        Path chainFile = dir.resolve("chain.yaml");
        Files.writeString(chainFile, "authenticators:\n  - type: webhook\n    configFile: webhook.kubeconfig\n    version: v2\n");
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> ChainConfigLoader.create().load(chainFile));
        assertEquals(chainFile + ": authenticators[0] (webhook): setting 'version': unsupported authentication webhook "
                + "version \"v2\", supported versions are \"v1\", \"v1beta1\"", e.getMessage());

        Files.writeString(chainFile, "authenticators:\n  - type: webhook\n    configFile: webhook.kubeconfig\n"
                + "    retryBackoff: {steps: 0}\n");
        assertEquals(chainFile + ": authenticators[0] (webhook): setting 'retryBackoff': number of webhook retry attempts "
                + "must be greater than 0, but is: 0",
                assertThrows(ConfigurationException.class, () -> ChainConfigLoader.create().load(chainFile)).getMessage());

        Files.writeString(chainFile, "authenticators:\n  - type: webhook\n    configFile: nope.kubeconfig\n");
        ConfigurationException missing = assertThrows(ConfigurationException.class, () -> ChainConfigLoader.create().load(chainFile));
        assertEquals("configFile", missing.setting());

        Files.writeString(chainFile, "authenticators:\n  - type: webhook\n    configFile: webhook.kubeconfig\n    cacheTTL: 1m\n");
        assertEquals("cacheTTL", assertThrows(ConfigurationException.class, () -> ChainConfigLoader.create().load(chainFile)).setting());
    }

    @Test
    void moduleExportsOnlyTheApiAndProvidesTheProvider() throws Exception {
        Path classes = Path.of(WebhookTokenAuthenticator.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        ModuleDescriptor d;
        try (InputStream in = Files.newInputStream(classes.resolve("module-info.class"))) {
            d = ModuleDescriptor.read(in);
        }
        assertEquals("io.gatehouse.webhook", d.name());
        assertEquals(Set.of("io.gatehouse.webhook"), d.exports().stream().map(ModuleDescriptor.Exports::source).collect(Collectors.toSet()));
        assertEquals(List.of(WebhookAuthenticatorProvider.class.getName()),
                d.provides().stream().filter(p -> p.service().equals(AuthenticatorProvider.class.getName()))
                        .findFirst().orElseThrow().providers());
    }
}
