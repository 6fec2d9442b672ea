package io.gatehouse.examples.adversarial;

import io.gatehouse.bootstrap.BootstrapTokenAuthenticator;
import io.gatehouse.bootstrap.BootstrapTokenDirectory;
import io.gatehouse.bootstrap.BootstrapTokenGenerator;
import io.gatehouse.bootstrap.GeneratedBootstrapToken;
import io.gatehouse.core.AuthenticationChain;
import io.gatehouse.core.AuthenticationRequest;
import io.gatehouse.core.AuthenticationResult.Authenticated;
import io.gatehouse.core.AuthenticationResult;
import io.gatehouse.core.TokenCachePolicy;
import io.gatehouse.core.testing.LogCapture;
import io.gatehouse.core.testing.RecordingListener;
import io.gatehouse.oidc.ReloadingOidcAuthenticator;
import io.gatehouse.statictoken.StaticTokenAuthenticator;
import io.gatehouse.testing.ScriptedIdp;
import io.gatehouse.testing.TestPki;
import io.gatehouse.x509.X509Authenticator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every watched file (token CSV, CA bundle, Secret directory, AuthenticationConfiguration) replaced by garbage,
 * by a half-written version, deleted, then restored, while request threads run: every request is answered
 * from the last good version (never from an empty or partial one) until a good version returns, which then
 * takes effect by itself.
 */
class FileReloadFaultTest {

    static final Duration RELOAD = Duration.ofMillis(10);
    /**
     * How long each state of a file stays, so that the watcher sees it several times: longer than the settle
     * time, since a replaced file can get the inode of the one it replaced and then counts as written in place.
     */
    static final long HOLD_MILLIS = io.gatehouse.core.internal.ReloadingFile.SETTLE_TIME.toMillis() + 250;

    @TempDir
    Path dir;

    private final RecordingListener events = new RecordingListener();

    /** Writes {@code content} beside {@code file} and renames it into place, as Kubernetes' atomic writer does. */
    static void replace(Path file, String content) throws IOException {
        Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
        Files.writeString(tmp, content, StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** The file's states in order; after each the watcher gets {@link #HOLD_MILLIS}. Null deletes the file. */
    private static void play(Path file, List<String> states) throws Exception {
        for (String state : states) {
            if (state == null) {
                Files.deleteIfExists(file);
            } else {
                replace(file, state);
            }
            Thread.sleep(HOLD_MILLIS);
        }
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "timed out waiting until " + what);
            Thread.sleep(10);
        }
    }

    /** Requests for {@code always} must authenticate as its user in every state; {@code maybe} as its user or not at all. */
    private static Workers hammer(AuthenticationChain chain, AuthenticationRequest always, String alwaysUser,
                                  AuthenticationRequest maybe, String maybeUser) {
        return new Workers().start(Workers.threadCount(), n -> {
            AuthenticationResult a = chain.authenticate(always);
            if (!(a instanceof Authenticated ok) || !ok.user().name().equals(alwaysUser)) {
                throw new AssertionError("the last good version did not serve: " + a);
            }
            AuthenticationResult b = chain.authenticate(maybe);
            if (b instanceof Authenticated other && !other.user().name().equals(maybeUser)) {
                throw new AssertionError("authenticated as " + other.user().name());
            }
        });
    }

    private void assertReportedWithoutSecrets(int failures, List<String> secrets) {
        List<String> failed = events.eventsStartingWith("reloadFailed");
        assertTrue(failed.size() >= failures, () -> "every bad version is reported: " + events.events());
        for (String e : events.events()) {
            for (String s : secrets) {
                assertFalse(e.contains(s), "an event quotes a secret: " + e.replace(s, "<secret>"));
            }
        }
    }

