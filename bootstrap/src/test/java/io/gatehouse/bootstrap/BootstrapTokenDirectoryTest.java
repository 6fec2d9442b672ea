package io.gatehouse.bootstrap;

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
import io.gatehouse.core.testing.MutableClock;
import io.gatehouse.core.testing.RecordingListener;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A directory of Secret manifests as kubectl and kubeadm write them, and its reloads. */
class BootstrapTokenDirectoryTest {

    static final String SECRET_A = LogCapture.secret("0123456789abcdef");
    static final String TOKEN_A = LogCapture.secret("abcdef." + SECRET_A);
    static final String SECRET_B = LogCapture.secret("fedcba9876543210");
    static final String TOKEN_B = LogCapture.secret("bcdefa." + SECRET_B);

    @TempDir
    Path dir;

    private final RecordingListener listener = new RecordingListener();
    private final MutableClock clock = MutableClock.atDefaultStart();
    private BootstrapTokenDirectory store;

    @AfterEach
    void close() {
        if (store != null) {
            store.close();
        }
    }

    static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    /** As {@code kubectl get secret -n kube-system bootstrap-token-<id> -o yaml} prints it. */
    static String kubectlSecret(String id, String secret) {
        return "apiVersion: v1\n"
                + "data:\n"
                + "  auth-extra-groups: " + b64("system:bootstrappers:kubeadm:default-node-token") + "\n"
                + "  expiration: " + b64("2026-01-02T00:00:00Z") + "\n"
                + "  token-id: " + b64(id) + "\n"
                + "  token-secret: " + b64(secret) + "\n"
                + "  usage-bootstrap-authentication: " + b64("true") + "\n"
                + "  usage-bootstrap-signing: " + b64("true") + "\n"
                + "kind: Secret\n"
                + "metadata:\n"
                + "  creationTimestamp: \"2026-01-01T00:00:00Z\"\n"
                + "  name: bootstrap-token-" + id + "\n"
                + "  namespace: kube-system\n"
                + "  resourceVersion: \"1234\"\n"
                + "  uid: 8a1c0f2e-5b7d-4c1e-9d55-0d6f6c3b2a11\n"
                + "type: bootstrap.kubernetes.io/token\n";
    }

    static String stringDataSecret(String id, String secret) {
        return "apiVersion: v1\n"
                + "kind: Secret\n"
                + "metadata:\n"
                + "  name: bootstrap-token-" + id + "\n"
                + "type: bootstrap.kubernetes.io/token\n"
                + "stringData:\n"
                + "  token-id: " + id + "\n"
                + "  token-secret: \"" + secret + "\"\n"
                + "  usage-bootstrap-authentication: \"true\"\n";
    }

    private BootstrapTokenDirectory open() {
        store = BootstrapTokenDirectory.builder(dir).listener(listener).reloadInterval(Duration.ZERO).build();
        return store;
    }

    private AuthenticationResult authenticate(String token) {
        return BootstrapTokenAuthenticator.builder().store(store).clock(clock).build().authenticate(token, List.of());
    }

