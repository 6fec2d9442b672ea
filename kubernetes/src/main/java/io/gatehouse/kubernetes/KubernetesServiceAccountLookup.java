package io.gatehouse.kubernetes;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.gatehouse.serviceaccount.NodeRecord;
import io.gatehouse.serviceaccount.ObjectLookupException;
import io.gatehouse.serviceaccount.PodRecord;
import io.gatehouse.serviceaccount.SecretRecord;
import io.gatehouse.serviceaccount.ServiceAccountLookup;
import io.gatehouse.serviceaccount.ServiceAccountRecord;
import java.time.LocalDate;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * kube-apiserver's service account token getter over fabric8 informers: each object is read from its shared
 * informer's cache, and when the cache does not have it (not synced yet, or an object too new for the cache) from
 * the API server with a live GET, as Kubernetes does on any lister error. A GET that answers 404 means the object
 * does not exist; any other failure throws {@link ObjectLookupException}, so the token is rejected with the reason
 * and never accepted unchecked.
 *
 * <p>Thread-safe. A cache hit is one hash-map read.
 */
final class KubernetesServiceAccountLookup implements ServiceAccountLookup {

    /** A DNS-1123 subdomain, the widest name any of these kinds may have; nothing else can exist in the API. */
    private static final Logger LOG = LoggerFactory.getLogger(KubernetesServiceAccountLookup.class);
    private static final Pattern OBJECT_NAME = Pattern.compile("[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?");

    private final KubernetesClient client;
    private final ObjectCache<ServiceAccount, ServiceAccountRecord> serviceAccounts;
    private final ObjectCache<Secret, SecretRecord> secrets;
    private final ObjectCache<Pod, PodRecord> pods;
    private final ObjectCache<Node, NodeRecord> nodes;
    private final AtomicLong liveReads = new AtomicLong();
    /** Writes the legacy-token last-used label, off the request path; null when not recording. */
    private final ThreadPoolExecutor labeller;
    /** The secrets whose label was attempted on {@link #labelDay}: one attempt per secret per day. */
    private final Set<String> labelAttempts = ConcurrentHashMap.newKeySet();
    private volatile LocalDate labelDay;
    private final AtomicLong labelsWritten = new AtomicLong();

    KubernetesServiceAccountLookup(KubernetesClient client,
                                   ObjectCache<ServiceAccount, ServiceAccountRecord> serviceAccounts,
                                   ObjectCache<Secret, SecretRecord> secrets, ObjectCache<Pod, PodRecord> pods,
                                   ObjectCache<Node, NodeRecord> nodes, boolean recordLegacyTokenUse) {
        this.client = client;
        this.serviceAccounts = serviceAccounts;
        this.secrets = secrets;
        this.pods = pods;
        this.nodes = nodes;
        this.labeller = recordLegacyTokenUse ? labeller() : null;
    }

    private static ThreadPoolExecutor labeller() {
        // One thread, a bounded queue, and a use that finds the queue full is simply not recorded (the next day's
        // use will be): the request path never waits on the API server.
        ThreadPoolExecutor e = new ThreadPoolExecutor(1, 1, 30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(1024), r -> {
            Thread t = new Thread(r, "gatehouse-legacy-token-label");
            t.setDaemon(true);
            return t;
        }, new ThreadPoolExecutor.DiscardPolicy());
        e.allowCoreThreadTimeOut(true);
        return e;
    }

    /**
     * Kubernetes' last-used tracking for legacy tokens: a JSON merge patch of the Secret's
     * {@code kubernetes.io/legacy-token-last-used} label to the day, with the Secret's UID as a precondition. Only
     * when the API was built with {@link KubernetesApi.Builder#recordLegacyTokenUse(boolean)}; written off the request
     * path, attempted at most once per Secret per day by this gateway (Kubernetes tries on each use until the label
     * holds the day; a fleet of gateways without {@code patch} rights would otherwise retry on every request), and a
     * failure is only logged, with Kubernetes' text.
     */
    @Override
    public void legacyTokenUsed(String namespace, String name, LocalDate day) {
        if (labeller == null) {
            return;
        }
        if (!day.equals(labelDay)) {
            synchronized (labelAttempts) {
                if (!day.equals(labelDay)) {
                    labelAttempts.clear();
                    labelDay = day;
                }
            }
        }
        if (labelAttempts.size() >= MAX_LABEL_ATTEMPTS_PER_DAY || !labelAttempts.add(namespace + "/" + name)) {
            return;
        }
        labeller.execute(() -> label(namespace, name, day));
    }

