package io.gatehouse.x509;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gatehouse.core.AuthenticationChain;
import io.gatehouse.core.AuthenticationListener;
import io.gatehouse.core.AuthenticationRequest;
import io.gatehouse.core.AuthenticationResult;
import io.gatehouse.core.AuthenticationResult.Abstained;
import io.gatehouse.core.AuthenticationResult.Authenticated;
import io.gatehouse.core.AuthenticationResult.Rejected;
import io.gatehouse.core.ChainConfigLoader;
import io.gatehouse.core.ConfigurationException;
import io.gatehouse.core.UserInfo;
import io.gatehouse.testing.TestPki;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kubernetes' {@code requestheader_controller_test.go}: the {@code extension-apiserver-authentication} ConfigMap
 * read from a file, its happy path, an empty map, an invalid map (an error that keeps the state in force) and
 * changed values; and the {@code request-header} provider in a YAML chain.
 */
class AuthenticationConfigMapTest {

    @TempDir
    Path dir;

    static String configMap(String ca, String users, String groups, String extra, String allowed) {
        StringBuilder sb = new StringBuilder("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: extension-apiserver-authentication\n"
                + "  namespace: kube-system\ndata:\n  client-ca-file: |\n    ignored by the front-proxy reader\n");
        if (ca != null) {
            sb.append("  requestheader-client-ca-file: |\n");
            ca.lines().forEach(l -> sb.append("    ").append(l).append('\n'));
        }
        if (users != null) {
            sb.append("  requestheader-username-headers: '").append(users).append("'\n");
        }
        if (groups != null) {
            sb.append("  requestheader-group-headers: '").append(groups).append("'\n");
        }
        if (extra != null) {
            sb.append("  requestheader-extra-headers-prefix: '").append(extra).append("'\n");
        }
        if (allowed != null) {
            sb.append("  requestheader-allowed-names: '").append(allowed).append("'\n");
        }
        return sb.toString();
    }

