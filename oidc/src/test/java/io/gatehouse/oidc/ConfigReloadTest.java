package io.gatehouse.oidc;

import io.gatehouse.core.AuthenticationResult.Abstained;
import io.gatehouse.core.AuthenticationResult.Authenticated;
import io.gatehouse.core.ConfigurationException;
import io.gatehouse.core.testing.MutableClock;
import io.gatehouse.core.testing.RecordingListener;
import io.gatehouse.testing.JwtFixtures;
import io.gatehouse.testing.ScriptedIdp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Reload of the AuthenticationConfiguration file: swap only when healthy, keep the old on failure. */
class ConfigReloadTest {

    static final Instant NOW = Instant.parse("2009-11-10T23:00:00Z");
    final KeyPair key = JwtFixtures.k8sKey("rsa_1");
    final MutableClock clock = new MutableClock(NOW);
    final RecordingListener listener = new RecordingListener();

    @TempDir
    Path dir;

    static String entry(String url) throws Exception {
        String ca = ScriptedIdp.caPem().strip().replace("\n", "\n      ");
        return "- issuer:\n    url: " + url + "\n    audiences: [my-client]\n    certificateAuthority: |\n      " + ca
                + "\n  claimMappings: {username: {claim: sub, prefix: ''}}\n";
    }

    static String file(String... entries) {
        return "apiVersion: apiserver.config.k8s.io/v1beta1\nkind: AuthenticationConfiguration\njwt:\n" + String.join("", entries);
    }

    String token(String iss) {
        return JwtFixtures.sign(key, "RS256", "k1", "{\"iss\":\"" + iss + "\",\"aud\":\"my-client\",\"sub\":\"jane\",\"exp\":"
                + (NOW.getEpochSecond() + 600) + "}");
    }