    private static final int MAX_LABEL_ATTEMPTS_PER_DAY = 100_000;

    private void label(String namespace, String name, LocalDate day) {
        try {
            SecretRecord cached = secrets.get(namespace + "/" + name);
            String uid = cached != null ? cached.uid()
                    : client.secrets().inNamespace(namespace).withName(name).get().getMetadata().getUid();
            String patch = "{\"metadata\":{\"uid\":" + json(uid) + ",\"labels\":{" + json(SecretRecord.LEGACY_TOKEN_LAST_USED_LABEL)
                    + ":" + json(day.toString()) + "}}}";
            client.secrets().inNamespace(namespace).withName(name).patch(PatchContext.of(PatchType.JSON_MERGE), patch);
            labelsWritten.incrementAndGet();
        } catch (RuntimeException e) {
            LOG.warn("Failed to label legacy service account token {}/{} with last-used date, err: {}", namespace, name,
                    ObjectCache.describe(e));
        }
    }

    /** A JSON string; names and UIDs are DNS-1123 or UUIDs, but quote properly anyway. */
    private static String json(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (c < 0x20) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.append('"').toString();
    }

    /** How many last-used labels this lookup has written. */
    long labelsWritten() {
        return labelsWritten.get();
    }

    /** Stops the label writer; queued writes are dropped. */
    void close() {
        if (labeller != null) {
            labeller.shutdownNow();
        }
    }

    @Override
    public Optional<ServiceAccountRecord> serviceAccount(String namespace, String name) {
        return find(serviceAccounts, namespace, name,
                () -> client.serviceAccounts().inNamespace(namespace).withName(name).get(), ObjectRecords::serviceAccount);
    }

    @Override
    public Optional<SecretRecord> secret(String namespace, String name) {
        return find(secrets, namespace, name,
                () -> client.secrets().inNamespace(namespace).withName(name).get(), ObjectRecords::secret);
    }

    @Override
    public Optional<PodRecord> pod(String namespace, String name) {
        return find(pods, namespace, name,
                () -> client.pods().inNamespace(namespace).withName(name).get(), ObjectRecords::pod);
    }

    @Override
    public Optional<NodeRecord> node(String name) {
        return find(nodes, null, name, () -> client.nodes().withName(name).get(), ObjectRecords::node);
    }

    /** How many live GETs this lookup has made (cache misses). */
    long liveReads() {
        return liveReads.get();
    }

    private <T, R> Optional<R> find(ObjectCache<?, R> cache, String namespace, String name, Supplier<T> get,
                                    Function<T, R> toRecord) {
        R cached = cache.get(namespace == null ? name : namespace + "/" + name);
        if (cached != null) {
            return Optional.of(cached);
        }
        if (!OBJECT_NAME.matcher(name).matches() || (namespace != null && !OBJECT_NAME.matcher(namespace).matches())) {
            return Optional.empty(); // no such object can exist, so there is nothing to ask the API about
        }
        liveReads.incrementAndGet();
        T live;
        try {
            live = get.get();
        } catch (KubernetesClientException e) {
            if (e.getCode() == 404) {
                return Optional.empty();
            }
            throw failure(cache, namespace, name, e);
        } catch (RuntimeException e) {
            throw failure(cache, namespace, name, e);
        }
        return live == null ? Optional.empty() : Optional.of(toRecord.apply(live));
    }

    private static ObjectLookupException failure(ObjectCache<?, ?> cache, String namespace, String name,
                                                 RuntimeException e) {
        return new ObjectLookupException("reading " + cache.resource() + " " + (namespace == null ? "" : namespace + "/")
                + name + " from the Kubernetes API failed: " + ObjectCache.describe(e), e);
    }

    @Override
    public String toString() {
        return "KubernetesServiceAccountLookup{serviceAccounts=" + serviceAccounts.size() + ", secrets=" + secrets.size()
                + ", pods=" + pods.size() + ", nodes=" + nodes.size() + "}";
    }
}
