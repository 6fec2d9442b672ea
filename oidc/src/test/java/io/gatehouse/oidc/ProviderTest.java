package io.gatehouse.oidc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gatehouse.core.AuthenticationListener;
import io.gatehouse.core.ConfigurationException;
import io.gatehouse.core.spi.AuthenticatorProvider;
import io.gatehouse.core.spi.ChainMember;
import io.gatehouse.core.spi.ProviderContext;
import io.gatehouse.core.spi.ProviderSettings;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ServiceLoader registration, the settings mapping and the module descriptor. */
class ProviderTest {

    @TempDir
    Path dir;

    ProviderContext context() {
        return new ProviderContext(Clock.systemUTC(), AuthenticationListener.NONE, dir, Duration.ZERO);
    }

    OidcAuthenticator create(Map<String, Object> values) {
        ProviderSettings s = ProviderSettings.of("chain.yaml", "authenticators[0] (oidc)", dir, values);
        ChainMember m = new OidcAuthenticatorProvider().create(s, context());
        assertEquals(Set.of(), s.unread());
        return (OidcAuthenticator) assertInstanceOf(ChainMember.Token.class, m).authenticator();
    }

    @Test
    void serviceLoaderFindsTheOidcType() {
        List<String> types = ServiceLoader.load(AuthenticatorProvider.class).stream().map(p -> p.get().type()).toList();
        assertTrue(types.contains("oidc"), types.toString());
    }

    @Test
    void legacyFlagsMapOntoAnIssuerWithKubernetesDefaults() {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("issuerUrl", "https://auth.example.com");
        v.put("clientId", "my-client");
        v.put("groupsClaim", "groups");
        v.put("requiredClaims", Map.of("hd", "example.com"));
        try (OidcAuthenticator a = create(v)) {
            assertEquals(List.of("https://auth.example.com"), a.issuerUrls());
            assertTrue(!a.isAudienceAware());
        }
        JwtIssuer flags = LegacyOidcFlags.builder().issuerUrl("https://auth.example.com").clientId("c").toIssuer();
        assertEquals("https://auth.example.com#", flags.usernamePrefix());
        assertEquals(List.of("RS256"), flags.signingAlgorithms());
        assertEquals("", LegacyOidcFlags.builder().issuerUrl("https://a.example.com").clientId("c").usernameClaim("email").toIssuer().usernamePrefix());
        assertEquals("", LegacyOidcFlags.builder().issuerUrl("https://a.example.com").clientId("c").usernamePrefix("-").toIssuer().usernamePrefix());
        assertEquals("x:", LegacyOidcFlags.builder().issuerUrl("https://a.example.com").clientId("c").usernamePrefix("x:").toIssuer().usernamePrefix());
    }

    @Test
    void configFileAndFlagsAreMutuallyExclusiveAndFlagsComeInPairs() throws Exception {
        Path file = authFile();
        try (OidcAuthenticator a = create(Map.of("authenticationConfig", file.toString()))) {
            assertEquals(List.of("https://auth.example.com"), a.issuerUrls());
        }
        ConfigurationException both = assertThrows(ConfigurationException.class,
                () -> create(Map.of("authenticationConfig", file.toString(), "clientId", "x")));
        assertTrue(both.getMessage().endsWith("authentication-config file and oidc-* flags are mutually exclusive"), both.getMessage());
        ConfigurationException half = assertThrows(ConfigurationException.class, () -> create(Map.of("issuerUrl", "https://a.example.com")));
        assertTrue(half.getMessage().endsWith("oidc-issuer-url and oidc-client-id must be specified together when any oidc-* flags are set"));
        ConfigurationException hs = assertThrows(ConfigurationException.class, () -> create(Map.of("issuerUrl", "https://a.example.com",
                "clientId", "c", "signingAlgs", List.of("HS256"))));
        assertTrue(hs.getMessage().endsWith("oidc: unsupported signing alg: \"HS256\""), hs.getMessage());
    }

    @Test
    void serviceAccountIssuersAreDisallowedAsJwtIssuers() throws Exception {
        Path file = authFile();
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> create(Map.of(
                "authenticationConfig", file.toString(),
                "disallowedIssuers", List.of("https://kubernetes.default.svc", "https://auth.example.com"))));
        assertTrue(e.getMessage().endsWith("jwt[0].issuer.url: Invalid value: \"https://auth.example.com\": URL must not "
                + "overlap with disallowed issuers: [https://auth.example.com https://kubernetes.default.svc]"), e.getMessage());
        assertTrue(e.getMessage().contains(file.toString()), "names the file: " + e.getMessage());
        try (OidcAuthenticator a = create(Map.of("authenticationConfig", file.toString(),
                "disallowedIssuers", List.of("https://kubernetes.default.svc")))) {
            assertEquals(List.of("https://auth.example.com"), a.issuerUrls());
        }
    }

    private Path authFile() throws java.io.IOException {
        return Files.writeString(dir.resolve("auth.yaml"), """
                apiVersion: apiserver.config.k8s.io/v1
                kind: AuthenticationConfiguration
                jwt:
                - issuer: {url: https://auth.example.com, audiences: [a]}
                  claimMappings: {username: {claim: sub, prefix: ''}}
                """);
    }

    @Test
    void moduleExportsOnlyTheApi() throws Exception {
        Path classes = Path.of(OidcAuthenticator.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        ModuleDescriptor d;
        try (InputStream in = Files.newInputStream(classes.resolve("module-info.class"))) {
            d = ModuleDescriptor.read(in);
        }
        assertEquals("io.gatehouse.oidc", d.name());
        Map<String, Set<String>> exports = d.exports().stream()
                .collect(Collectors.toMap(ModuleDescriptor.Exports::source, ModuleDescriptor.Exports::targets));
        assertEquals(Map.of("io.gatehouse.oidc", Set.of()), exports);
        assertEquals(List.of("io.gatehouse.oidc.OidcAuthenticatorProvider"),
                d.provides().iterator().next().providers());
    }
}