    @Test
    void swapsWhenHealthyAndKeepsTheOldConfigurationOtherwise() throws Exception {
        try (ScriptedIdp a = new ScriptedIdp().keys(Map.of("k1", key)); ScriptedIdp b = new ScriptedIdp().keys(Map.of("k1", key))) {
            Path f = Files.writeString(dir.resolve("auth.yaml"), file(entry(a.url())));
            try (ReloadingOidcAuthenticator auth = ReloadingOidcAuthenticator.watch(f, Duration.ZERO, Duration.ofSeconds(5),
                    x -> x.clock(clock).retryBackoff(Duration.ofMillis(20), Duration.ofMillis(100)), listener)) {
                JwksFetchTest.await(() -> auth.health().get(0).isHealthy(), "first keys");
                assertInstanceOf(Authenticated.class, auth.authenticate(token(a.url()), List.of()));
                assertInstanceOf(Abstained.class, auth.authenticate(token(b.url()), List.of()));
                assertFalse(auth.reloadIfChanged(), "unchanged content is not reloaded");

                Files.writeString(f, file(entry(a.url()), entry(b.url())));
                assertTrue(auth.reloadIfChanged());
                assertInstanceOf(Authenticated.class, auth.authenticate(token(b.url()), List.of()));
                assertInstanceOf(Authenticated.class, auth.authenticate(token(a.url()), List.of()));

                Files.writeString(f, file("- issuer: {url: http://insecure.example.com, audiences: [a]}\n"
                        + "  claimMappings: {username: {claim: sub, prefix: ''}}\n"));
                listener.clear();
                assertFalse(auth.reloadIfChanged());
                assertFalse(auth.reloadIfChanged());
                assertEquals(1, listener.eventsStartingWith("reloadFailed").size(), listener.events().toString());
                assertTrue(listener.events().get(0).contains("URL scheme must be https"), listener.events().toString());
                assertEquals(List.of(a.url(), b.url()), auth.issuerUrls());

                Files.writeString(f, file(entry(a.url()).replace("{claim: sub, prefix: ''}", "{expression: 'claims.sub +'}")));
                listener.clear();
                assertFalse(auth.reloadIfChanged(), "a file with an expression that does not compile is not swapped in");
                assertTrue(listener.events().get(0).contains("jwt[0].claimMappings.username.expression: Invalid value: "
                        + "\"claims.sub +\": compilation failed: ERROR: <input>:1:"), listener.events().toString());
                assertEquals(List.of(a.url(), b.url()), auth.issuerUrls());
                assertInstanceOf(Authenticated.class, auth.authenticate(token(b.url()), List.of()), "last good configuration kept");

                int port;
                try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
                    port = s.getLocalPort();
                }
                Files.writeString(f, file(entry(a.url())));
                try (ReloadingOidcAuthenticator quick = ReloadingOidcAuthenticator.watch(f, Duration.ZERO, Duration.ofMillis(300),
                        x -> x.clock(clock), listener)) {
                    JwksFetchTest.await(() -> quick.health().get(0).isHealthy(), "keys");
                    Files.writeString(f, file(entry("https://127.0.0.1:" + port)));
                    listener.clear();
                    assertFalse(quick.reloadIfChanged(), "an issuer that never becomes healthy is not swapped in");
                    assertTrue(listener.events().stream().anyMatch(e -> e.startsWith("reloadFailed") && e.contains("not healthy within")),
                            listener.events().toString());
                    assertInstanceOf(Authenticated.class, quick.authenticate(token(a.url()), List.of()), "old configuration kept");
                }
            }
        }
    }

    @Test
    void aReloadThatChangesTheAnonymousBlockIsRefusedWhole() throws Exception {
        String anonymous = "anonymous:\n  enabled: true\n  conditions:\n  - path: /livez\n";
        try (ScriptedIdp a = new ScriptedIdp().keys(Map.of("k1", key)); ScriptedIdp b = new ScriptedIdp().keys(Map.of("k1", key))) {
            Path f = Files.writeString(dir.resolve("auth.yaml"), file(entry(a.url())) + anonymous);
            try (ReloadingOidcAuthenticator auth = ReloadingOidcAuthenticator.watch(f, Duration.ZERO, Duration.ofSeconds(5),
                    x -> x.clock(clock).retryBackoff(Duration.ofMillis(20), Duration.ofMillis(100)), listener)) {
                JwksFetchTest.await(() -> auth.health().get(0).isHealthy(), "first keys");
                // A new issuer and another anonymous path: kube-apiserver refuses the whole file, issuer included.
                Files.writeString(f, file(entry(a.url()), entry(b.url())) + anonymous + "  - path: /readyz\n");
                listener.clear();
                assertFalse(auth.reloadIfChanged());
                assertEquals(1, listener.eventsStartingWith("reloadFailed").size(), listener.events().toString());
                assertTrue(listener.events().get(0).contains("anonymous: Forbidden: changed from initial configuration file"),
                        listener.events().toString());
                assertEquals(List.of(a.url()), auth.issuerUrls(), "the last good configuration stays in force");
                assertFalse(auth.reloadIfChanged(), "the refused content is not retried until it changes");

                Files.writeString(f, file(entry(a.url()), entry(b.url())));
                assertFalse(auth.reloadIfChanged(), "removing the block is a change too");

                // The same anonymous block, reformatted, with the new issuer: taken.
                Files.writeString(f, file(entry(a.url()), entry(b.url()))
                        + "anonymous: {enabled: true, conditions: [{path: /livez}]}\n");
                assertTrue(auth.reloadIfChanged(), listener.events().toString());
                assertEquals(List.of(a.url(), b.url()), auth.issuerUrls());
            }
        }
    }

    @Test
    void aBrokenFirstFileFailsToStart() throws Exception {
        Path f = Files.writeString(dir.resolve("auth.yaml"), "apiVersion: nope\n");
        assertThrows(ConfigurationException.class,
                () -> ReloadingOidcAuthenticator.watch(f, Duration.ZERO, Duration.ofSeconds(1), x -> x, listener));
    }
}
