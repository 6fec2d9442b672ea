package io.gatehouse.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gatehouse.core.ConfigurationException;
import io.gatehouse.core.testing.RecordingListener;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** File-backed values: change detection, last good value on failure, directories, symlink swaps. */
class ReloadingFileTest {

    @TempDir
    Path dir;

    private final RecordingListener listener = new RecordingListener();
    private final AtomicInteger parses = new AtomicInteger();
    private Instant mtime = Instant.parse("2026-01-01T00:00:00Z");

    /** Parses a file holding a number; anything else is a configuration error. */
    private Integer parse(Path p) throws IOException {
        parses.incrementAndGet();
        String s = Files.readString(p).trim();
        try {
            return Integer.valueOf(s);
        } catch (NumberFormatException e) {
            throw new ConfigurationException(p.toString(), "not a number");
        }
    }

    private void write(Path f, String content) throws IOException {
        Files.writeString(f, content);
        mtime = mtime.plusSeconds(1);
        Files.setLastModifiedTime(f, FileTime.from(mtime));
    }

    @Test
    void loadsAndReloadsOnlyWhenChanged() throws IOException {
        Path f = dir.resolve("n");
        write(f, "1");
        try (ReloadingFile<Integer> r = ReloadingFile.load(f, this::parse, n -> "n=" + n, listener, Duration.ZERO)) {
            assertEquals(1, r.current());
            assertFalse(r.reloadIfChanged());
            assertEquals(1, parses.get());
            write(f, "2");
            assertTrue(r.reloadIfChanged());
            assertEquals(2, r.current());
            assertEquals(listener.events().get(1), "reloaded " + f + " n=2");
        }
    }

    @Test
    void aBadVersionKeepsTheLastGoodValueAndIsReportedOnce() throws IOException {
        Path f = dir.resolve("n");
        write(f, "1");
        try (ReloadingFile<Integer> r = ReloadingFile.load(f, this::parse, n -> "n=" + n, listener, Duration.ZERO)) {
            write(f, "garbage");
            assertFalse(r.reloadIfChanged());
            assertFalse(r.reloadIfChanged());
            assertEquals(1, r.current());
            assertEquals(1, listener.eventsStartingWith("reloadFailed").size(), "one report per bad version");
            Files.delete(f);
            assertFalse(r.reloadIfChanged());
            assertTrue(listener.eventsStartingWith("reloadFailed").get(1).endsWith("no such file or directory"));
            write(f, "3");
            assertTrue(r.reloadIfChanged());
            assertEquals(3, r.current());
        }
    }

    @Test
    void aBrokenFirstVersionFailsTheLoad() throws IOException {
        Path f = dir.resolve("n");
        write(f, "x");
        assertThrows(ConfigurationException.class, () -> ReloadingFile.load(f, this::parse, n -> "", listener, Duration.ZERO));
        ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> ReloadingFile.load(dir.resolve("absent"), this::parse, n -> "", listener, Duration.ZERO));
        assertTrue(e.getMessage().contains("absent: no such file or directory"), e.getMessage());
    }

    @Test
    void directoriesChangeWhenAnEntryChanges() throws IOException {
        Path d = Files.createDirectory(dir.resolve("d"));
        write(d.resolve("a"), "1");
        ReloadingFile.Parser<Integer> count = p -> {
            try (var s = Files.list(p)) {
                return (int) s.count();
            }
        };
        try (ReloadingFile<Integer> r = ReloadingFile.load(d, count, n -> n + " files", listener, Duration.ZERO)) {
            assertEquals(1, r.current());
            write(d.resolve("b"), "2");
            assertTrue(r.reloadIfChanged());
            assertEquals(2, r.current());
            write(d.resolve("a"), "changed");
            assertTrue(r.reloadIfChanged());
        }
    }

    @Test
    void followsASymlinkSwapAsKubernetesVolumesDo() throws IOException {
        Path v1 = dir.resolve("v1");
        Path v2 = dir.resolve("v2");
        write(v1, "1");
        write(v2, "2");
        Path link = dir.resolve("current");
        Files.createSymbolicLink(link, v1);
        try (ReloadingFile<Integer> r = ReloadingFile.load(link, this::parse, n -> "", listener, Duration.ZERO)) {
            Path tmp = dir.resolve("current.tmp");
            Files.createSymbolicLink(tmp, v2);
            Files.move(tmp, link, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            assertTrue(r.reloadIfChanged());
            assertEquals(2, r.current());
        }
    }

    @Test
    void theWatcherWaitsUntilAFileBeingRewrittenInPlaceHasSettled() throws Exception {
        Path f = dir.resolve("n");
        write(f, "1");
        try (ReloadingFile<Integer> r = ReloadingFile.load(f, this::parse, n -> "", listener, Duration.ofMillis(5))) {
            // Truncated, as a writer rewriting in place leaves it for a moment: fresh, so not read yet.
            Files.writeString(f, "");
            assertFalse(ReloadingFile.settled(f));
            Thread.sleep(100);
            assertEquals(1, r.current());
            assertTrue(listener.eventsStartingWith("reloadFailed").isEmpty(), "nothing was read half-way");
            Files.writeString(f, "7");
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (r.current() != 7 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertEquals(7, r.current(), "read once quiet for the settle time");
            assertTrue(ReloadingFile.settled(f));
        }
    }

    @Test
    void theWatcherReloadsByItselfAndStopsWhenClosed() throws Exception {
        Path f = dir.resolve("n");
        write(f, "1");
        ReloadingFile<Integer> r = ReloadingFile.load(f, this::parse, n -> "", listener, Duration.ofMillis(10));
        write(f, "5");
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (r.current() != 5 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertEquals(5, r.current());
        r.close();
        write(f, "6");
        Thread.sleep(100);
        assertEquals(5, r.current(), "a closed file no longer reloads");
    }
}