    @Test
    void tokenFile() throws Exception {
        String alice = LogCapture.secret("4f1c9a7e2b6d8f03a5c7e9b1d3f5a7c9");
        String bob = LogCapture.secret("8e2d4c6b0a9f7e5d3c1b9a8f6e4d2c0b");
        String v1 = alice + ",alice,uid-a,\"dev\"\n";
        String v2 = v1 + bob + ",bob,uid-b,\"ops,dev\"\n";
        Path file = dir.resolve("tokens.csv");
        replace(file, v1);
        try (StaticTokenAuthenticator tokens = StaticTokenAuthenticator.builder().file(file).reloadInterval(RELOAD).listener(events).build();
             AuthenticationChain chain = AuthenticationChain.builder().addToken("static-token", tokens)
                     .tokenCache(TokenCachePolicy.DISABLED).listener(events).build()) {
            Workers w = hammer(chain, AuthenticationRequest.bearer(alice), "alice", AuthenticationRequest.bearer(bob), "bob");
            String half = v2.substring(0, v2.indexOf(",bob") + 3);
            play(file, java.util.Arrays.asList("\u0000\u0001garbage,\"unterminated\n", half, null, v2, "<html>502</html>", half, null));
            replace(file, v2);
            await(() -> chain.authenticate(AuthenticationRequest.bearer(bob)).isAuthenticated(), "the good file is back");
            w.stop();
            assertTrue(w.problems.isEmpty(), () -> w.problems.size() + " bad verdicts, e.g. " + w.problems.peek());
        }
        assertReportedWithoutSecrets(4, List.of(alice, bob));
    }

    /**
     * A writer that rewrites the token file in place (truncate, then write, as {@code cat > tokens.csv} or many
     * editors do) leaves a moment where the file is empty; an empty token file is valid (Kubernetes' semantics:
     * no tokens), so a watcher could swap in an empty table. Before core's ReloadingFile waited for a changed file
     * to settle, rewriting the same content in a loop for 3 s made 98% of 24 million checks of a listed token fail.
     */
    @Test
    void anInPlaceRewriteNeverServesAnEmptyTable() throws Exception {
        String alice = LogCapture.secret("5a7c9e1b3d5f7a9c1e3b5d7f9a1c3e5b");
        String v = alice + ",alice,uid-a\n" + "x".repeat(20_000) + ",filler,uid-f\n";
        Path file = dir.resolve("tokens.csv");
        Files.writeString(file, v);
        try (StaticTokenAuthenticator tokens = StaticTokenAuthenticator.builder().file(file).reloadInterval(Duration.ofMillis(1))
                .listener(events).build()) {
            Workers w = new Workers().start(2, n -> {
                if (!tokens.authenticate(alice, List.of()).isAuthenticated()) {
                    throw new AssertionError("a request saw a table without alice");
                }
            });
            long end = System.nanoTime() + Duration.ofSeconds(1).toNanos();
            while (System.nanoTime() < end) {
                Files.writeString(file, v);
            }
            w.stop();
            assertTrue(w.problems.isEmpty(), () -> w.problems.size() + " requests saw an empty table");
        }
    }

    @Test
    void caBundle() throws Exception {
        Instant now = Instant.now();
        TestPki.Issued ca1 = TestPki.ca("reload-ca-1", now);
        TestPki.Issued ca2 = TestPki.ca("reload-ca-2", now);
        X509AuthenticatorRequests certs = new X509AuthenticatorRequests(
                TestPki.client(ca1, "alice", List.of(), now), TestPki.client(ca2, "bob", List.of(), now));
        String v1 = TestPki.pemOf(ca1.cert());
        String v2 = TestPki.pemOf(ca2.cert(), ca1.cert());
        // The second certificate cut off in its middle: a reader that keeps the blocks before it would trust ca2 alone.
        String half = v2.substring(0, TestPki.pemOf(ca2.cert()).length() + v1.length() / 2);
        Path file = dir.resolve("ca.pem");
        replace(file, v1);
        try (X509Authenticator x509 = X509Authenticator.builder().clientCaFile(file).reloadInterval(RELOAD).cacheMaximumSize(0)
                .listener(events).build();
             AuthenticationChain chain = AuthenticationChain.builder().add("x509", x509).listener(events).build()) {
            Workers w = hammer(chain, certs.alice, "alice", certs.bob, "bob");
            play(file, java.util.Arrays.asList("garbage\n", half, null, v2, "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n",
                    half, "", null));
            replace(file, v2);
            await(() -> chain.authenticate(certs.bob).isAuthenticated(), "the good bundle is back");
            w.stop();
            assertTrue(w.problems.isEmpty(), () -> w.problems.size() + " bad verdicts, e.g. " + w.problems.peek());
        }
        assertReportedWithoutSecrets(5, List.of());
    }

