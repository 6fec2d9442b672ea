package io.gatehouse.bootstrap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gatehouse.core.AuthenticationListener;
import io.gatehouse.core.AuthenticationResult.Abstained;
import io.gatehouse.core.AuthenticationResult.Authenticated;
import io.gatehouse.core.AuthenticationResult.Rejected;
import io.gatehouse.core.AuthenticationResult;
import io.gatehouse.core.RejectionReason;
import io.gatehouse.core.testing.MutableClock;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

/**
 * The properties: generated tokens authenticate until their expiry and not after; anything not of the
 * bootstrap shape abstains; a directory reloaded under concurrent reads never shows an empty or partial store.
 */
class BootstrapTokenPropertiesTest {

    private static final Pattern FORMAT = Pattern.compile("\\A[a-z0-9]{6}\\.[a-z0-9]{16}\\z");

    @Property(tries = 200)
    void generatedTokensAuthenticateUntilTheirExpiryAndNotAfter(
            @ForAll @LongRange(min = 1, max = 10L * 365 * 24 * 3600) long ttlSeconds,
            @ForAll @LongRange(min = 0, max = 999_999_999) long startNanos,
            @ForAll @LongRange(min = 0, max = 1_000_000) long permille) {
        MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z").plusNanos(startNanos));
        Instant start = clock.instant();
        GeneratedBootstrapToken t = BootstrapTokenGenerator.builder().clock(clock)
                .ttl(Duration.ofSeconds(ttlSeconds)).build().generate();
        BootstrapTokenAuthenticator authenticator = BootstrapTokenAuthenticator.builder()
                .store(new InMemoryBootstrapTokenStore().put(t.secret())).clock(clock).build();
        Instant expiry = t.expiresAt().orElseThrow();
        assertTrue(FORMAT.matcher(t.token()).matches(), "generated tokens have the bootstrap shape");
        assertEquals(expiry, GoTime.parseRfc3339(t.secret().get("expiration")), "the Secret says when");

        // Any instant from creation to just before the expiry authenticates; the expiry and later do not.
        long lifeNanos = Duration.between(start, expiry).toNanos();
        assertTrue(lifeNanos > 0, "a positive TTL of whole seconds outlives the truncation");
        clock.set(start.plusNanos(Math.min(lifeNanos - 1, lifeNanos / 1_000_000 * permille)));
        AuthenticationResult before = authenticator.authenticate(t.token(), List.of());
        assertTrue(before instanceof Authenticated a && a.expiresAt().equals(expiry), String.valueOf(before));
        clock.set(expiry.minusNanos(1));
        assertInstanceOf(Authenticated.class, authenticator.authenticate(t.token(), List.of()),
                "valid to the last instant");
        clock.set(expiry.plusNanos(lifeNanos / 1_000_000 * permille));
        AuthenticationResult after = authenticator.authenticate(t.token(), List.of());
        assertTrue(after instanceof Rejected r && r.reason() == RejectionReason.EXPIRED, String.valueOf(after));
    }

    @Property(tries = 200)
    void anyStringNotOfTheFormatAbstains(@ForAll("notBootstrapTokens") String token) {
        Assume.that(!FORMAT.matcher(token).matches());
        // A store that would answer for any name: abstaining must come from the shape alone.
        BootstrapTokenAuthenticator authenticator = BootstrapTokenAuthenticator.builder()
                .store(name -> Optional.of(BootstrapTokenSecret.of(Map.of("token-id", "abcdef")))).build();
        assertSame(Abstained.instance(), authenticator.authenticate(token, List.of()), token);
    }

    @Property(tries = 200)
    void theShapeCheckAgreesWithKubernetesRegex(@ForAll("nearTokens") String token) {
        assertEquals(FORMAT.matcher(token).matches(), BootstrapTokens.isValidToken(token), token);
    }

    @Property(tries = 200)
    void neverThrowsWhateverTheStoredSecretHolds(@ForAll("expirations") String expiration,
                                                 @ForAll("storedValues") String usage,
                                                 @ForAll("storedValues") String groups,
                                                 @ForAll("storedValues") String storedSecret,
                                                 @ForAll boolean deleted, @ForAll boolean bootstrapType) {
        Map<String, String> data = new java.util.HashMap<>();
        data.put("token-id", "abcdef");
        data.put("token-secret", storedSecret);
        data.put("expiration", expiration);
        data.put("usage-bootstrap-authentication", usage);
        data.put("auth-extra-groups", groups);
        BootstrapTokenSecret secret = new BootstrapTokenSecret("kube-system", "bootstrap-token-abcdef",
                bootstrapType ? "bootstrap.kubernetes.io/token" : "Opaque", data, deleted);
        BootstrapTokenAuthenticator authenticator = BootstrapTokenAuthenticator.builder()
                .store(new InMemoryBootstrapTokenStore().put(secret)).clock(MutableClock.atDefaultStart()).build();
        AuthenticationResult result = authenticator.authenticate("abcdef.0123456789abcdef", List.of());
        assertTrue(result instanceof Authenticated || result instanceof Rejected, String.valueOf(result));
    }

