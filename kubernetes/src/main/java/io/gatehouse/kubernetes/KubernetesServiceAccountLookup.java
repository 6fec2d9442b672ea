package io.gatehouse.kubernetes;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.gatehouse.serviceaccount.NodeRecord;
import io.gatehouse.serviceaccount.ObjectLookupException;
import io.gatehouse.serviceaccount.PodRecord;
import io.gatehouse.serviceaccount.SecretRecord;
import io.gatehouse.serviceaccount.ServiceAccountLookup;
import io.gatehouse.serviceaccount.ServiceAccountRecord;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Pattern;

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
    private static final Pattern OBJECT_NAME = Pattern.compile("[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?");

    private final KubernetesClient client;
    private final ObjectCache<ServiceAccount, ServiceAccountRecord> serviceAccounts;
    private final ObjectCache<Secret, SecretRecord> secrets;
    private final ObjectCache<Pod, PodRecord> pods;
    private final ObjectCache<Node, NodeRecord> nodes;
    private final AtomicLong liveReads = new AtomicLong();

    KubernetesServiceAccountLookup(KubernetesClient client,
                                   ObjectCache<ServiceAccount, ServiceAccountRecord> serviceAccounts,
                                   ObjectCache<Secret, SecretRecord> secrets, ObjectCache<Pod, PodRecord> pods,
                                   ObjectCache<Node, NodeRecord> nodes) {
        this.client = client;
        this.serviceAccounts = serviceAccounts;
        this.secrets = secrets;
        this.pods = pods;
        this.nodes = nodes;
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
