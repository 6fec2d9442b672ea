package io.gatehouse.webhook;

import io.gatehouse.testing.TestPki;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gatehouse.core.AuthenticationResult;
import io.gatehouse.core.AuthenticationResult.Authenticated;
import io.gatehouse.core.AuthenticationResult.Rejected;
import io.gatehouse.core.ConfigurationException;
import io.gatehouse.core.RejectionReason;
import io.gatehouse.core.testing.LogCapture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The kubeconfig as Kubernetes' webhook loader reads it: Kubernetes' {@code TestV1TLSConfig} table over real TLS,
 * files beside data, PKCS#1/SEC1/PKCS#8 client keys, the user's token, and errors naming file, entry and field.
 */
class KubeconfigTest {

    @TempDir
    static Path dir;
    private static ReviewServer mutual;
    private static ReviewServer open;
    private static ReviewServer distrustful;

    @BeforeAll
    static void start() throws Exception {
        mutual = Fixture.server();
        open = new ReviewServer(Fixture.PKI, null);
        distrustful = new ReviewServer(Fixture.PKI, Fixture.OTHER);
        for (ReviewServer s : List.of(mutual, open, distrustful)) {
            s.script(r -> Fixture.review("v1beta1", "{\"authenticated\":true,\"user\":{\"username\":\"tls-ok\"}}"));
        }
    }

    @AfterAll
    static void stop() {
        mutual.close();
        open.close();
        distrustful.close();
    }