    /** Values a Secret might hold: anything, near-valid times and groups, and the right ones. */
    @Provide
    Arbitrary<String> storedValues() {
        return Arbitraries.oneOf(Arbitraries.strings().ofMaxLength(30),
                Arbitraries.of("", "true", "0123456789abcdef", "2109-11-10T23:00:00Z", "2009-11-10T23:00:00Z",
                        "2109-02-29T00:00:00Z", "9999-12-31T23:59:59.999999999+24:60", "system:bootstrappers:a",
                        "system:bootstrappers:a,system:bootstrappers:b", ",", "system:bootstrappers:" + "a".repeat(400)));
    }

    /**
     * Stored values for the expiration field, which Kubernetes logs when it does not parse: never the token's
     * secret itself, or the secret-in-logs check would flag a log line that only echoes a non-secret field.
     */
    @Provide
    Arbitrary<String> expirations() {
        return storedValues().filter(v -> !v.equals("0123456789abcdef"));
    }

    /** Arbitrary strings, and near misses of a valid token (one character changed, added or removed). */
    @Provide
    Arbitrary<String> notBootstrapTokens() {
        return Arbitraries.oneOf(Arbitraries.strings().ofMaxLength(40), nearTokens());
    }

    @Provide
    Arbitrary<String> nearTokens() {
        Arbitrary<String> valid = Arbitraries.strings().withChars("abcdefghijklmnopqrstuvwxyz0123456789")
                .ofLength(22).map(s -> s.substring(0, 6) + "." + s.substring(6));
        Arbitrary<Character> any = Arbitraries.oneOf(Arbitraries.chars().ascii(), Arbitraries.chars().all(),
                Arbitraries.of('.', '\n', 'A', 'Z', '-', '_', ' '));
        Arbitrary<Integer> at = Arbitraries.integers().between(0, 22);
        return Arbitraries.oneOf(
                valid,
                Combinators.combine(valid, at, any).as((v, i, c) -> v.substring(0, i) + c + v.substring(i + 1)),
                Combinators.combine(valid, at, any).as((v, i, c) -> v.substring(0, i) + c + v.substring(i)),
                Combinators.combine(valid, at).as((v, i) -> v.substring(0, i) + v.substring(i + 1)));
    }

    @Property(tries = 8)
    void reloadUnderConcurrentReadsNeverShowsAnEmptyOrPartialStore(@ForAll @IntRange(min = 1, max = 6) int files,
                                                                    @ForAll @IntRange(min = 5, max = 25) int rewrites)
            throws Exception {
        Path dir = Files.createTempDirectory("bootstrap-reload");
        MutableClock clock = MutableClock.atDefaultStart();
        BootstrapTokenGenerator generator = BootstrapTokenGenerator.builder().clock(clock).build();
        List<GeneratedBootstrapToken> tokens = new ArrayList<>();
        for (int i = 0; i < files * 2; i++) {
            tokens.add(generator.generate());
        }
        try {
            for (int f = 0; f < files; f++) {
                writeAtomically(dir, f, tokens, 0);
            }
            try (BootstrapTokenDirectory store = BootstrapTokenDirectory.builder(dir)
                    .listener(AuthenticationListener.NONE).reloadInterval(Duration.ofMillis(1)).build()) {
                BootstrapTokenAuthenticator authenticator = BootstrapTokenAuthenticator.builder().store(store)
                        .clock(clock).build();
                AtomicBoolean done = new AtomicBoolean();
                ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
                AtomicInteger reads = new AtomicInteger();
                CountDownLatch started = new CountDownLatch(2);
                List<Thread> readers = new ArrayList<>();
                for (int r = 0; r < 2; r++) {
                    Thread reader = new Thread(() -> {
                        started.countDown();
                        while (!done.get()) {
                            for (GeneratedBootstrapToken t : tokens) {
                                if (!(authenticator.authenticate(t.token(), List.of()) instanceof Authenticated)) {
                                    failures.add(t.id());
                                }
                                reads.incrementAndGet();
                            }
                        }
                    });
                    reader.start();
                    readers.add(reader);
                }
                started.await();
                for (int w = 1; w <= rewrites; w++) {
                    // Each rewrite keeps the same tokens in a new file version; the watcher and explicit reloads race.
                    writeAtomically(dir, w % files, tokens, w);
                    if (w % 3 == 0) {
                        store.reloadIfChanged();
                    }
                    Thread.sleep(1);
                }
                done.set(true);
                for (Thread reader : readers) {
                    reader.join();
                }
                assertTrue(failures.isEmpty(), "a reader saw a token missing during reload: " + failures.size()
                        + " of " + reads.get());
                assertTrue(reads.get() > 0);
                assertEquals(tokens.size(), store.size());
            }
        } finally {
            try (Stream<Path> all = Files.walk(dir)) {
                all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** File {@code f} holds tokens {@code 2f} and {@code 2f+1} as two documents; {@code version} changes its bytes. */
    private static void writeAtomically(Path dir, int f, List<GeneratedBootstrapToken> tokens, int version) {
        try {
            String text = "# version " + version + "\n" + SecretManifests.write(tokens.get(2 * f).secret())
                    + "---\n" + SecretManifests.write(tokens.get(2 * f + 1).secret());
            Path temp = dir.resolve(".f" + f + ".tmp");
            Files.writeString(temp, text);
            Files.move(temp, dir.resolve("f" + f + ".yaml"), StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
