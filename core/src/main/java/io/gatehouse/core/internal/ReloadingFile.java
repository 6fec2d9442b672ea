package io.gatehouse.core.internal;

import io.gatehouse.core.AuthenticationListener;
import io.gatehouse.core.ConfigurationException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * A value parsed from a file or directory that follows the file: it is checked for changes every interval
 * and parsed anew when it changed; the new value replaces the old one in one atomic swap. A new version
 * that fails to parse (garbage, a half-written file, a deleted file) is reported to the listener and the
 * last good value stays in force until a good version appears.
 *
 * <p>A change is seen through the file's modification time, size and identity (for a directory, those of
 * its entries), following symbolic links as Kubernetes' atomic volume updates need. A file replaced by a
 * rename (a new file identity) is read at once. A file modified in place (same identity: truncated, then
 * written) is read only once it has been quiet for {@link #SETTLE_TIME}, so that it is not read half-way,
 * where an empty file would parse as an empty table; a file that changes while it is being parsed is parsed
 * again at the next check. Writers should still replace files by renaming a complete new file over the old
 * one: an in-place writer that pauses for longer than the settle time can still be read half-way.
 *
 * <p>Thread-safe: {@link #current()} is a volatile read and never blocks.
 *
 * @param <T> the parsed value
 */
public final class ReloadingFile<T> implements AutoCloseable {

    /** Parses the file's content. */
    @FunctionalInterface
    public interface Parser<T> {
        /**
         * @throws IOException            if the file cannot be read
         * @throws ConfigurationException if the content is not valid; the message must not quote a secret
         */
        T parse(Path path) throws IOException;
    }

    /** How long a changed file must stay unmodified before the watcher reads it. */
    public static final Duration SETTLE_TIME = Duration.ofMillis(500);

    private static final ScheduledExecutorService WATCHER = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "gatehouse-reload");
        t.setDaemon(true);
        return t;
    });

    private final Path path;
    private final Parser<T> parser;
    private final Function<? super T, String> summary;
    private final AuthenticationListener listener;
    private final ScheduledFuture<?> watch;
    private volatile T current;
    private String loadedSignature;
    private String failedSignature;
    private String loadedIdentity;

    private ReloadingFile(Path path, Parser<T> parser, Function<? super T, String> summary,
                          AuthenticationListener listener, Duration interval) {
        this.path = path;
        this.parser = parser;
        this.summary = summary;
        this.listener = listener;
        String signature = signature(path);
        this.current = parseOrThrow();
        this.loadedSignature = signature;
        this.loadedIdentity = identity(path);
        listener.reloaded(path.toString(), summary.apply(current));
        this.watch = interval.isZero() ? null : WATCHER.scheduleWithFixedDelay(this::checkQuietly,
                interval.toNanos(), interval.toNanos(), TimeUnit.NANOSECONDS);
    }

    /**
     * Loads {@code path} now and watches it every {@code interval} (zero: never; call
     * {@link #reloadIfChanged()} to reload by hand).
     *
     * @param summary  describes a loaded value for the reload event, e.g. {@code "7 tokens"}; no secrets
     * @throws ConfigurationException if the first load fails: a chain never starts on a broken file
     */
    public static <T> ReloadingFile<T> load(Path path, Parser<T> parser, Function<? super T, String> summary,
                                            AuthenticationListener listener, Duration interval) {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(parser, "parser");
        Objects.requireNonNull(summary, "summary");
        Objects.requireNonNull(listener, "listener");
        if (interval.isNegative()) {
            throw new IllegalArgumentException("interval must not be negative: " + interval);
        }
        return new ReloadingFile<>(path, parser, summary, listener, interval);
    }

    /** The last good value; never null. */
    public T current() {
        return current;
    }

    /** The watched file or directory. */
    public Path path() {
        return path;
    }

    /**
     * Parses the file again if it changed since the last load, and swaps in the new value if it parses.
     *
     * @return true if a new value is now in force
     */
    public boolean reloadIfChanged() {
        return reload(false);
    }

    private synchronized boolean reload(boolean waitUntilSettled) {
        String before = signature(path);
        if (before.equals(loadedSignature) || before.equals(failedSignature)) {
            return false;
        }
        String identity = identity(path);
        if (waitUntilSettled && identity.equals(loadedIdentity) && !settled(path)) {
            // Modified in place a moment ago, perhaps truncated and still being written: look again later.
            return false;
        }
        T next;
        try {
            next = parser.parse(path);
            Objects.requireNonNull(next, "parser returned null");
        } catch (IOException | UncheckedIOException | ConfigurationException e) {
            return failed(before, describe(e));
        } catch (RuntimeException e) {
            return failed(before, "unexpected " + e.getClass().getSimpleName() + " while parsing");
        }
        if (!before.equals(signature(path))) {
            // The file changed while we read it: a writer is at work. Look again at the next check.
            return false;
        }
        current = next;
        loadedSignature = before;
        loadedIdentity = identity;
        failedSignature = null;
        listener.reloaded(path.toString(), summary.apply(next));
        return true;
    }

    /** Stops watching. {@link #current()} keeps answering with the last good value. */
    @Override
    public void close() {
        if (watch != null) {
            watch.cancel(false);
        }
    }

    private boolean failed(String signature, String error) {
        failedSignature = signature;
        listener.reloadFailed(path.toString(), error);
        return false;
    }

    private void checkQuietly() {
        try {
            reload(true);
        } catch (RuntimeException e) {
            // Never let the shared watcher thread die; the next check tries again.
            listener.reloadFailed(path.toString(), "unexpected " + e.getClass().getSimpleName());
        }
    }

    private T parseOrThrow() {
        try {
            T value = parser.parse(path);
            return Objects.requireNonNull(value, "parser returned null");
        } catch (ConfigurationException e) {
            throw e;
        } catch (IOException | UncheckedIOException e) {
            throw new ConfigurationException(path.toString(), null, null, describe(e), e);
        }
    }

    private static String describe(Exception e) {
        if (e instanceof ConfigurationException) {
            return e.getMessage();
        }
        Throwable io = e instanceof UncheckedIOException u ? u.getCause() : e;
        if (io instanceof NoSuchFileException) {
            return "no such file or directory";
        }
        return "cannot read: " + io.getClass().getSimpleName() + (io.getMessage() == null ? "" : " " + io.getMessage());
    }

    /** What identifies a version of the path: time, size and identity of the file or of each directory entry. */
    static String signature(Path path) {
        try {
            if (Files.isDirectory(path)) {
                List<String> parts = new ArrayList<>();
                try (Stream<Path> entries = Files.list(path)) {
                    entries.sorted().forEach(p -> parts.add(p.getFileName() + "=" + stat(p)));
                }
                return "dir:" + String.join(";", parts);
            }
            return stat(path);
        } catch (IOException | UncheckedIOException e) {
            return "unreadable:" + e.getClass().getSimpleName();
        }
    }

    /** The file's identity (inode), or each directory entry's: what a rename changes and an in-place write keeps. */
    static String identity(Path path) {
        try {
            if (Files.isDirectory(path)) {
                List<String> parts = new ArrayList<>();
                try (Stream<Path> entries = Files.list(path)) {
                    entries.sorted().forEach(p -> parts.add(p.getFileName() + "=" + fileKey(p)));
                }
                return "dir:" + String.join(";", parts);
            }
            return fileKey(path);
        } catch (IOException | UncheckedIOException e) {
            return "unreadable";
        }
    }

    private static String fileKey(Path p) {
        try {
            Object key = Files.readAttributes(p, BasicFileAttributes.class).fileKey();
            // Without file keys (some file systems) every change counts as in place and waits to settle.
            return key == null ? "same" : key.toString();
        } catch (IOException e) {
            return "missing";
        }
    }

    /**
     * Whether the path (for a directory, its newest entry) was last modified at least {@link #SETTLE_TIME}
     * ago by the file system's clock. A time far in the future (clock skew) counts as settled, or it would
     * never be read.
     */
    static boolean settled(Path path) {
        try {
            long newest = Files.getLastModifiedTime(path).toMillis();
            if (Files.isDirectory(path)) {
                try (Stream<Path> entries = Files.list(path)) {
                    for (Path p : (Iterable<Path>) entries::iterator) {
                        try {
                            newest = Math.max(newest, Files.getLastModifiedTime(p).toMillis());
                        } catch (IOException gone) {
                            // Removed while listing: the next check sees the directory anew.
                        }
                    }
                }
            }
            long age = System.currentTimeMillis() - newest;
            return Math.abs(age) >= SETTLE_TIME.toMillis();
        } catch (IOException | UncheckedIOException e) {
            // Missing or unreadable: let the reload report it.
            return true;
        }
    }

    private static String stat(Path p) {
        try {
            BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
            return a.lastModifiedTime().toInstant() + "/" + a.size() + "/" + a.fileKey();
        } catch (IOException e) {
            return "missing";
        }
    }
}
