package io.gatehouse.examples.adversarial;

import io.gatehouse.bootstrap.BootstrapTokenDirectory;
import io.gatehouse.bootstrap.BootstrapTokenGenerator;
import io.gatehouse.bootstrap.GeneratedBootstrapToken;
import io.gatehouse.core.AuthenticationChain;
import io.gatehouse.core.AuthenticationListener;
import io.gatehouse.core.ChainConfigLoader;
import io.gatehouse.core.ConfigurationException;
import io.gatehouse.core.testing.LogCapture;
import io.gatehouse.core.testing.RecordingListener;
import io.gatehouse.oidc.AuthenticationConfiguration;
import io.gatehouse.serviceaccount.ServiceAccountKeys;
import io.gatehouse.statictoken.StaticTokenAuthenticator;
import io.gatehouse.testing.TestPki;
import io.gatehouse.x509.X509Authenticator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.BeforeProperty;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every configuration input Gatehouse reads (token CSV, Secret manifests, PEM bundles of CAs and of service
 * account keys, AuthenticationConfiguration, the chain YAML), valid files with one thing broken and YAML
 * bombs: the reader either accepts the file or throws one {@link ConfigurationException} with a message,
 * never any other exception, and never quotes a secret. The Secret directory, which by design skips a bad
 * file, reports it as an event instead.
 */
@AddLifecycleHook(LongProfile.class)
class HostileConfigPropertiesTest {

    enum Format { TOKEN_CSV, SECRET_MANIFEST, CA_BUNDLE, SA_KEYS, AUTH_CONFIG, CHAIN_YAML }

    /** A mutated file: which format, what was done, and the text. */
    record Input(Format format, String edit, String text) {
        @Override
        public String toString() {
            return format + " / " + edit + " (" + text.length() + " chars)";
        }
    }

    private static final Seeds SEEDS = new Seeds();
    private Path dir;

    @BeforeProperty
    void directory() throws IOException {
        dir = Files.createTempDirectory("gatehouse-hostile-config");
        SEEDS.writeSupportFiles(dir);
    }

    @AfterProperty
    void delete() throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Provide
    Arbitrary<Input> files() {
        Arbitrary<Format> format = Arbitraries.of(Format.values());
        return Combinators.combine(format, edits()).as((f, e) -> new Input(f, e.name(), e.apply(SEEDS.text(f))));
    }

    @Property(tries = 250)
    void aBrokenFileIsOneConfigurationExceptionOrAccepted(@ForAll("files") Input input) throws IOException {
        Path file = dir.resolve(switch (input.format()) {
            case TOKEN_CSV -> "tokens.csv";
            case SECRET_MANIFEST -> "secrets/bootstrap-token.yaml";
            case CA_BUNDLE -> "ca.pem";
            case SA_KEYS -> "sa.pem";
            case AUTH_CONFIG -> "auth.yaml";
            case CHAIN_YAML -> "chain.yaml";
        });
        Files.createDirectories(file.getParent());
        // "raw" edits are bytes, not text: written as Latin-1 they make invalid UTF-8 (a lone 0xff, a cut sequence).
        Files.write(file, input.text().getBytes(input.edit().startsWith("raw ") ? StandardCharsets.ISO_8859_1 : StandardCharsets.UTF_8));
        RecordingListener events = new RecordingListener();
        try {
            read(input.format(), file, events);
        } catch (ConfigurationException e) {
            assertTrue(e.getMessage() != null && !e.getMessage().isBlank(), () -> input + ": an error without a message");
            assertNoSecret(input, e.getMessage());
            for (Throwable s : e.getSuppressed()) {
                assertNoSecret(input, String.valueOf(s.getMessage()));
            }
        } catch (RuntimeException | StackOverflowError | OutOfMemoryError e) {
            throw new AssertionError(input + " threw " + e.getClass().getName() + " instead of a ConfigurationException", e);
        } finally {
            // The Secret directory must be read fresh next time; other files are overwritten.
            Files.deleteIfExists(file);
        }
        events.events().forEach(line -> assertNoSecret(input, line));
    }

