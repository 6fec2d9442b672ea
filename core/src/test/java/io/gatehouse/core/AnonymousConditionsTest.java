package io.gatehouse.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gatehouse.core.AuthenticationResult.Abstained;
import io.gatehouse.core.AuthenticationResult.Authenticated;
import io.gatehouse.core.AuthenticationResult.Rejected;
import io.gatehouse.core.testing.RecordingListener;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** KEP-4633 anonymous conditions: Kubernetes' TestAnonymous / TestAnonymousRestricted, and the config forms. */
class AnonymousConditionsTest {

    private static final TokenAuthenticator TOKENS = (t, a) -> "bad".equals(t)
            ? Rejected.of(RejectionReason.EXPIRED, "token expired") : Abstained.instance();

    @TempDir
    Path dir;

    private static AuthenticationRequest at(String path) {
        return AuthenticationRequest.builder().path(path).build();
    }

    @Test
    void withoutConditionsEveryRequestIsAnonymous() {
        AuthenticationChain c = AuthenticationChain.builder().anonymous(true).build();
        for (String p : List.of("/healthz", "/api", "")) {
            Authenticated a = assertInstanceOf(Authenticated.class, c.authenticate(at(p)));
            assertEquals(KubernetesNames.ANONYMOUS, a.user().name());
            assertEquals(List.of(KubernetesNames.ALL_UNAUTHENTICATED), a.user().groups());
        }
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"/healthz, true", "/readyz, true", "/livez, true", "/api, false", "/livez/, false", "/LIVEZ, false",
        "/healthz/.., false", "'', false"})
    void restrictedToExactPaths(String path, boolean anonymous) {
        AuthenticationChain c = AuthenticationChain.builder().anonymous(true)
                .anonymousConditions(List.of("/healthz", "/readyz", "/livez")).build();
        AuthenticationResult r = c.authenticate(at(path));
        if (anonymous) {
            assertEquals(KubernetesNames.ANONYMOUS, assertInstanceOf(Authenticated.class, r).user().name());
        } else {
            assertInstanceOf(Abstained.class, r);
        }
    }

    @Test
    void aBadCredentialOnAnAllowedPathIsStillRejected() {
        AuthenticationChain c = AuthenticationChain.builder().addToken("tokens", TOKENS).anonymous(true)
                .anonymousConditions(List.of("/livez")).listener(new RecordingListener()).build();
        AuthenticationRequest bad = AuthenticationRequest.bearer("bad").toBuilder().path("/livez").build();
        assertInstanceOf(Rejected.class, c.authenticate(bad));
        assertEquals("/livez", bad.path(), "toBuilder keeps the path");
    }

    @Test
    void conditionsWithoutAnonymousAreRefused() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> AuthenticationChain.builder()
                .addToken("tokens", TOKENS).anonymousConditions(List.of("/livez")).build());
        assertEquals("anonymous.conditions: Invalid value: [/livez]: enabled should be set to true when conditions "
                + "are defined", e.getMessage());
    }

    @Test
    void unknownPathIsEmpty() {
        assertEquals("", AuthenticationRequest.bearer("x").path());
        assertEquals("", AuthenticationRequest.builder().path(null).build().path());
    }

    @Test
    void chainFileTakesKubernetesAnonymousBlock() throws IOException {
        Path f = dir.resolve("chain.yaml");
        Files.writeString(f, "anonymous: {enabled: true, conditions: [{path: /livez}, {path: /readyz}]}\n");
        try (AuthenticationChain c = ChainConfigLoader.create().listener(new RecordingListener()).load(f)) {
            assertInstanceOf(Authenticated.class, c.authenticate(at("/readyz")));
            assertInstanceOf(Abstained.class, c.authenticate(at("/api")));
        }
        Files.writeString(f, "anonymous: {enabled: false, conditions: [{path: /livez}]}\n");
        ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> ChainConfigLoader.create().listener(new RecordingListener()).load(f));
        assertTrue(e.getMessage().contains("anonymous.conditions: Invalid value: [/livez]: enabled should be set to "
                + "true when conditions are defined"), e.getMessage());
        Files.writeString(f, "anonymous: {enabled: true, conditions: [{prefix: /l}]}\n");
        assertThrows(ConfigurationException.class, () -> ChainConfigLoader.create().listener(new RecordingListener()).load(f));
    }
}
