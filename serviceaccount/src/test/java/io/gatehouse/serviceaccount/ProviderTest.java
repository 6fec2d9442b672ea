package io.gatehouse.serviceaccount;

import com.nimbusds.jose.JWSAlgorithm;
import io.gatehouse.core.AuthenticationListener;
import io.gatehouse.core.AuthenticationResult.Authenticated;
import io.gatehouse.core.AuthenticationResult.Rejected;
import io.gatehouse.core.ConfigurationException;
import io.gatehouse.core.spi.AuthenticatorProvider;
import io.gatehouse.core.spi.ChainMember;
import io.gatehouse.core.spi.ProviderContext;
import io.gatehouse.core.spi.ProviderSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** ServiceLoader registration as service-account, the settings mapping, and the module descriptor. */
class ProviderTest {

    @TempDir
    Path dir;

    private ServiceAccountTokenAuthenticator create(Map<String, Object> values) {
        ProviderSettings s = ProviderSettings.of("chain.yaml", "authenticators[0] (service-account)", dir, values);
        ChainMember m = new ServiceAccountAuthenticatorProvider().create(s,
                new ProviderContext(Clock.systemUTC(), AuthenticationListener.NONE, dir, Duration.ZERO));
        assertEquals(Set.of(), s.unread());
        return (ServiceAccountTokenAuthenticator) assertInstanceOf(ChainMember.Token.class, m).authenticator();
    }

    @Test
    void serviceLoaderFindsTheServiceAccountType() {
        List<String> types = ServiceLoader.load(AuthenticatorProvider.class).stream().map(p -> p.get().type()).toList();
        assertTrue(types.contains("service-account"), types.toString());
    }

    @Test
    void settingsMapOntoTheBuilder() throws Exception {
        Files.writeString(dir.resolve("sa.pub"), Fixtures.pem("rsaPublicKey.pem"));
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("keyFiles", List.of("sa.pub"));
        v.put("issuers", List.of("https://kubernetes.default.svc", "https://old"));
        ServiceAccountTokenAuthenticator a = create(v);
        assertEquals(List.of("https://kubernetes.default.svc", "https://old"), a.apiAudiences(), "API audiences default to the issuers");

        v.put("apiAudiences", List.of("api"));
        v.put("legacyTokensAllowed", false);
        ServiceAccountTokenAuthenticator b = create(v);
        assertEquals(List.of("api"), b.apiAudiences());
        String legacy = Fixtures.sign(Fixtures.rsaPair().getPrivate(), JWSAlgorithm.RS256, Fixtures.RSA_KID,
                Fixtures.legacyClaims(ServiceAccountTokenAuthenticator.LEGACY_ISSUER));
        assertInstanceOf(Authenticated.class, a.authenticate(legacy, List.of()));
        assertInstanceOf(Rejected.class, b.authenticate(legacy, List.of()));
    }

    @Test
    void errorsNameFileEntryAndSetting() throws Exception {
        Files.writeString(dir.resolve("sa.pub"), Fixtures.pem("rsaPublicKey.pem"));
        ConfigurationException noKeys = assertThrows(ConfigurationException.class, () -> create(Map.of("issuers", List.of("https://x"))));
        assertEquals("chain.yaml: authenticators[0] (service-account): setting 'keyFiles': is required: at least one PEM key file",
                noKeys.getMessage());
        ConfigurationException dup = assertThrows(ConfigurationException.class,
                () -> create(Map.of("keyFiles", List.of("sa.pub"), "issuers", List.of("https://x", "https://x"))));
        assertEquals("chain.yaml: authenticators[0] (service-account): setting 'issuers': duplicate issuer \"https://x\"", dup.getMessage());
        ConfigurationException url = assertThrows(ConfigurationException.class,
                () -> create(Map.of("keyFiles", List.of("sa.pub"), "issuers", List.of("https://exa mple"))));
        assertTrue(url.getMessage().endsWith("contains a ':' but is not a valid URL"), url.getMessage());
        ConfigurationException none = assertThrows(ConfigurationException.class,
                () -> create(Map.of("keyFiles", List.of("sa.pub"))));
        assertTrue(none.getMessage().endsWith("setting 'issuers': at least one issuer is required"), none.getMessage());
        ConfigurationException missing = assertThrows(ConfigurationException.class,
                () -> create(Map.of("keyFiles", List.of("nope.pem"), "issuers", List.of("https://x"))));
        assertTrue(missing.getMessage().startsWith("chain.yaml: authenticators[0] (service-account): setting 'keyFiles': ")
                && missing.getMessage().contains("nope.pem"), missing.getMessage());
    }

    @Test
    void moduleExportsOnlyTheApiAndProvidesTheProvider() throws Exception {
        Path classes = Path.of(ServiceAccountTokenAuthenticator.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        ModuleDescriptor d;
        try (InputStream in = Files.newInputStream(classes.resolve("module-info.class"))) {
            d = ModuleDescriptor.read(in);
        }
        assertEquals("io.gatehouse.serviceaccount", d.name());
        assertEquals(Set.of("io.gatehouse.serviceaccount"), d.exports().stream().map(ModuleDescriptor.Exports::source).collect(Collectors.toSet()));
        assertEquals(List.of(ServiceAccountAuthenticatorProvider.class.getName()),
                d.provides().stream().filter(p -> p.service().equals(AuthenticatorProvider.class.getName()))
                        .findFirst().orElseThrow().providers());
        // Verification sits on the shared JWT engine, not on the OIDC authenticator (and its JWKS fetching).
        assertTrue(d.requires().stream().anyMatch(r -> r.name().equals("io.gatehouse.jwt")));
        assertTrue(d.requires().stream().noneMatch(r -> r.name().equals("io.gatehouse.oidc")));
    }
}
