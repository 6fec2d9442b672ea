package io.gatehouse.bootstrap;

import io.gatehouse.core.AuthenticationListener;
import io.gatehouse.core.ConfigurationException;
import io.gatehouse.core.internal.BoundedYaml;
import io.gatehouse.core.internal.ReloadingFile;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A {@link BootstrapTokenStore} read from a directory of Secret manifests: the {@code *.yaml}, {@code *.yml} and
 * {@code *.json} files in it (not in subdirectories; names starting with {@code .} are skipped, so temporary files
 * and Kubernetes' {@code ..data} are not read), as {@code kubectl get secret -o yaml} or kubeadm write them.
 *
 * <ul>
 *   <li>A file holds one or more documents ({@code ---}); a document is a {@code v1 Secret} or a {@code List} of
 *       them. Values come from {@code data} (base64) and {@code stringData} (plain, and winning over {@code data}).
 *   <li>Secrets of type {@value BootstrapTokenSecret#TYPE} in {@value BootstrapTokenSecret#NAMESPACE} (or with no
 *       namespace) are kept. Other kinds, other Secret types and other namespaces are skipped with a
 *       {@link AuthenticationListener#warning warning} event.
 *   <li>A malformed file (bad YAML, bad base64, a non-string value, a Secret without a name) is reported and
 *       skipped; if an earlier version of it was good, that version stays in force
 *       ({@link AuthenticationListener#reloadFailed reloadFailed}). The other files keep working.
 *   <li>When two files hold a Secret of the same name, the file first in name order wins, with a warning.
 * </ul>
 *
 * <p>The directory is checked for changes every reload interval and the whole index is replaced in one atomic
 * swap, so a lookup sees either the old or the new set of Secrets, never a mixture or an empty one while a
 * reload runs. {@link #write} adds a Secret manifest by writing a temporary file and renaming it into place.
 *
 * <p>Thread-safe. Close it to stop watching.
 */
public final class BootstrapTokenDirectory implements BootstrapTokenStore, AutoCloseable {

    /** Files larger than this are not read; BoundedYaml caps the characters again. */
    private static final long MAX_FILE_BYTES = 4L * BoundedYaml.MAX_CODE_POINTS;

    private final Path directory;
    private final AuthenticationListener listener;
    /** What each file held when last read; only touched by the parser, which ReloadingFile runs one at a time. */
    private Map<Path, FileState> files = Map.of();
    private final ReloadingFile<Index> index;

    private BootstrapTokenDirectory(Builder builder) {
        this.directory = builder.directory;
        this.listener = builder.listener;
        this.index = ReloadingFile.load(directory, this::parse, Index::summary, listener, builder.reloadInterval);
    }

    /**
     * A builder for the store of {@code directory}.
     *
     * @param directory the directory of Secret manifests; not null
     * @return a new builder with the SLF4J listener and a 5-second reload interval
     * @throws NullPointerException if {@code directory} is null
     */
    public static Builder builder(Path directory) {
        return new Builder(Objects.requireNonNull(directory, "directory"));
    }

    @Override
    public Optional<BootstrapTokenSecret> find(String name) {
        return Optional.ofNullable(index.current().secrets.get(name));
    }

    /**
     * The directory read.
     *
     * @return the directory this store reads, as given to {@link #builder(Path)}
     */
    public Path directory() {
        return directory;
    }

    /**
     * How many Secrets the store holds now.
     *
     * @return the number of Secrets in the index in force, zero or more
     */
    public int size() {
        return index.current().secrets.size();
    }

    /**
     * Reads the directory again now if anything in it changed, instead of waiting for the next check.
     *
     * @return whether a new index is now in force
     */
    public boolean reloadIfChanged() {
        return index.reloadIfChanged();
    }

    /**
     * Writes {@code secret} as a manifest {@code <name>.yaml} (owner read/write only, where the file system has
     * POSIX permissions) and reloads, so that the Secret can be found when this returns. The file is written under
     * a temporary name and then linked or renamed into place, so a reader never sees it half-written.
     *
     * @param secret the Secret to write; not null, live, in a name usable as a file name
     * @return the file written
     * @throws FileAlreadyExistsException if the store or the directory already has a Secret or file of that name
     *                                    (as {@code kubeadm token create} refuses an existing token id)
     * @throws IllegalArgumentException   if the Secret cannot be written as a manifest (an invalid name or key, a
     *                                    deleted Secret)
     * @throws IOException                if the file cannot be written
     */
    public Path write(BootstrapTokenSecret secret) throws IOException {
        Objects.requireNonNull(secret, "secret");
        String manifest = SecretManifests.write(secret);
        Path target = directory.resolve(secret.name() + ".yaml");
        if (index.current().secrets.containsKey(secret.name())) {
            throw new FileAlreadyExistsException(target.toString(), null,
                    "a Secret named " + secret.name() + " already exists");
        }
        Path temp = createTemp(secret.name());
        try {
            Files.writeString(temp, manifest, StandardCharsets.UTF_8);
            publish(temp, target);
        } finally {
            Files.deleteIfExists(temp);
        }
        reloadIfChanged();
        return target;
    }

    private Path createTemp(String name) throws IOException {
        String prefix = "." + name + ".";
        if (directory.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            FileAttribute<?> ownerOnly =
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));
            return Files.createTempFile(directory, prefix, ".tmp", ownerOnly);
        }
        return Files.createTempFile(directory, prefix, ".tmp");
    }

    /** Puts the complete file in place atomically, refusing to replace an existing one. */
    private static void publish(Path temp, Path target) throws IOException {
        try {
            // A hard link appears atomically and fails if the target exists; a rename would silently replace it.
            Files.createLink(target, temp);
            return;
        } catch (FileAlreadyExistsException e) {
            throw e;
        } catch (UnsupportedOperationException | FileSystemException e) {
            // No hard links here (some volumes refuse them): check, then rename, which is atomic but may replace.
        }
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            throw new FileAlreadyExistsException(target.toString());
        }
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException notAtomic) {
            Files.move(temp, target);
        }
    }

    /** Stops watching; lookups keep answering from the last index. */
    @Override
    public void close() {
        index.close();
    }

    @Override
    public String toString() {
        return "BootstrapTokenDirectory[" + directory + ", " + size() + " secrets]";
    }

    private Index parse(Path dir) throws IOException {
        List<Path> paths = new ArrayList<>();
        try (Stream<Path> entries = Files.list(dir)) {
            entries.filter(BootstrapTokenDirectory::isManifestName).sorted().forEach(paths::add);
        }
        Map<Path, FileState> next = new LinkedHashMap<>();
        Map<String, BootstrapTokenSecret> secrets = new HashMap<>();
        Map<String, Path> origin = new HashMap<>();
        for (Path file : paths) {
            FileState state = readFile(file);
            next.put(file, state);
            for (BootstrapTokenSecret s : state.secrets) {
                Path first = origin.putIfAbsent(s.name(), file);
                if (first == null) {
                    secrets.put(s.name(), s);
                } else if (state.fresh || next.get(first).fresh) {
                    // Reported when either file changed, not again at every reload of the directory.
                    listener.warning(file.toString(), "Secret " + s.name() + " is also defined in "
                            + first.getFileName() + "; using that one");
                }
            }
        }
        files = next;
        return new Index(Map.copyOf(secrets), next.size());
    }

    private static boolean isManifestName(Path p) {
        String name = p.getFileName().toString();
        return !name.startsWith(".") && (name.endsWith(".yaml") || name.endsWith(".yml") || name.endsWith(".json"))
                && Files.isRegularFile(p);
    }

    /** The Secrets of {@code file}: unchanged files are not read again, a bad new version keeps the last good one. */
    private FileState readFile(Path file) {
        String stamp = stamp(file);
        FileState previous = files.get(file);
        if (previous != null && previous.stamp.equals(stamp)) {
            return previous.reused();
        }
        String source = file.toString();
        try {
            if (Files.size(file) > MAX_FILE_BYTES) {
                throw new ConfigurationException(source, "larger than " + MAX_FILE_BYTES + " bytes");
            }
            String text = Files.readString(file, StandardCharsets.UTF_8);
            List<String> warnings = new ArrayList<>();
            List<BootstrapTokenSecret> found = SecretManifests.parse(text, source, warnings::add);
            for (String w : warnings) {
                listener.warning(source, w);
            }
            return new FileState(stamp, List.copyOf(found), true, true);
        } catch (IOException | RuntimeException e) {
            String error = describe(e);
            if (previous != null && previous.good) {
                listener.reloadFailed(source, error);
                return new FileState(stamp, previous.secrets, true, false);
            }
            listener.warning(source, "malformed, skipped: " + error);
            return new FileState(stamp, List.of(), false, false);
        }
    }

    private static String describe(Exception e) {
        if (e instanceof ConfigurationException) {
            return e.getMessage();
        }
        if (e instanceof CharacterCodingException) {
            return "not UTF-8 text";
        }
        if (e instanceof IOException) {
            return "cannot read: " + e.getClass().getSimpleName();
        }
        return "unexpected " + e.getClass().getSimpleName();
    }

    private static String stamp(Path p) {
        try {
            BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
            return a.lastModifiedTime().toInstant() + "/" + a.size() + "/" + a.fileKey();
        } catch (IOException e) {
            return "unreadable";
        }
    }

    /** One file as last read: its stamp, its Secrets, whether they came from a good version, and whether just read. */
    private record FileState(String stamp, List<BootstrapTokenSecret> secrets, boolean good, boolean fresh) {
        FileState reused() {
            return fresh ? new FileState(stamp, secrets, good, false) : this;
        }
    }

    /** An immutable index of Secrets by name. */
    private record Index(Map<String, BootstrapTokenSecret> secrets, int fileCount) {
        String summary() {
            return secrets.size() + " bootstrap token Secrets from " + fileCount + " files";
        }
    }

    /**
     * Configures a {@link BootstrapTokenDirectory}. Not thread-safe.
     */
    public static final class Builder {

        private final Path directory;
        private AuthenticationListener listener = AuthenticationListener.logging();
        private Duration reloadInterval = Duration.ofSeconds(5);

        private Builder(Path directory) {
            this.directory = directory;
        }

        /**
         * Where reloads, warnings and malformed files are reported; the SLF4J listener by default.
         *
         * @param listener the listener to report to; not null
         * @return this builder
         * @throws NullPointerException if {@code listener} is null
         */
        public Builder listener(AuthenticationListener listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /**
         * How often the directory is checked for changes; 5 seconds by default, zero to never check (then call
         * {@link BootstrapTokenDirectory#reloadIfChanged()}).
         *
         * @param interval the time between checks; not null nor negative, zero for never
         * @return this builder
         * @throws IllegalArgumentException if {@code interval} is negative
         */
        public Builder reloadInterval(Duration interval) {
            Objects.requireNonNull(interval, "interval");
            if (interval.isNegative()) {
                throw new IllegalArgumentException("reloadInterval must not be negative: " + interval);
            }
            this.reloadInterval = interval;
            return this;
        }

        /**
         * Reads the directory and starts watching it.
         *
         * @return a new store, indexed and watching the directory
         * @throws ConfigurationException if the directory does not exist, is not a directory or cannot be listed
         */
        public BootstrapTokenDirectory build() {
            if (!Files.isDirectory(directory)) {
                throw new ConfigurationException(directory.toString(), null, "secretsDirectory",
                        "is not a directory", null);
            }
            return new BootstrapTokenDirectory(this);
        }
    }
}
