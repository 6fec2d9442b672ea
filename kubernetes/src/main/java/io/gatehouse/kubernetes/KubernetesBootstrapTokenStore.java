package io.gatehouse.kubernetes;

import io.fabric8.kubernetes.api.model.Secret;
import io.gatehouse.bootstrap.BootstrapTokenSecret;
import io.gatehouse.bootstrap.BootstrapTokenStore;
import java.util.Optional;

/**
 * Bootstrap token Secrets from the informer over Secrets in {@code kube-system}, as kube-apiserver's Secret lister.
 * Like Kubernetes' lister it does not read through to the API: a Secret created a moment ago may not be found
 * until the watch delivers it. Unlike Kubernetes, a store whose first list has not arrived does not answer "not
 * found" but throws, so the rejection says that the API could not be read.
 */
final class KubernetesBootstrapTokenStore implements BootstrapTokenStore {

    private final ObjectCache<Secret, BootstrapTokenSecret> secrets;

    KubernetesBootstrapTokenStore(ObjectCache<Secret, BootstrapTokenSecret> secrets) {
        this.secrets = secrets;
    }

    @Override
    public Optional<BootstrapTokenSecret> find(String name) {
        BootstrapTokenSecret secret = secrets.get(BootstrapTokenSecret.NAMESPACE + "/" + name);
        if (secret == null && !secrets.synced()) {
            String error = secrets.lastError();
            throw new IllegalStateException("bootstrap token Secrets have not been listed from the Kubernetes API yet"
                    + (error == null ? "" : ": " + error));
        }
        return Optional.ofNullable(secret);
    }

    @Override
    public String toString() {
        return "KubernetesBootstrapTokenStore[" + secrets.size() + " secrets in " + BootstrapTokenSecret.NAMESPACE + "]";
    }
}