    private void write(String name, String text) throws IOException {
        Path temp = dir.resolve("." + name + ".tmp");
        Files.writeString(temp, text);
        Files.move(temp, dir.resolve(name), java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    @Test
    void readsKubectlOutputWithBase64Data() throws IOException {
        write("a.yaml", kubectlSecret("abcdef", SECRET_A));
        open();
        Authenticated ok = assertInstanceOf(Authenticated.class, authenticate(TOKEN_A));
        assertEquals("system:bootstrap:abcdef", ok.user().name());
        assertEquals(List.of("system:bootstrappers", "system:bootstrappers:kubeadm:default-node-token"),
                ok.user().groups());
        BootstrapTokenSecret s = store.find("bootstrap-token-abcdef").orElseThrow();
        assertEquals("true", s.get("usage-bootstrap-signing"));
        assertEquals("2026-01-02T00:00:00Z", s.get("expiration"));
        assertEquals(List.of("reloaded " + dir + " 1 bootstrap token Secrets from 1 files"), listener.events());
    }

    @Test
    void readsStringDataWhichWinsOverData() throws IOException {
        write("b.yml", stringDataSecret("bcdefa", SECRET_B));
        write("c.yaml", "apiVersion: v1\nkind: Secret\nmetadata: {name: bootstrap-token-cdefab, namespace: kube-system}\n"
                + "type: bootstrap.kubernetes.io/token\n"
                + "data: {token-id: " + b64("cdefab") + ", token-secret: " + b64("xxxxxxxxxxxxxxxx")
                + ", usage-bootstrap-authentication: " + b64("true") + "}\n"
                + "stringData: {token-secret: \"" + SECRET_B + "\"}\n");
        open();
        assertInstanceOf(Authenticated.class, authenticate(TOKEN_B));
        assertEquals(SECRET_B, store.find("bootstrap-token-cdefab").orElseThrow().get("token-secret"));
    }

    @Test
    void readsMultiDocumentFilesAndListsAndWarnsAboutOtherKindsTypesAndNamespaces() throws IOException {
        write("all.yaml", kubectlSecret("abcdef", SECRET_A)
                + "---\n"
                + "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cluster-info, namespace: kube-public}\ndata: {}\n"
                + "---\n"
                + "apiVersion: v1\nkind: Secret\nmetadata: {name: other, namespace: kube-system}\ntype: Opaque\n"
                + "data: {password: " + b64("hunter2hunter2") + "}\n"
                + "---\n"
                + "apiVersion: v1\nkind: Secret\nmetadata: {name: plain, namespace: kube-system}\n"
                + "---\n"
                + "apiVersion: v1\nkind: Secret\nmetadata: {name: bootstrap-token-zzzzzz, namespace: default}\n"
                + "type: bootstrap.kubernetes.io/token\n");
        write("list.json", "{\"apiVersion\": \"v1\", \"kind\": \"List\", \"items\": [" + jsonSecretB()
                + "], \"metadata\": {\"resourceVersion\": \"\"}}");
        open();
        assertEquals(2, store.size());
        assertInstanceOf(Authenticated.class, authenticate(TOKEN_A));
        assertInstanceOf(Authenticated.class, authenticate(TOKEN_B));
        Path all = dir.resolve("all.yaml");
        assertEquals(List.of(
                "warning " + all + " document 2: ignored: not a v1 Secret (apiVersion v1, kind ConfigMap)",
                "warning " + all + " document 3 (Secret other): ignored: type Opaque is not bootstrap.kubernetes.io/token",
                "warning " + all + " document 4 (Secret plain): ignored: type Opaque is not bootstrap.kubernetes.io/token",
                "warning " + all + " document 5 (Secret bootstrap-token-zzzzzz): ignored: in namespace default; "
                        + "bootstrap tokens are read from kube-system only"),
                listener.eventsStartingWith("warning"));
    }

    /** Token B's Secret as {@code kubectl get -o json} prints it. */
    private static String jsonSecretB() {
        return "{\"apiVersion\": \"v1\", \"kind\": \"Secret\", \"metadata\": {\"name\": \"bootstrap-token-bcdefa\","
                + " \"namespace\": \"kube-system\"}, \"type\": \"bootstrap.kubernetes.io/token\", \"data\": {"
                + "\"token-id\": \"" + b64("bcdefa") + "\", \"token-secret\": \"" + b64(SECRET_B) + "\","
                + " \"usage-bootstrap-authentication\": \"" + b64("true") + "\"}}";
    }

    @Test
    void aMalformedFileIsReportedAndSkippedWhileTheOthersWork() throws IOException {
        write("a.yaml", kubectlSecret("abcdef", SECRET_A));
        write("broken.yaml", "apiVersion: v1\nkind: Secret\nmetadata: {name: [unclosed\n");
        write("badbase64.yaml", "apiVersion: v1\nkind: Secret\nmetadata: {name: bootstrap-token-bcdefa}\n"
                + "type: bootstrap.kubernetes.io/token\ndata: {token-secret: \"not base64!\"}\n");
        write("bool.yaml", "apiVersion: v1\nkind: Secret\nmetadata: {name: bootstrap-token-cdefab}\n"
                + "type: bootstrap.kubernetes.io/token\nstringData: {usage-bootstrap-authentication: true}\n");
        write("noname.yaml", "apiVersion: v1\nkind: Secret\nmetadata: {}\ntype: bootstrap.kubernetes.io/token\n");
        open();
        assertEquals(1, store.size());
        assertInstanceOf(Authenticated.class, authenticate(TOKEN_A));
        List<String> warnings = listener.eventsStartingWith("warning");
        assertEquals(4, warnings.size(), warnings.toString());
        assertTrue(warnings.contains("warning " + dir.resolve("badbase64.yaml") + " malformed, skipped: "
                + dir.resolve("badbase64.yaml") + ": document 1 (Secret bootstrap-token-bcdefa): setting "
                + "'data.token-secret': is not valid base64"), warnings.toString());
        assertTrue(warnings.contains("warning " + dir.resolve("bool.yaml") + " malformed, skipped: "
                + dir.resolve("bool.yaml") + ": document 1 (Secret bootstrap-token-cdefab): setting "
                + "'stringData.usage-bootstrap-authentication': must be a string (quote it), found a Boolean"),
                warnings.toString());
        assertTrue(warnings.contains("warning " + dir.resolve("noname.yaml") + " malformed, skipped: "
                + dir.resolve("noname.yaml") + ": document 1: setting 'metadata.name': is required"), warnings.toString());
        assertTrue(warnings.stream().anyMatch(w -> w.startsWith("warning " + dir.resolve("broken.yaml")
                + " malformed, skipped: " + dir.resolve("broken.yaml") + ": not valid YAML")), warnings.toString());
    }

    @Test
    void aFileThatIsNotUtf8IsSkipped() throws IOException {
        write("a.yaml", kubectlSecret("abcdef", SECRET_A));
        Files.write(dir.resolve("latin1.yaml"), new byte[] {'k', 'i', 'n', 'd', ':', ' ', (byte) 0xE9, '\n'});
        open();
        assertEquals(1, store.size());
        assertEquals(List.of("warning " + dir.resolve("latin1.yaml") + " malformed, skipped: not UTF-8 text"),
                listener.eventsStartingWith("warning"));
    }

    @Test
    void aBadNewVersionOfAGoodFileKeepsItsLastGoodVersion() throws IOException {
        write("a.yaml", kubectlSecret("abcdef", SECRET_A));
        write("b.yaml", stringDataSecret("bcdefa", SECRET_B));
        open();
        write("a.yaml", "garbage: [");
        write("b.yaml", stringDataSecret("bcdefa", "ffffffffffffffff"));
        assertTrue(store.reloadIfChanged());
        assertInstanceOf(Authenticated.class, authenticate(TOKEN_A), "the last good a.yaml stays in force");
        assertEquals(RejectionReason.INVALID_CREDENTIAL, ((Rejected) authenticate(TOKEN_B)).reason(),
                "b.yaml's new version is in force");
        assertEquals(1, listener.eventsStartingWith("reloadFailed " + dir.resolve("a.yaml")).size(), listener.events().toString());
        write("a.yaml", "");
        assertTrue(store.reloadIfChanged());
        assertEquals(RejectionReason.NOT_FOUND, ((Rejected) authenticate(TOKEN_A)).reason(), "an empty file holds nothing");
    }

    @Test
    void reloadsWhenFilesAreAddedChangedAndRemoved() throws IOException {
        open();
        assertEquals(0, store.size());
        assertFalse(store.reloadIfChanged());
        write("a.yaml", kubectlSecret("abcdef", SECRET_A));
        assertTrue(store.reloadIfChanged());
        assertInstanceOf(Authenticated.class, authenticate(TOKEN_A));
        write("a.yaml", kubectlSecret("abcdef", SECRET_A).replace(b64("2026-01-02T00:00:00Z"), b64("2025-01-01T00:00:00Z")));
        assertTrue(store.reloadIfChanged());
        assertEquals(RejectionReason.EXPIRED, ((Rejected) authenticate(TOKEN_A)).reason());
        Files.delete(dir.resolve("a.yaml"));
        assertTrue(store.reloadIfChanged());
        assertEquals(RejectionReason.NOT_FOUND, ((Rejected) authenticate(TOKEN_A)).reason());
    }

    @Test
    void watchesTheDirectoryOnItsOwn() throws Exception {
        store = BootstrapTokenDirectory.builder(dir).listener(listener).reloadInterval(Duration.ofMillis(20)).build();
        write("a.yaml", kubectlSecret("abcdef", SECRET_A));
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (store.find("bootstrap-token-abcdef").isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertTrue(store.find("bootstrap-token-abcdef").isPresent(), "the watcher picked up the new file");
    }

    @Test
    void skipsHiddenFilesOtherExtensionsAndSubdirectories() throws IOException {
        Files.writeString(dir.resolve(".a.yaml"), kubectlSecret("abcdef", SECRET_A));
        Files.writeString(dir.resolve("a.txt"), kubectlSecret("abcdef", SECRET_A));
        Files.createDirectories(dir.resolve("..data"));
        Files.writeString(dir.resolve("..data").resolve("a.yaml"), kubectlSecret("abcdef", SECRET_A));
        Files.createDirectories(dir.resolve("sub.yaml"));
        open();
        assertEquals(0, store.size());
        assertTrue(listener.eventsStartingWith("warning").isEmpty(), listener.events().toString());
    }

    @Test
    void followsSymbolicLinksAsKubernetesVolumesUseThem() throws IOException {
        Path real = Files.createDirectories(dir.resolve("..2026_01_01"));
        Files.writeString(real.resolve("tokens.yaml"), kubectlSecret("abcdef", SECRET_A));
        Files.createSymbolicLink(dir.resolve("..data"), real.getFileName());
        Files.createSymbolicLink(dir.resolve("tokens.yaml"), Path.of("..data", "tokens.yaml"));
        open();
        assertInstanceOf(Authenticated.class, authenticate(TOKEN_A));
    }

    @Test
    void theFirstFileWinsADuplicateName() throws IOException {
        write("a.yaml", kubectlSecret("abcdef", SECRET_A));
        write("b.yaml", kubectlSecret("abcdef", "9999999999999999"));
        open();
        assertInstanceOf(Authenticated.class, authenticate(TOKEN_A));
        assertEquals(List.of("warning " + dir.resolve("b.yaml") + " Secret bootstrap-token-abcdef is also defined in "
                + "a.yaml; using that one"), listener.eventsStartingWith("warning"));
        write("c.yaml", stringDataSecret("bcdefa", SECRET_B));
        assertTrue(store.reloadIfChanged());
        assertEquals(1, listener.eventsStartingWith("warning").size(), "not reported again for unchanged files");
    }

    @Test
    void secretsMarkedForDeletionOrWithoutDataAreKeptForTheAuthenticatorToJudge() throws IOException {
        write("a.yaml", kubectlSecret("abcdef", SECRET_A).replace("  namespace: kube-system\n",
                "  namespace: kube-system\n  deletionTimestamp: \"2026-01-01T00:00:00Z\"\n"));
        write("b.yaml", "apiVersion: v1\nkind: Secret\nmetadata: {name: bootstrap-token-bcdefa}\n"
                + "type: bootstrap.kubernetes.io/token\n");
        open();
        assertEquals("Bootstrap secret kube-system/bootstrap-token-abcdef matching bearer token is deleted and awaiting "
                + "removal", ((Rejected) authenticate(TOKEN_A)).message());
        assertEquals("Bootstrap secret kube-system/bootstrap-token-bcdefa matching bearer token has invalid type, "
                + "expected bootstrap.kubernetes.io/token.", ((Rejected) authenticate(TOKEN_B)).message());
    }

    @Test
    void aSecretNotNamedForItsTokenIsKeptButWarnedAbout() throws IOException {
        write("a.yaml", kubectlSecret("abcdef", SECRET_A).replace("name: bootstrap-token-abcdef", "name: bad-name"));
        open();
        assertEquals(List.of("warning " + dir.resolve("a.yaml") + " document 1 (Secret bad-name): not named "
                + "bootstrap-token-<token-id>, so no bootstrap token can match it"), listener.eventsStartingWith("warning"));
        assertEquals(RejectionReason.NOT_FOUND, ((Rejected) authenticate(TOKEN_A)).reason());
    }

    @Test
    void aMissingDirectoryFailsTheBuild() {
        ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> BootstrapTokenDirectory.builder(dir.resolve("absent")).build());
        assertEquals(dir.resolve("absent") + ": setting 'secretsDirectory': is not a directory", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> BootstrapTokenDirectory.builder(dir).reloadInterval(Duration.ofSeconds(-1)));
    }

    @Test
    void writesManifestsAtomicallyAndRefusesAnExistingName() throws IOException {
        open();
        BootstrapTokenGenerator generator = BootstrapTokenGenerator.builder().clock(clock).build();
        GeneratedBootstrapToken token = generator.generate();
        LogCapture.secret(token.token());
        Path file = store.write(token.secret());
        assertEquals(dir.resolve("bootstrap-token-" + token.id() + ".yaml"), file);
        assertInstanceOf(Authenticated.class, authenticate(token.token()), "visible as soon as write returns");
        assertEquals(token.secret(), store.find(token.secret().name()).orElseThrow());
        if (Files.getFileStore(file).supportsFileAttributeView("posix")) {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        }
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(file), files.toList(), "no temporary file is left behind");
        }
        FileAlreadyExistsException e = assertThrows(FileAlreadyExistsException.class, () -> store.write(token.secret()));
        assertTrue(e.getMessage().contains("a Secret named " + token.secret().name() + " already exists"), e.getMessage());
        // A file of that name that the store has not read yet is not replaced either.
        GeneratedBootstrapToken other = generator.generate();
        Files.writeString(dir.resolve(".hold"), "");
        Files.move(dir.resolve(".hold"), dir.resolve(other.secret().name() + ".yaml"));
        store.close();
        assertThrows(FileAlreadyExistsException.class, () -> store.write(other.secret()));
    }