    static Stream<Arguments> tlsRows() {
        return Stream.of(
                Arguments.of("TLS setup between client and server", "mutual", true, true, true),
                Arguments.of("Server does not require client auth", "open", false, true, true),
                Arguments.of("Server does not require client auth, client provides it", "open", true, true, true),
                Arguments.of("Client does not trust server", "mutual", true, false, false),
                Arguments.of("Server does not trust client", "distrustful", true, true, false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("tlsRows")
    void kubernetesTlsTable(String description, String which, boolean clientCert, boolean trustServer, boolean ok)
            throws Exception {
        ReviewServer server = switch (which) {
            case "mutual" -> mutual;
            case "open" -> open;
            default -> distrustful;
        };
        Path config = server.kubeconfig(dir, trustServer ? Fixture.PKI : null, clientCert ? Fixture.CLIENT : null, null);
        AuthenticationResult r = WebhookTokenAuthenticator.builder(config).retryBackoff(Fixture.FAST).build()
                .authenticate("t", List.of());
        if (ok) {
            assertEquals("tls-ok", assertInstanceOf(Authenticated.class, r).user().name());
        } else {
            assertEquals(RejectionReason.INTERNAL_ERROR, assertInstanceOf(Rejected.class, r).reason());
        }
    }

    @Test
    void serverIsUsingInsecureConnection() throws Exception {
        Path config = write("http", kubeconfig("server: http://127.0.0.1:8443/review", "token: t"));
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> WebhookTokenAuthenticator.builder(config).build());
        assertEquals(config + ": clusters[\"remote\"]: setting 'cluster.server': must use https: the review carries "
                + "users' bearer tokens, found \"http://127.0.0.1:8443/review\"", e.getMessage());

        Path skip = write("skip", kubeconfig("server: https://127.0.0.1:8443/review\n    insecure-skip-tls-verify: true", "token: t"));
        ConfigurationException s = assertThrows(ConfigurationException.class, () -> WebhookTokenAuthenticator.builder(skip).build());
        assertEquals("cluster.insecure-skip-tls-verify", s.setting());
        assertEquals(skip.toString(), s.source());
    }

    @Test
    void filesResolveBesideTheKubeconfigAndLegacyKeysAreRead() throws Exception {
        for (boolean rsa : new boolean[] {true, false}) {
            TestPki.Issued client = Fixture.client(rsa ? "rsa-client" : "ec-client", rsa);
            Path sub = Files.createTempDirectory(dir, "files");
            Files.writeString(sub.resolve("ca.crt"), TestPki.pem(Fixture.PKI.cert()));
            Files.writeString(sub.resolve("client.crt"), TestPki.pem(client.cert()));
            Files.writeString(sub.resolve("client.key"), TestPki.traditionalKeyPem(client.key()));
            Path config = sub.resolve("webhook.kubeconfig");
            Files.writeString(config, kubeconfig("server: " + mutual.url() + "\n    certificate-authority: ca.crt",
                    "client-certificate: client.crt\n    client-key: client.key"));
            AuthenticationResult r = WebhookTokenAuthenticator.builder(config).build().authenticate("t", List.of());
            assertInstanceOf(Authenticated.class, r, rsa ? "PKCS#1 RSA key" : "SEC1 EC key");
        }
    }

    @Test
    void theUsersTokenIsSentAndATokenFileIsTrimmed() throws Exception {
        LogCapture.secret("kube-secret-1");
        LogCapture.secret("kube-secret-2");
        int before = open.received().size();
        Path config = open.kubeconfig(dir, Fixture.PKI, null, "    token: kube-secret-1\n");
        WebhookTokenAuthenticator.builder(config).build().authenticate("t1", List.of());
        assertEquals("Bearer kube-secret-1", open.received().get(before).authorization());

        Path sub = Files.createTempDirectory(dir, "token");
        Files.writeString(sub.resolve("token"), "kube-secret-2\n");
        Path fromFile = sub.resolve("kubeconfig");
        Files.writeString(fromFile, Files.readString(open.kubeconfig(dir, Fixture.PKI, null, "    tokenFile: token\n")));
        WebhookTokenAuthenticator w = WebhookTokenAuthenticator.builder(fromFile).build();
        w.authenticate("t2", List.of());
        assertEquals("Bearer kube-secret-2", open.received().get(before + 1).authorization());
        assertFalse(w.toString().contains("kube-secret"), w.toString());
    }

    static Stream<Arguments> badConfigs() {
        String ok = "server: https://127.0.0.1:1/review";
        return Stream.of(
                Arguments.of("both CA file and data", kubeconfig(ok + "\n    certificate-authority: ca.crt\n    certificate-authority-data: "
                        + ReviewServer.b64("x"), "token: t"), "cluster.certificate-authority-data",
                        "certificate-authority-data and certificate-authority are both specified; set one"),
                Arguments.of("a missing CA file", kubeconfig(ok + "\n    certificate-authority: missing.crt", "token: t"),
                        "cluster.certificate-authority", "unable to read certificate-authority missing.crt"),
                Arguments.of("a CA that is not PEM", kubeconfig(ok + "\n    certificate-authority-data: " + ReviewServer.b64("garbage"),
                        "token: t"), "cluster.certificate-authority", "holds no PEM CERTIFICATE block"),
                Arguments.of("a broken PEM block", kubeconfig(ok + "\n    certificate-authority-data: "
                                + ReviewServer.b64("-----BEGIN CERTIFICATE-----\n!!!\n-----END CERTIFICATE-----\n"), "token: t"),
                        "cluster.certificate-authority", "PEM block 1 (CERTIFICATE) is not valid base64"),
                Arguments.of("a certificate without a key", kubeconfig(ok, "client-certificate-data: "
                                + ReviewServer.b64(TestPki.pem(Fixture.CLIENT.cert()))), "user.client-key",
                        "client-key-data or client-key must be specified for gatehouse to use the clientCert authentication method."),
                Arguments.of("a key that is not a key", kubeconfig(ok, "client-certificate-data: "
                                + ReviewServer.b64(TestPki.pem(Fixture.CLIENT.cert())) + "\n    client-key-data: "
                                + ReviewServer.b64(TestPki.pem("RSA PRIVATE KEY", new byte[] {1, 2, 3}))), "user.client-key",
                        "the RSA PRIVATE KEY block is not a valid key"),
                Arguments.of("a proxy", kubeconfig(ok + "\n    proxy-url: http://proxy:3128", "token: t"), "cluster.proxy-url",
                        "is not supported by the webhook client"),
                Arguments.of("a token that cannot be a header", kubeconfig(ok, "token: \"a\\nb\""), "user.token",
                        "the token holds a space, control or non-ASCII character at index 1"),
                Arguments.of("no server", kubeconfig("certificate-authority: ca.crt", "token: t"), "cluster.server",
                        "no server found for cluster"),
                Arguments.of("an exec plugin", kubeconfig(ok, "exec: {command: get-token}"), "user.exec",
                        "is not supported by the webhook client; use a client certificate or a token"),
                Arguments.of("no current context", kubeconfig(ok, "token: t").replace("current-context: webhook\n", ""),
                        "current-context", "is required: it names the context whose cluster and user the webhook uses"),
                Arguments.of("an unknown current context", kubeconfig(ok, "token: t").replace("current-context: webhook", "current-context: nope"),
                        "contexts", "context was not found for specified context: nope"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badConfigs")
    void errorsNameFileAndField(String description, String yaml, String field, String problem) throws Exception {
        Path config = write(description.replace(' ', '-'), yaml);
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> WebhookTokenAuthenticator.builder(config).build());
        assertEquals(config.toString(), e.source(), e.getMessage());
        assertEquals(field, e.setting(), e.getMessage());
        assertTrue(e.getMessage().contains(problem), e.getMessage());
    }

    @Test
    void aMissingFileIsNamed() {
        Path missing = dir.resolve("absent.kubeconfig");
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> WebhookTokenAuthenticator.builder(missing).build());
        assertTrue(e.getMessage().startsWith(missing + ": cannot read the webhook kubeconfig: NoSuchFileException"), e.getMessage());
    }

    @Test
    void versionsAndBackoffAreCheckedWithKubernetesMessages() {
        WebhookTokenAuthenticator.Builder b = WebhookTokenAuthenticator.builder(dir.resolve("x"));
        assertEquals("unsupported authentication webhook version \"v2\", supported versions are \"v1\", \"v1beta1\"",
                assertThrows(IllegalArgumentException.class, () -> b.version("v2")).getMessage());
        assertEquals("number of webhook retry attempts must be greater than 0, but is: 0",
                assertThrows(IllegalArgumentException.class, () -> new WebhookTokenAuthenticator.Backoff(
                        java.time.Duration.ofMillis(500), 1.5, 0.2, 0)).getMessage());
    }

    private static String kubeconfig(String cluster, String user) {
        return "apiVersion: v1\nkind: Config\ncurrent-context: webhook\nclusters:\n- name: remote\n  cluster:\n    " + cluster
                + "\nusers:\n- name: gatehouse\n  user:\n    " + user
                + "\ncontexts:\n- name: webhook\n  context:\n    cluster: remote\n    user: gatehouse\n";
    }

    private static Path write(String name, String yaml) throws Exception {
        Path file = dir.resolve(name + ".kubeconfig");
        Files.writeString(file, yaml);
        return file;
    }
}
