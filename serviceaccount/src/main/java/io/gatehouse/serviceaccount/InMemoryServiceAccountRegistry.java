package io.gatehouse.serviceaccount;

import java.time.LocalDate;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A {@link ServiceAccountLookup} over objects held in memory: for embedders that keep their own record of
 * service accounts, secrets, pods and nodes, and for tests. Records are replaced whole ({@code put}) or
 * removed; a removed object makes the tokens that name it fail, as a deleted object does in Kubernetes.
 * Records legacy token use by setting the secret's last-used label, as Kubernetes' patch does.
 *
 * <p>Thread-safe; reads never block.
 */
public final class InMemoryServiceAccountRegistry implements ServiceAccountLookup {

    private final Map<String, ServiceAccountRecord> serviceAccounts = new ConcurrentHashMap<>();
    private final Map<String, SecretRecord> secrets = new ConcurrentHashMap<>();
    private final Map<String, PodRecord> pods = new ConcurrentHashMap<>();
    private final Map<String, NodeRecord> nodes = new ConcurrentHashMap<>();

    /** An empty registry. */
    public InMemoryServiceAccountRegistry() {
    }

    /**
     * Adds or replaces a service account.
     *
     * @param serviceAccount the record, keyed by its namespace and name
     * @return this registry
     */
    public InMemoryServiceAccountRegistry put(ServiceAccountRecord serviceAccount) {
        serviceAccounts.put(key(serviceAccount.namespace(), serviceAccount.name()), serviceAccount);
        return this;
    }

    /**
     * Adds or replaces a secret.
     *
     * @param secret the record, keyed by its namespace and name
     * @return this registry
     */
    public InMemoryServiceAccountRegistry put(SecretRecord secret) {
        secrets.put(key(secret.namespace(), secret.name()), secret);
        return this;
    }

    /**
     * Adds or replaces a pod.
     *
     * @param pod the record, keyed by its namespace and name
     * @return this registry
     */
    public InMemoryServiceAccountRegistry put(PodRecord pod) {
        pods.put(key(pod.namespace(), pod.name()), pod);
        return this;
    }

    /**
     * Adds or replaces a node.
     *
     * @param node the record, keyed by its name
     * @return this registry
     */
    public InMemoryServiceAccountRegistry put(NodeRecord node) {
        nodes.put(node.name(), node);
        return this;
    }

    /**
     * Removes a service account; true if there was one.
     *
     * @param namespace the service account's namespace
     * @param name its name
     * @return whether one was removed
     */
    public boolean removeServiceAccount(String namespace, String name) {
        return serviceAccounts.remove(key(namespace, name)) != null;
    }

    /**
     * Removes a secret; true if there was one.
     *
     * @param namespace the secret's namespace
     * @param name its name
     * @return whether one was removed
     */
    public boolean removeSecret(String namespace, String name) {
        return secrets.remove(key(namespace, name)) != null;
    }

    /**
     * Removes a pod; true if there was one.
     *
     * @param namespace the pod's namespace
     * @param name its name
     * @return whether one was removed
     */
    public boolean removePod(String namespace, String name) {
        return pods.remove(key(namespace, name)) != null;
    }

    /**
     * Removes a node; true if there was one.
     *
     * @param name the node's name
     * @return whether one was removed
     */
    public boolean removeNode(String name) {
        return nodes.remove(name) != null;
    }

    @Override
    public Optional<ServiceAccountRecord> serviceAccount(String namespace, String name) {
        return Optional.ofNullable(serviceAccounts.get(key(namespace, name)));
    }

    @Override
    public Optional<SecretRecord> secret(String namespace, String name) {
        return Optional.ofNullable(secrets.get(key(namespace, name)));
    }

    @Override
    public Optional<PodRecord> pod(String namespace, String name) {
        return Optional.ofNullable(pods.get(key(namespace, name)));
    }

    @Override
    public Optional<NodeRecord> node(String name) {
        return Optional.ofNullable(nodes.get(name));
    }

    /** Sets the secret's {@link SecretRecord#LEGACY_TOKEN_LAST_USED_LABEL} to {@code day}, if the secret still exists. */
    @Override
    public void legacyTokenUsed(String namespace, String name, LocalDate day) {
        secrets.computeIfPresent(key(namespace, name), (k, s) -> {
            Map<String, String> labels = new HashMap<>(s.labels());
            labels.put(SecretRecord.LEGACY_TOKEN_LAST_USED_LABEL, day.toString());
            return s.withLabels(labels);
        });
    }

    private static String key(String namespace, String name) {
        // '/' cannot occur in a namespace, so the key is unambiguous.
        return namespace + "/" + name;
    }

    @Override
    public String toString() {
        return "InMemoryServiceAccountRegistry{serviceAccounts=" + serviceAccounts.size() + ", secrets=" + secrets.size()
                + ", pods=" + pods.size() + ", nodes=" + nodes.size() + "}";
    }
}
