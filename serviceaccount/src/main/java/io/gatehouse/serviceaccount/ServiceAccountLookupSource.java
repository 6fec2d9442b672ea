package io.gatehouse.serviceaccount;

import java.nio.file.Path;

/**
 * A {@link java.util.ServiceLoader} service through which the {@code service-account} configuration entry looks
 * objects up in a Kubernetes API ({@code kubeconfig} setting) without this module depending on a Kubernetes client.
 * {@code gatehouse-kubernetes} provides it; applications use that module's {@code KubernetesApi} directly.
 */
public interface ServiceAccountLookupSource {

    /**
     * Kubernetes' service account token getter over the API server {@code kubeconfig} names. The caller owns the
     * lookup: it is {@link AutoCloseable} and closing it releases the connection once nothing else uses it.
     *
     * @param kubeconfig the kubeconfig naming the API server and the credentials to read it with
     * @return the lookup, its informers started on first use
     * @throws io.gatehouse.core.ConfigurationException if the kubeconfig cannot be read or used
     */
    ServiceAccountLookup lookup(Path kubeconfig);
}