    private void read(Format format, Path file, RecordingListener events) {
        switch (format) {
            case TOKEN_CSV -> StaticTokenAuthenticator.builder().file(file).reloadInterval(Duration.ZERO).listener(events).build().close();
            case SECRET_MANIFEST -> {
                // A directory never fails to load for one bad file: the file is skipped and reported.
                try (BootstrapTokenDirectory d = BootstrapTokenDirectory.builder(file.getParent()).listener(events)
                        .reloadInterval(Duration.ZERO).build()) {
                    assertTrue(d.size() <= 1);
                }
            }
            case CA_BUNDLE -> X509Authenticator.builder().clientCaFile(file).reloadInterval(Duration.ZERO)
                    .listener(AuthenticationListener.NONE).build().close();
            case SA_KEYS -> ServiceAccountKeys.readPublicKeys(file);
            case AUTH_CONFIG -> AuthenticationConfiguration.load(file);
            case CHAIN_YAML -> {
                try (AuthenticationChain chain = ChainConfigLoader.create().listener(events).load(file)) {
                    assertTrue(chain.apiAudiences().size() <= 10);
                }
            }
        }
    }

    private static void assertNoSecret(Input input, String text) {
        for (String secret : SEEDS.secrets) {
            assertFalse(text.contains(secret), () -> input + ": a message quotes a secret");
        }
        assertFalse(text.contains("PRIVATE KEY"), () -> input + ": a message quotes a private key");
        assertFalse(text.contains(SEEDS.privateKeyBody), () -> input + ": a message quotes a private key");
    }

    // ---- edits ----------------------------------------------------------------------------------------------

    private record Edit(String name, java.util.function.UnaryOperator<String> f) {
        String apply(String s) {
            return f.apply(s);
        }
    }

    private static final List<String> INSERTS = List.of("\t", "&a ", "*a", "*undefined", "!!binary ", "!!java.lang.Object ",
            "<<: *a\n", "{", "[", "]", "'", "\"", "%YAML 1.1\n", "\n---\n", "\n...\n", "\u0000", "\ufeff", "? ", ": ", "- ",
            "#", ",", "\\", "\r", "\u2028", "\ud800", "-----BEGIN CERTIFICATE-----\n", "-----END CERTIFICATE-----\n", "=",
            "99999999999999999999999", "-1", "1e400", "0x", "~", "null", "\"\"", "sha256:", "%");

