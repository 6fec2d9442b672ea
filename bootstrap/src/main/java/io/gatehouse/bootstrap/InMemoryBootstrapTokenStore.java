package io.gatehouse.bootstrap;

import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * A {@link BootstrapTokenStore} that an application fills in code. Secrets are kept by name and must be in
 * {@value BootstrapTokenSecret#NAMESPACE}, the only namespace Kubernetes looks in.
 *
 * <p>Thread-safe: changes are visible to the next lookup.
 */
public final class InMemoryBootstrapTokenStore implements BootstrapTokenStore {

    private final ConcurrentMap<String, BootstrapTokenSecret> secrets = new ConcurrentHashMap<>();

    /** An empty store. */
    public InMemoryBootstrapTokenStore() {
    }

    /**
     * Adds {@code secret}, replacing any Secret of the same name.
     *
     * @param secret the Secret to add; not null, in {@value BootstrapTokenSecret#NAMESPACE}
     * @return this store
     * @throws NullPointerException     if {@code secret} is null
     * @throws IllegalArgumentException if {@code secret} is not in {@value BootstrapTokenSecret#NAMESPACE}
     */
    public InMemoryBootstrapTokenStore put(BootstrapTokenSecret secret) {
        Objects.requireNonNull(secret, "secret");
        if (!BootstrapTokenSecret.NAMESPACE.equals(secret.namespace())) {
            // Kubernetes' lister is scoped to kube-system: a Secret elsewhere could never be found.
            throw new IllegalArgumentException("Secret " + secret.namespace() + "/" + secret.name()
                    + " is not in " + BootstrapTokenSecret.NAMESPACE + ", where bootstrap tokens are looked up");
        }
        secrets.put(secret.name(), secret);
        return this;
    }

    /**
     * Removes the Secret called {@code name}, if any.
     *
     * @param name the Secret's name; not null
     * @return whether a Secret was removed
     */
    public boolean remove(String name) {
        return secrets.remove(Objects.requireNonNull(name, "name")) != null;
    }

    /**
     * How many Secrets the store holds.
     *
     * @return the number of Secrets held, zero or more
     */
    public int size() {
        return secrets.size();
    }

    @Override
    public Optional<BootstrapTokenSecret> find(String name) {
        return Optional.ofNullable(secrets.get(name));
    }

    @Override
    public String toString() {
        return "InMemoryBootstrapTokenStore[" + secrets.size() + " secrets]";
    }
}