    private Path write(String name, String text) throws IOException {
        Path tmp = Files.writeString(dir.resolve(name + ".tmp"), text);
        return Files.move(tmp, dir.resolve(name), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static RequestHeaderAuthenticator load(Path file) {
        return RequestHeaderAuthenticator.builder().configMapFile(file).reloadInterval(Duration.ZERO)
                .clock(Clock.fixed(RequestHeaderTest.NOW, ZoneOffset.UTC)).listener(AuthenticationListener.NONE).build();
    }

    private static AuthenticationResult proxied(RequestHeaderAuthenticator auth, String... headers) {
        AuthenticationRequest.Builder b = AuthenticationRequest.builder().peerCertificates(List.of(RequestHeaderTest.PROXY.cert()));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return auth.authenticate(b.build());
    }

    private static final String CA_PEM = TestPki.pem(RequestHeaderTest.CA.cert());

    @Test
    void happyPath() throws IOException {
        Path f = write("cm.yaml", configMap(CA_PEM, "[\"X-Remote-User\"]", "[\"X-Remote-Group\"]", "[\"X-Remote-Extra-\"]",
                "[\"front-proxy-client\"]"));
        try (RequestHeaderAuthenticator auth = load(f)) {
            AuthenticationResult r = proxied(auth, "X-Remote-User", "alice", "X-Remote-Group", "devs", "X-Remote-Extra-Scopes", "s");
            assertEquals(new UserInfo("alice", "", List.of("devs"), Map.of("scopes", List.of("s"))),
                    assertInstanceOf(Authenticated.class, r).user());
            assertEquals(List.of("X-Remote-User"), auth.usernameHeaders());
        }
    }

    @Test
    void anEmptyConfigMapDoesNotBreakAnything() throws IOException {
        Path f = write("cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: extension-apiserver-authentication}\n");
        try (RequestHeaderAuthenticator auth = load(f)) {
            assertInstanceOf(Abstained.class, proxied(auth, "X-Remote-User", "alice"));
            assertEquals(List.of(), auth.trustAnchors());
        }
    }

    @Test
    void aCaWithoutUsernameHeadersAuthenticatesNobody() throws IOException {
        Path f = write("cm.yaml", configMap(CA_PEM, null, null, null, null));
        try (RequestHeaderAuthenticator auth = load(f)) {
            assertInstanceOf(Abstained.class, proxied(auth, "X-Remote-User", "alice"));
        }
    }

    @Test
    void anInvalidConfigMapIsAnErrorNamingTheFileAndKey() throws IOException {
        Path f = write("cm.yaml", configMap(CA_PEM, "[X-Remote-User]", null, null, null));
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> load(f));
        assertTrue(e.getMessage().contains(f.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("requestheader-username-headers"), e.getMessage());
        Path notAMap = write("list.yaml", "- a\n");
        assertThrows(ConfigurationException.class, () -> load(notAMap));
        Path wrongKind = write("secret.yaml", "kind: Secret\ndata: {}\n");
        ConfigurationException kind = assertThrows(ConfigurationException.class, () -> load(wrongKind));
        assertTrue(kind.getMessage().contains("kind"), kind.getMessage());
        Path badPem = write("pem.yaml", configMap("not a certificate", "[\"X-Remote-User\"]", null, null, null));
        ConfigurationException pem = assertThrows(ConfigurationException.class, () -> load(badPem));
        assertTrue(pem.getMessage().contains("requestheader-client-ca-file"), pem.getMessage());
    }

    @Test
    void anInvalidVersionProducesAnErrorButDoesNotDestroyTheState() throws IOException {
        Path f = write("cm.yaml", configMap(CA_PEM, "[\"X-Remote-User\"]", null, null, null));
        try (RequestHeaderAuthenticator auth = load(f)) {
            write("cm.yaml", configMap(CA_PEM, "[\"X-Remote-User\"", null, null, null));
            auth.reloadIfChanged();
            assertEquals("alice", ((Authenticated) proxied(auth, "X-Remote-User", "alice")).user().name());
            // Scenario 3 and 4: changed values take effect.
            write("cm.yaml", configMap(CA_PEM, "[\"X-Proxy-User\"]", null, null, "[\"someone-else\"]"));
            assertTrue(auth.reloadIfChanged());
            assertInstanceOf(Rejected.class, proxied(auth, "X-Proxy-User", "alice"));
            write("cm.yaml", configMap(CA_PEM, "[\"X-Proxy-User\"]", null, null, "[]"));
            assertTrue(auth.reloadIfChanged());
            assertEquals("alice", ((Authenticated) proxied(auth, "X-Proxy-User", "alice")).user().name());
            assertTrue(auth.consumedHeaders().removes("x-proxy-user"));
            // A version without the CA keeps the bundle in force, with the new lists.
            write("cm.yaml", configMap(null, "[\"X-Other-User\"]", null, null, null));
            assertTrue(auth.reloadIfChanged());
            assertEquals("bob", ((Authenticated) proxied(auth, "X-Other-User", "bob")).user().name());
        }
    }

    @Test
    void jsonStringArrays() {
        assertEquals(List.of("a", "b\"c", "é"), AuthenticationConfigMap.JsonStringArray.parse(" [ \"a\" , \"b\\\"c\", \"\\u00e9\" ] "));
        assertEquals(List.of(), AuthenticationConfigMap.JsonStringArray.parse("null"));
        assertEquals(List.of(), AuthenticationConfigMap.JsonStringArray.parse("[]"));
        for (String bad : List.of("[", "[\"a\",]", "['a']", "[\"a\"] x", "{}", "[1]", "\"a\"")) {
            assertThrows(IllegalArgumentException.class, () -> AuthenticationConfigMap.JsonStringArray.parse(bad), bad);
        }
    }

    @Test
    void theProviderBuildsFromEitherSourceAndComesFirstInTheChain() throws IOException {
        write("front-proxy-ca.pem", CA_PEM);
        write("cm.yaml", configMap(CA_PEM, "[\"X-Remote-User\"]", null, null, null));
        Path config = write("chain.yaml", "authenticators:\n"
                + "  - type: request-header\n    clientCaFile: front-proxy-ca.pem\n    allowedNames: [front-proxy-client]\n"
                + "    usernameHeaders: [X-Remote-User]\n    groupHeaders: [X-Remote-Group]\n"
                + "  - type: request-header\n    name: from-configmap\n    configMapFile: cm.yaml\n");
        try (AuthenticationChain chain = ChainConfigLoader.create().clock(Clock.fixed(RequestHeaderTest.NOW, ZoneOffset.UTC))
                .listener(AuthenticationListener.NONE).load(config)) {
            AuthenticationRequest r = AuthenticationRequest.builder().peerCertificates(List.of(RequestHeaderTest.PROXY.cert()))
                    .header("X-Remote-User", "alice").header("X-Remote-Group", "devs").build();
            AuthenticationResult v = chain.authenticate(r);
            assertEquals(List.of("devs", "system:authenticated"), assertInstanceOf(Authenticated.class, v).user().groups());
            assertTrue(chain.consumedHeaders(r, v).removes("X-Remote-Group"));
        }
        Path both = write("both.yaml", "authenticators:\n  - type: request-header\n    clientCaFile: front-proxy-ca.pem\n"
                + "    configMapFile: cm.yaml\n");
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> ChainConfigLoader.create().load(both));
        assertTrue(e.getMessage().contains("exactly one"), e.getMessage());
        Path blank = write("blank.yaml", "authenticators:\n  - type: request-header\n    clientCaFile: front-proxy-ca.pem\n"
                + "    usernameHeaders: [\" \"]\n");
        ConfigurationException b = assertThrows(ConfigurationException.class, () -> ChainConfigLoader.create().load(blank));
        assertTrue(b.getMessage().contains("empty value in \"requestheader-username-headers\""), b.getMessage());
        assertTrue(b.getMessage().contains("usernameHeaders"), b.getMessage());
    }
}
