package io.gatehouse.x509;

import io.gatehouse.core.AuthenticationListener;
import io.gatehouse.core.internal.ReloadingFile;
import java.nio.file.Path;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The trust anchors and CRLs in force, from fixed values or watched files, and the tracking of their reloads:
 * {@link #current()} hands out one immutable {@link Snapshot} until a file brings a new version, then tells the
 * listener given at construction (which empties caches that depended on the old one). Thread-safe.
 */
final class TrustState implements AutoCloseable {

    /** The trust anchors and CRLs in force; identity tells versions apart. */
    record Snapshot(TrustAnchors anchors, List<CrlSet> crlSets, List<X509CRL> crls) {
        boolean sameAs(TrustAnchors a, List<CrlSet> sets) {
            if (a != anchors || sets.size() != crlSets.size()) {
                return false;
            }
            for (int i = 0; i < sets.size(); i++) {
                if (sets.get(i) != crlSets.get(i)) {
                    return false;
                }
            }
            return true;
        }
    }

    private final Supplier<TrustAnchors> anchors;
    private final List<Supplier<CrlSet>> crlSets;
    private final List<ReloadingFile<?>> files;
    private Consumer<Snapshot> onChange = s -> { };
    private volatile Snapshot state;

    private TrustState(Supplier<TrustAnchors> anchors, List<Supplier<CrlSet>> crlSets, List<ReloadingFile<?>> files) {
        this.anchors = anchors;
        this.crlSets = List.copyOf(crlSets);
        this.files = List.copyOf(files);
        this.state = snapshot();
    }

    /**
     * Loads the anchors (exactly one of {@code clientCaFile} and {@code fixedAnchors}) and the CRLs now, watching
     * the files every {@code reloadInterval}.
     *
     * @throws io.gatehouse.core.ConfigurationException if a file cannot be read or parsed; nothing is left watched
     */
    static TrustState load(Path clientCaFile, List<X509Certificate> fixedAnchors, List<Path> crlFiles,
                           List<X509CRL> fixedCrls, AuthenticationListener listener, Duration reloadInterval) {
        List<ReloadingFile<?>> files = new ArrayList<>();
        try {
            Supplier<TrustAnchors> anchorSupplier;
            if (clientCaFile != null) {
                ReloadingFile<TrustAnchors> f = ReloadingFile.load(clientCaFile,
                        p -> TrustAnchors.parse(p, "client-ca"), TrustAnchors::summary, listener, reloadInterval);
                files.add(f);
                anchorSupplier = f::current;
            } else {
                TrustAnchors fixed = TrustAnchors.of(fixedAnchors);
                anchorSupplier = () -> fixed;
            }
            List<Supplier<CrlSet>> sets = new ArrayList<>();
            if (!fixedCrls.isEmpty()) {
                CrlSet fixed = CrlSet.of(fixedCrls);
                sets.add(() -> fixed);
            }
            Set<Path> distinct = new HashSet<>();
            for (Path p : crlFiles) {
                if (!distinct.add(p.toAbsolutePath().normalize())) {
                    continue;
                }
                ReloadingFile<CrlSet> f = ReloadingFile.load(p, CrlSet::parse, CrlSet::summary, listener, reloadInterval);
                files.add(f);
                sets.add(f::current);
            }
            return new TrustState(anchorSupplier, sets, files);
        } catch (RuntimeException e) {
            for (ReloadingFile<?> f : files) {
                f.close();
            }
            throw e;
        }
    }

    /** Called with each new snapshot, under this object's lock, before {@link #current()} returns it. */
    void onChange(Consumer<Snapshot> action) {
        this.onChange = action;
    }

    /** The snapshot in force: the last one while nothing changed (no allocation), else a new one. */
    Snapshot current() {
        Snapshot last = state;
        TrustAnchors a = anchors.get();
        List<CrlSet> sets = crlSets.isEmpty() ? List.of() : new ArrayList<>(crlSets.size());
        for (Supplier<CrlSet> s : crlSets) {
            sets.add(s.get());
        }
        if (last.sameAs(a, sets)) {
            return last;
        }
        synchronized (this) {
            Snapshot fresh = snapshot();
            state = fresh;
            onChange.accept(fresh);
            return fresh;
        }
    }

    /** The trust anchors in force. */
    List<X509Certificate> trustAnchors() {
        return anchors.get().certificates();
    }

    /** Checks the watched files now; true if anything new is in force. */
    boolean reloadIfChanged() {
        boolean changed = false;
        for (ReloadingFile<?> f : files) {
            changed |= f.reloadIfChanged();
        }
        return changed;
    }

    @Override
    public void close() {
        for (ReloadingFile<?> f : files) {
            f.close();
        }
    }

    private Snapshot snapshot() {
        List<CrlSet> sets = new ArrayList<>(crlSets.size());
        List<X509CRL> all = new ArrayList<>();
        for (Supplier<CrlSet> s : crlSets) {
            CrlSet set = s.get();
            sets.add(set);
            all.addAll(set.crls());
        }
        return new Snapshot(anchors.get(), List.copyOf(sets), List.copyOf(all));
    }
}
