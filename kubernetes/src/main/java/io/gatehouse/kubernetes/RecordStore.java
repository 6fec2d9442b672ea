package io.gatehouse.kubernetes;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * An informer's item store that keeps, per object, only what authentication reads (a record, converted once when
 * the object arrives) and the identity the informer itself needs (name, namespace, uid, resource version). A Pod's
 * spec and status, a Secret's other data, managed fields and annotations are dropped on arrival, so 10,000 Pods cost
 * a few hundred bytes each instead of kilobytes, and a lookup on the request path is one hash-map read with no
 * conversion.
 *
 * <p>Thread-safe: the informer writes from its own thread while request threads read.
 */
final class RecordStore<T extends HasMetadata, R> implements ItemStore<T> {

    private record Entry<R>(R record, String namespace, String name, String uid, String resourceVersion) {
    }

    private final ConcurrentHashMap<String, Entry<R>> entries = new ConcurrentHashMap<>();
    private final Function<? super T, ? extends R> toRecord;
    private final Supplier<T> emptyObject;

    /**
     * @param toRecord    converts an object as the API sent it; must not throw
     * @param emptyObject a new, empty object of the informer's type, given back to the informer with identity only
     */
    RecordStore(Function<? super T, ? extends R> toRecord, Supplier<T> emptyObject) {
        this.toRecord = toRecord;
        this.emptyObject = emptyObject;
    }

    /** The record stored under {@code namespace/name} (or {@code name} for cluster-scoped objects), or null. */
    R record(String key) {
        Entry<R> e = entries.get(key);
        return e == null ? null : e.record();
    }

    @Override
    public String getKey(T obj) {
        return Cache.metaNamespaceKeyFunc(obj);
    }

    @Override
    public T put(String key, T obj) {
        ObjectMeta m = obj.getMetadata();
        Entry<R> fresh = new Entry<>(toRecord.apply(obj), m.getNamespace(), m.getName(), m.getUid(),
                m.getResourceVersion());
        return identity(entries.put(key, fresh));
    }

    @Override
    public T remove(String key) {
        return identity(entries.remove(key));
    }

    @Override
    public Stream<String> keySet() {
        return entries.keySet().stream();
    }

    @Override
    public Stream<T> values() {
        return entries.values().stream().map(this::identity);
    }

    @Override
    public int size() {
        return entries.size();
    }

    @Override
    public T get(String key) {
        return identity(entries.get(key));
    }

    /** False: the informer must not rely on the objects it gets back holding more than their identity. */
    @Override
    public boolean isFullState() {
        return false;
    }

    /** What the informer gets back: an object with the stored identity and nothing else. */
    private T identity(Entry<R> e) {
        if (e == null) {
            return null;
        }
        T obj = emptyObject.get();
        ObjectMeta m = new ObjectMeta();
        m.setNamespace(e.namespace());
        m.setName(e.name());
        m.setUid(e.uid());
        m.setResourceVersion(e.resourceVersion());
        obj.setMetadata(m);
        return obj;
    }
}