    @Test
    void crlFile() throws Exception {
        Instant now = Instant.now();
        TestPki.Issued ca = TestPki.ca("reload-crl-ca", now);
        X509AuthenticatorRequests certs = new X509AuthenticatorRequests(
                TestPki.client(ca, "alice", List.of(), now), TestPki.client(ca, "bob", List.of(), now));
        X509Certificate bobCert = certs.bob().peerCertificates().get(0);
        String revokesBob = TestPki.pemOf(TestPki.crl(ca, now, 1, bobCert));
        String revokesNone = TestPki.pemOf(TestPki.crl(ca, now, 2));
        Path file = dir.resolve("ca.crl");
        replace(file, revokesBob);
        try (X509Authenticator x509 = X509Authenticator.builder().trustAnchors(List.of(ca.cert())).crlFiles(List.of(file))
                .reloadInterval(RELOAD).cacheMaximumSize(0).listener(events).build();
             AuthenticationChain chain = AuthenticationChain.builder().add("x509", x509).listener(events).build()) {
            // Bob is revoked in the last good CRL: a broken or missing CRL must never un-revoke him.
            Workers w = new Workers().start(Workers.threadCount(), n -> {
                AuthenticationResult a = chain.authenticate(certs.alice());
                if (!(a instanceof Authenticated ok) || !ok.user().name().equals("alice")) {
                    throw new AssertionError("the last good CRL did not serve: " + a);
                }
                if (chain.authenticate(certs.bob()).isAuthenticated()) {
                    throw new AssertionError("a revoked certificate was accepted");
                }
            });
            play(file, java.util.Arrays.asList("garbage", revokesBob.substring(0, revokesBob.length() / 2), null, "",
                    "-----BEGIN X509 CRL-----\nMAA=\n-----END X509 CRL-----\n"));
            w.stop();
            assertTrue(w.problems.isEmpty(), () -> w.problems.size() + " bad verdicts, e.g. " + w.problems.peek());
            replace(file, revokesNone);
            await(() -> chain.authenticate(certs.bob()).isAuthenticated(), "the new CRL is read");
        }
        assertReportedWithoutSecrets(4, List.of());
    }

    /** Requests presenting each user's client certificate. */
    private record X509AuthenticatorRequests(AuthenticationRequest alice, AuthenticationRequest bob) {
        X509AuthenticatorRequests(TestPki.Issued a, TestPki.Issued b) {
            this(AuthenticationRequest.builder().peerCertificates(List.of(a.cert())).build(),
                    AuthenticationRequest.builder().peerCertificates(List.of(b.cert())).build());
        }
    }

    @Test
    void secretDirectory() throws Exception {
        BootstrapTokenGenerator generator = BootstrapTokenGenerator.builder().build();
        GeneratedBootstrapToken alice = generator.generate();
        GeneratedBootstrapToken bob = generator.generate();
        List<String> secrets = List.of(LogCapture.secret(alice.token()), LogCapture.secret(alice.secret().get("token-secret")),
                LogCapture.secret(bob.token()), LogCapture.secret(bob.secret().get("token-secret")));
        Path secretsDir = dir.resolve("secrets");
        Files.createDirectories(secretsDir);
        Path aliceFile = secretsDir.resolve("alice.yaml");
        Path bobFile = secretsDir.resolve("bob.yaml");
        replace(aliceFile, manifest(alice));
        try (BootstrapTokenDirectory store = BootstrapTokenDirectory.builder(secretsDir).reloadInterval(RELOAD).listener(events).build();
             BootstrapTokenAuthenticator bootstrap = BootstrapTokenAuthenticator.builder().store(store).build();
             AuthenticationChain chain = AuthenticationChain.builder().addToken("bootstrap-token", bootstrap)
                     .tokenCache(TokenCachePolicy.DISABLED).listener(events).build()) {
            String aliceUser = "system:bootstrap:" + alice.id();
            String bobUser = "system:bootstrap:" + bob.id();
            Workers w = hammer(chain, AuthenticationRequest.bearer(alice.token()), aliceUser,
                    AuthenticationRequest.bearer(bob.token()), bobUser);
            String full = manifest(alice);
            play(aliceFile, java.util.Arrays.asList("kind: [unterminated\n", full.substring(0, full.indexOf("token-secret") + 16),
                    "{\"apiVersion\": 7}", full));
            // The whole directory gone (an unmounted volume), then back with a second Secret.
            Path away = dir.resolve("secrets-away");
            Files.move(secretsDir, away, StandardCopyOption.ATOMIC_MOVE);
            Thread.sleep(HOLD_MILLIS);
            Files.move(away, secretsDir, StandardCopyOption.ATOMIC_MOVE);
            replace(bobFile, manifest(bob));
            await(() -> chain.authenticate(AuthenticationRequest.bearer(bob.token())).isAuthenticated(), "the second Secret is read");
            w.stop();
            assertTrue(w.problems.isEmpty(), () -> w.problems.size() + " bad verdicts, e.g. " + w.problems.peek());
        }
        assertReportedWithoutSecrets(3, secrets);
    }

