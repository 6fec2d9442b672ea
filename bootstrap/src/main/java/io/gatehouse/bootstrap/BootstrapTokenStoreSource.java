package io.gatehouse.bootstrap;

import java.nio.file.Path;

/**
 * A {@link java.util.ServiceLoader} service through which the {@code bootstrap-token} configuration entry reads
 * Secrets from a Kubernetes API ({@code kubeconfig} setting) without this module depending on a Kubernetes client.
 * {@code gatehouse-kubernetes} provides it; applications use that module's {@code KubernetesApi} directly.
 */
public interface BootstrapTokenStoreSource {

    /**
     * A store of the bootstrap token Secrets in {@value BootstrapTokenSecret#NAMESPACE} of the API server
     * {@code kubeconfig} names. The caller owns the store: it is {@link AutoCloseable} and closing it releases the
     * connection once nothing else uses it.
     *
     * @param kubeconfig the kubeconfig file naming the API server and the credentials to read it with
     * @return the store, listing and watching the Secrets until closed
     * @throws io.gatehouse.core.ConfigurationException if the kubeconfig cannot be read or used
     */
    BootstrapTokenStore open(Path kubeconfig);
}
