package io.gatehouse.bootstrap;

import java.util.Optional;

/**
 * Where the {@link BootstrapTokenAuthenticator} looks up bootstrap token Secrets: the part of Kubernetes'
 * Secret lister for {@value BootstrapTokenSecret#NAMESPACE} that it uses. Gatehouse ships an in-memory store
 * ({@link InMemoryBootstrapTokenStore}) and a directory of Secret manifests ({@link BootstrapTokenDirectory}); a
 * store backed by the Kubernetes API (an informer watching Secrets of type {@value BootstrapTokenSecret#TYPE} in
 * {@code kube-system}) fits the same interface.
 *
 * <p>Implementations must be thread-safe and answer from memory: {@link #find} runs on request threads for every
 * bootstrap-shaped token. A store that holds resources (a watch, a thread) implements {@link AutoCloseable}; the
 * authenticator built on it closes it.
 */
@FunctionalInterface
public interface BootstrapTokenStore {

    /**
     * Looks up the Secret called {@code name} in {@value BootstrapTokenSecret#NAMESPACE}.
     *
     * @param name a Secret name, {@code bootstrap-token-<id>}; never null
     * @return the Secret as the store last saw it, or empty when there is none
     * @throws RuntimeException when the lookup itself failed (for example, a store that has not synced yet); the
     *                          authenticator rejects the token with {@code INTERNAL_ERROR}, as Kubernetes returns a
     *                          lister error. The message must not contain a token secret.
     */
    Optional<BootstrapTokenSecret> find(String name);
}