    private static String manifest(GeneratedBootstrapToken t) {
        return "apiVersion: v1\nkind: Secret\nmetadata:\n  name: bootstrap-token-" + t.id() + "\n  namespace: kube-system\n"
                + "type: bootstrap.kubernetes.io/token\nstringData:\n  token-id: " + t.id() + "\n  token-secret: \""
                + t.secret().get("token-secret") + "\"\n  usage-bootstrap-authentication: \"true\"\n";
    }

    @Test
    void authenticationConfiguration() throws Exception {
        KeyPair key = TestPki.rsaKey();
        try (ScriptedIdp idp = new ScriptedIdp()) {
            idp.keys(List.of("k1"), List.of(key));
            String first = idp.issuer("first");
            String second = idp.issuer("second");
            String v1 = config(idp, first);
            String v2 = config(idp, first, second);
            Path file = dir.resolve("auth.yaml");
            replace(file, v1);
            try (ReloadingOidcAuthenticator oidc = ReloadingOidcAuthenticator.watch(file, RELOAD, Duration.ofSeconds(5),
                    b -> b.fetchTimeouts(Duration.ofMillis(300), Duration.ofSeconds(1)).retryBackoff(Duration.ofMillis(50), Duration.ofMillis(200)),
                    events);
                 AuthenticationChain chain = AuthenticationChain.builder().addToken("oidc", oidc)
                         .tokenCache(TokenCachePolicy.DISABLED).listener(events).build()) {
                AuthenticationRequest alice = AuthenticationRequest.bearer(Jws.idToken(first, "k1", key, "alice"));
                AuthenticationRequest bob = AuthenticationRequest.bearer(Jws.idToken(second, "k1", key, "bob"));
                await(() -> chain.authenticate(alice).isAuthenticated(), "the first issuer's keys are fetched");
                Workers w = hammer(chain, alice, "alice", bob, "bob");
                play(file, java.util.Arrays.asList("apiVersion: [", v2.substring(0, v2.length() / 2 + 7), null, "", v1));
                replace(file, v2);
                await(() -> chain.authenticate(bob).isAuthenticated(), "the good configuration is back");
                w.stop();
                assertTrue(w.problems.isEmpty(), () -> w.problems.size() + " bad verdicts, e.g. " + w.problems.peek());
                assertEquals(List.of(first, second), oidc.issuerUrls());
            }
        }
        assertReportedWithoutSecrets(3, List.of());
    }

    private static String config(ScriptedIdp idp, String... issuers) {
        StringBuilder b = new StringBuilder("apiVersion: apiserver.config.k8s.io/v1\nkind: AuthenticationConfiguration\njwt:\n");
        for (String issuer : issuers) {
            b.append("- issuer:\n    url: ").append(issuer).append("\n    audiences: [gatehouse]\n    certificateAuthority: |\n");
            ScriptedIdp.caPem().lines().forEach(l -> b.append("      ").append(l).append('\n'));
            b.append("  claimMappings:\n    username: {claim: sub, prefix: \"\"}\n");
        }
        return b.toString();
    }

}