    @Test
    void writtenManifestsReadLikeKubectlOutput() {
        String manifest = SecretManifests.write(BootstrapTokenSecret.of(Map.of("token-id", "abcdef",
                "token-secret", SECRET_A, "usage-bootstrap-authentication", "true", "description", "für node-1: \"x\"")));
        assertEquals("apiVersion: v1\n"
                + "kind: Secret\n"
                + "metadata:\n"
                + "  name: bootstrap-token-abcdef\n"
                + "  namespace: kube-system\n"
                + "type: bootstrap.kubernetes.io/token\n"
                + "data:\n"
                + "  description: " + b64("für node-1: \"x\"") + "\n"
                + "  token-id: " + b64("abcdef") + "\n"
                + "  token-secret: " + b64(SECRET_A) + "\n"
                + "  usage-bootstrap-authentication: " + b64("true") + "\n", manifest);
        assertEquals(List.of(BootstrapTokenSecret.of(Map.of("token-id", "abcdef", "token-secret", SECRET_A,
                        "usage-bootstrap-authentication", "true", "description", "für node-1: \"x\""))),
                SecretManifests.parse(manifest, "m", w -> { }));
        assertThrows(IllegalArgumentException.class, () -> SecretManifests.write(
                BootstrapTokenSecret.of(Map.of("token-id", "abcdef", "bad key", "x"))));
        assertThrows(IllegalArgumentException.class, () -> SecretManifests.write(
                BootstrapTokenSecret.of(Map.of("token-id", "abcdef")).withDeleted(true)));
    }
}
