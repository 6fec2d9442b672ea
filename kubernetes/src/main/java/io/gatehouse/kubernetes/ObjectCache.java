package io.gatehouse.kubernetes;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.dsl.Informable;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One shared informer (list, then watch) over one kind of object, its {@link RecordStore}, and what is known about
 * its health: whether the first list has arrived, since when the watch has been down, and the last error.
 *
 * <p>The informer never gives up: every list or watch failure is retried with fabric8's back-off, so a cache that
 * could not be filled at start fills itself once the API server answers, and a broken watch reconnects and
 * re-lists.
 */
final class ObjectCache<T extends HasMetadata, R> implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ObjectCache.class);

    /** Objects per list page, client-go's informer default. */
    static final long LIST_PAGE = 500;

    private final String resource;
    private final RecordStore<T, R> store;
    private final SharedIndexInformer<T> informer;
    private volatile Instant lastWatching;
    private volatile String lastError;

    /**
     * Creates and starts the informer; returns at once, without waiting for the first list.
     *
     * @param resource the plural resource name for messages, e.g. {@code pods}
     * @param source   what to list and watch, e.g. {@code client.pods().inAnyNamespace()}
     * @param now      the start time: a cache that never watched counts as stale from then on
     */
    ObjectCache(String resource, Informable<T> source, Function<? super T, ? extends R> toRecord,
                Supplier<T> emptyObject, Instant now) {
        this.resource = resource;
        this.store = new RecordStore<>(toRecord, emptyObject);
        this.lastWatching = now;
        // Lists come in pages, as client-go's informers request them: one page, not the whole list, is in memory at a
        // time while the cache fills.
        this.informer = source.withLimit(LIST_PAGE).runnableInformer(0);
        informer.itemStore(store);
        informer.exceptionHandler((started, t) -> {
            String error = describe(t);
            if (!error.equals(lastError)) {
                LOG.warn("listing or watching {} failed, retrying: {}", resource, error);
            }
            lastError = error;
            return true; // retry for ever: the cache must heal by itself when the API server comes back
        });
        informer.start();
    }

    /** The plural resource name, e.g. {@code pods}. */
    String resource() {
        return resource;
    }

    /** The record under {@code key}, or null when the cache has none (not synced, absent, or not yet seen). */
    R get(String key) {
        return store.record(key);
    }

    /** How many objects the cache holds. */
    int size() {
        return store.size();
    }

    /** Whether the first list has been stored. */
    boolean synced() {
        return informer.hasSynced();
    }

    /** Whether the watch is up now. */
    boolean watching() {
        return informer.isWatching();
    }

    /** The last list or watch failure, or null. */
    String lastError() {
        return lastError;
    }

    /** Records that the watch is up at {@code now}; called periodically and before health is reported. */
    void sample(Instant now) {
        if (informer.isWatching()) {
            lastWatching = now;
        }
    }

    /** A sentence on what is wrong with this cache at {@code now}, or null when it is synced and fresh. */
    String problem(Instant now, Duration staleAfter) {
        sample(now);
        if (!informer.hasSynced()) {
            return resource + ": not synced from the Kubernetes API yet" + (lastError == null ? "" : " (" + lastError + ")");
        }
        Duration down = Duration.between(lastWatching, now);
        if (down.compareTo(staleAfter) > 0) {
            return resource + ": not watching for " + down.toSeconds() + "s, longer than the " + staleAfter.toSeconds()
                    + "s bound; the cache may be stale" + (lastError == null ? "" : " (" + lastError + ")");
        }
        return null;
    }

    @Override
    public void close() {
        informer.stop();
    }

    /** The failure's type and message; fabric8's messages name the URL and status, never a credential. */
    static String describe(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String top = t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
        if (root == t) {
            return top;
        }
        return top + " (caused by " + root.getClass().getSimpleName()
                + (root.getMessage() == null ? "" : ": " + root.getMessage()) + ")";
    }
}