    private static Arbitrary<Edit> edits() {
        Arbitrary<Integer> at = Arbitraries.integers().between(0, 1_000_000);
        Arbitrary<String> insert = Arbitraries.of(INSERTS);
        Arbitrary<Character> ch = Arbitraries.chars().all();
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(1, Arbitraries.just(new Edit("unchanged", s -> s))),
                net.jqwik.api.Tuple.of(6, Combinators.combine(at, ch).as((i, c) -> new Edit("replace char",
                        s -> s.isEmpty() ? "" + c : s.substring(0, i % s.length()) + c + s.substring(i % s.length() + 1)))),
                net.jqwik.api.Tuple.of(4, at.map(i -> new Edit("delete char",
                        s -> s.isEmpty() ? s : s.substring(0, i % s.length()) + s.substring(i % s.length() + 1)))),
                net.jqwik.api.Tuple.of(8, Combinators.combine(at, insert).as((i, x) -> new Edit("insert " + Mutations.visible(x),
                        s -> s.substring(0, i % (s.length() + 1)) + x + s.substring(i % (s.length() + 1))))),
                net.jqwik.api.Tuple.of(3, at.map(i -> new Edit("delete line", s -> lines(s, i, (l, k) -> l.remove(k))))),
                net.jqwik.api.Tuple.of(3, at.map(i -> new Edit("duplicate line", s -> lines(s, i, (l, k) -> l.add(k, l.get(k)))))),
                net.jqwik.api.Tuple.of(2, at.map(i -> new Edit("indent line", s -> lines(s, i, (l, k) -> l.set(k, "   " + l.get(k)))))),
                net.jqwik.api.Tuple.of(3, at.map(i -> new Edit("half written", s -> s.substring(0, i % (s.length() + 1))))),
                net.jqwik.api.Tuple.of(4, Arbitraries.of(
                        new Edit("empty", s -> ""),
                        new Edit("only whitespace", s -> " \n\t\n"),
                        new Edit("binary garbage", s -> new String(new byte[] {(byte) 0xff, (byte) 0xfe, 0, 1, 2, (byte) 0x80}, StandardCharsets.ISO_8859_1)),
                        new Edit("raw invalid UTF-8", s -> new String(s.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1) + "\u00ff\u00c3"),
                        new Edit("raw UTF-16", s -> new String(s.getBytes(StandardCharsets.UTF_16), StandardCharsets.ISO_8859_1)),
                        new Edit("HTML", s -> "<html><body>502 Bad Gateway</body></html>"),
                        new Edit("JSON", s -> "{\"kind\":[1,2,{\"a\":null}]}"),
                        new Edit("CRLF", s -> s.replace("\n", "\r\n")),
                        new Edit("BOM", s -> "\ufeff" + s),
                        new Edit("billion laughs", s -> billionLaughs() + s),
                        new Edit("billion laughs in a value", s -> s.replaceFirst(":\\s*\\S.*", ": *i\n" + billionLaughs().replace("\n", "\n  "))),
                        new Edit("deep flow nesting", s -> s + "\nz: " + "[".repeat(10_000) + "]".repeat(10_000) + "\n"),
                        new Edit("deep block nesting", s -> s + "\n" + deepBlock(200)),
                        new Edit("deep nesting at the start", s -> "{a: ".repeat(5_000) + "1" + "}".repeat(5_000)),
                        new Edit("huge scalar", s -> s + "\nbig: " + "x".repeat(3_000_000) + "\n"),
                        new Edit("huge line", s -> "x".repeat(2_000_000) + "," + s),
                        new Edit("many aliases", s -> "a: &a x\nb: [" + "*a, ".repeat(200_000) + "*a]\n" + s),
                        new Edit("recursive alias", s -> "&r [*r]\n" + s),
                        new Edit("anchor on a key", s -> "? &k [a]\n: 1\n*k : 2\n" + s),
                        new Edit("ten thousand lines", s -> s + "\n".repeat(10_000) + s),
                        new Edit("repeated document", s -> s + "\n---\n" + s),
                        new Edit("object tag", s -> "!!javax.script.ScriptEngineManager [!!java.net.URLClassLoader [[!!java.net.URL [\"http://127.0.0.1:1/\"]]]]\n" + s)))
        );
    }

    private static String billionLaughs() {
        StringBuilder b = new StringBuilder("a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
        char prev = 'a';
        for (char c = 'b'; c <= 'i'; c++) {
            b.append(c).append(": &").append(c).append(" [").append(String.join(",", java.util.Collections.nCopies(9, "*" + prev))).append("]\n");
            prev = c;
        }
        return b.toString();
    }

    private static String deepBlock(int depth) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < depth; i++) {
            b.append(" ".repeat(i)).append("k").append(i).append(":\n");
        }
        return b.append(" ".repeat(depth)).append("v\n").toString();
    }

    private static String lines(String s, int i, java.util.function.BiConsumer<List<String>, Integer> change) {
        List<String> l = new ArrayList<>(List.of(s.split("\n", -1)));
        change.accept(l, i % l.size());
        return String.join("\n", l);
    }

    // ---- valid seeds ----------------------------------------------------------------------------------------

    /** One valid file per format, and the secrets they hold. */
    private static final class Seeds {
        final List<String> secrets = new ArrayList<>();
        final String tokenCsv;
        final String secretManifest;
        final String caBundle;
        final String saKeys;
        final String authConfig;
        final String chainYaml;
        final String privateKeyBody;
        final String supportCa;
        final String supportTokens;

        Seeds() {
            String t1 = secret("a3f9c2e1b7d04f6a8e2c9b1d7f3a5e0c");
            String t2 = secret("9b8a7c6d5e4f3a2b1c0d9e8f7a6b5c4d");
            tokenCsv = t1 + ",alice,uid-1,\"dev,ops\"\n" + t2 + ",bob,uid-2\nsha256:"
                    + "0".repeat(64) + ",carol,uid-3,\"\"\n";
            GeneratedBootstrapToken b = BootstrapTokenGenerator.builder().build().generate();
            secret(b.token());
            String bootstrapSecret = secret(b.secret().get("token-secret"));
            secretManifest = "apiVersion: v1\nkind: Secret\nmetadata:\n  name: bootstrap-token-" + b.id() + "\n  namespace: kube-system\n"
                    + "type: bootstrap.kubernetes.io/token\nstringData:\n  token-id: " + b.id() + "\n  token-secret: \""
                    + bootstrapSecret + "\"\n  usage-bootstrap-authentication: \"true\"\n  auth-extra-groups: system:bootstrappers:x\n"
                    + "data:\n  description: " + java.util.Base64.getEncoder().encodeToString("a node".getBytes(StandardCharsets.UTF_8)) + "\n";
            java.time.Instant now = java.time.Instant.now();
            TestPki.Issued ca = TestPki.ca("config-ca", now);
            caBundle = TestPki.pemOf(ca.cert(), TestPki.intermediate(ca, "config-intermediate", now).cert());
            java.security.KeyPair sa = TestPki.ecKey();
            String privatePem = TestPki.pemOf(sa.getPrivate());
            privateKeyBody = privatePem.lines().filter(l -> !l.startsWith("-----")).findFirst().orElseThrow();
            LogCapture.secret(privateKeyBody);
            saKeys = TestPki.pemOf(TestPki.rsaKey().getPublic()) + privatePem + TestPki.pemOf(ca.cert());
            authConfig = """
                    apiVersion: apiserver.config.k8s.io/v1
                    kind: AuthenticationConfiguration
                    jwt:
                    - issuer:
                        url: https://auth.example.com
                        audiences: [my-client, other]
                        audienceMatchPolicy: MatchAny
                      claimValidationRules:
                      - claim: hd
                        requiredValue: example.com
                      claimMappings:
                        username: {claim: email, prefix: ""}
                        groups: {claim: groups, prefix: "oidc:"}
                        uid: {claim: sub}
                    """;
            chainYaml = """
                    apiAudiences: [https://kubernetes.default.svc]
                    anonymous: false
                    tokenCache: {successTtl: 10s, failureTtl: 0s, maximumSize: 1000}
                    reloadInterval: 0s
                    authenticators:
                      - type: x509
                        clientCaFile: support-ca.pem
                        allowedCommonNames: [front-proxy]
                      - type: static-token
                        file: support-tokens.csv
                      - type: bootstrap-token
                        secretsDirectory: support-secrets
                      - type: service-account
                        keyFiles: [support-sa.pem]
                        issuers: [https://kubernetes.default.svc]
                    """;
            supportCa = caBundle;
            supportTokens = tokenCsv;
        }

        private String secret(String s) {
            secrets.add(s);
            return LogCapture.secret(s);
        }

        void writeSupportFiles(Path dir) throws IOException {
            Files.writeString(dir.resolve("support-ca.pem"), supportCa);
            Files.writeString(dir.resolve("support-tokens.csv"), supportTokens);
            Files.createDirectories(dir.resolve("support-secrets"));
            Files.writeString(dir.resolve("support-sa.pem"), saKeys);
        }

        String text(Format f) {
            return switch (f) {
                case TOKEN_CSV -> tokenCsv;
                case SECRET_MANIFEST -> secretManifest;
                case CA_BUNDLE -> caBundle;
                case SA_KEYS -> saKeys;
                case AUTH_CONFIG -> authConfig;
                case CHAIN_YAML -> chainYaml;
            };
        }
    }

}
