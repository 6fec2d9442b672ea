package io.gatehouse.statictoken;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gatehouse.core.AuthenticationResult;
import io.gatehouse.core.AuthenticationResult.Abstained;
import io.gatehouse.core.AuthenticationResult.Authenticated;
import io.gatehouse.core.testing.RecordingListener;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Beyond Kubernetes: the token file reloads on change with an atomic swap and keeps the last good table. */
class TokenFileReloadTest {

    @TempDir
    Path dir;

    private Instant mtime = Instant.parse("2026-01-01T00:00:00Z");

    /** Replaces the file as a careful writer does (rename), with a distinct modification time. */
    private void write(Path file, String content) throws IOException {
        Path tmp = dir.resolve("tokens.tmp");
        Files.writeString(tmp, content);
        mtime = mtime.plusSeconds(1);
        Files.setLastModifiedTime(tmp, FileTime.from(mtime));
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    @Test
    void changedFileIsReloaded() throws IOException {
        Path file = dir.resolve("tokens.csv");
        write(file, "tokA,alice,1\n");
        RecordingListener listener = new RecordingListener();
        try (StaticTokenAuthenticator tokens = StaticTokenAuthenticator.builder().file(file)
                .reloadInterval(Duration.ZERO).listener(listener).build()) {
            assertFalse(tokens.reloadIfChanged(), "unchanged file is not parsed again");
            write(file, "tokB,bob,2\n");
            assertTrue(tokens.reloadIfChanged());
            assertInstanceOf(Abstained.class, tokens.authenticate("tokA", List.of()));
            assertEquals("bob", ((Authenticated) tokens.authenticate("tokB", List.of())).user().name());
            assertEquals(2, listener.eventsStartingWith("reloaded").size());
            assertTrue(listener.events().get(1).endsWith("1 tokens"), listener.events().toString());
        }
    }

    @Test
    void malformedDeletedAndRestoredFilesKeepTheLastGoodTable() throws IOException {
        Path file = dir.resolve("tokens.csv");
        write(file, "tokA,alice,1\n");
        RecordingListener listener = new RecordingListener();
        try (StaticTokenAuthenticator tokens = StaticTokenAuthenticator.builder().file(file)
                .reloadInterval(Duration.ZERO).listener(listener).build()) {
            write(file, "tokA,alice\n");
            assertFalse(tokens.reloadIfChanged());
            assertInstanceOf(Authenticated.class, tokens.authenticate("tokA", List.of()));
            assertTrue(listener.eventsStartingWith("reloadFailed").get(0).contains("must have at least 3 columns"));

            Files.delete(file);
            assertFalse(tokens.reloadIfChanged());
            assertInstanceOf(Authenticated.class, tokens.authenticate("tokA", List.of()));
            assertTrue(listener.eventsStartingWith("reloadFailed").get(1).contains("no such file"));

            write(file, "tokC,carol,3\n");
            assertTrue(tokens.reloadIfChanged());
            assertInstanceOf(Authenticated.class, tokens.authenticate("tokC", List.of()));
            assertInstanceOf(Abstained.class, tokens.authenticate("tokA", List.of()));
        }
    }

    @Test
    void theWatcherPicksUpChangesByItself() throws Exception {
        Path file = dir.resolve("tokens.csv");
        write(file, "tokA,alice,1\n");
        try (StaticTokenAuthenticator tokens = StaticTokenAuthenticator.builder().file(file)
                .reloadInterval(Duration.ofMillis(20)).listener(new RecordingListener()).build()) {
            write(file, "tokA,alice,1\ntokB,bob,2\n");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (tokens.size() != 2 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertEquals(2, tokens.size());
        }
    }

    /** No request ever sees an empty or partial table while the file is swapped, broken and restored. */
    @Test
    void concurrentReadersNeverSeeAnEmptyTable() throws Exception {
        Path file = dir.resolve("tokens.csv");
        StringBuilder big = new StringBuilder();
        for (int i = 0; i < 2000; i++) {
            big.append("filler").append(i).append(",u").append(i).append(",").append(i).append('\n');
        }
        String v1 = "stable,alice,1\n" + big;
        String v2 = big + "stable,alice,1\nextra,eve,5\n";
        write(file, v1);
        try (StaticTokenAuthenticator tokens = StaticTokenAuthenticator.builder().file(file)
                .reloadInterval(Duration.ZERO).listener(new RecordingListener()).build()) {
            AtomicBoolean stop = new AtomicBoolean();
            AtomicLong wrong = new AtomicLong();
            AtomicLong reads = new AtomicLong();
            ExecutorService readers = Executors.newFixedThreadPool(3);
            List<Future<?>> running = new java.util.ArrayList<>();
            for (int t = 0; t < 3; t++) {
                running.add(readers.submit(() -> {
                    while (!stop.get()) {
                        AuthenticationResult r = tokens.authenticate("stable", List.of());
                        if (!(r instanceof Authenticated a) || !a.user().name().equals("alice")) {
                            wrong.incrementAndGet();
                        }
                        reads.incrementAndGet();
                    }
                }));
            }
            for (int round = 0; round < 30; round++) {
                write(file, round % 3 == 0 ? "garbage,\"unterminated\n" : round % 3 == 1 ? v2 : v1);
                tokens.reloadIfChanged();
            }
            stop.set(true);
            for (Future<?> f : running) {
                f.get(10, TimeUnit.SECONDS);
            }
            readers.shutdown();
            assertEquals(0, wrong.get(), "reads that missed the stable token, of " + reads.get());
            assertTrue(reads.get() > 0);
        }
    }
}
