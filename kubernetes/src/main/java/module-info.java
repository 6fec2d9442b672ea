/**
 * Gatehouse over a Kubernetes API server: bootstrap token Secrets and service account lookups
 * ({@code --service-account-lookup}) read through fabric8 shared informers, with Kubernetes' live-read fallback
 * for objects the cache has not seen yet. fabric8's jars carry no module descriptors, so they are automatic
 * modules named after their files.
 */
module io.gatehouse.kubernetes {
    requires transitive io.gatehouse.core;
    requires transitive io.gatehouse.bootstrap;
    requires transitive io.gatehouse.serviceaccount;
    requires transitive kubernetes.client.api;
    requires kubernetes.model.core;
    requires kubernetes.model.common;
    requires org.slf4j;

    exports io.gatehouse.kubernetes;

    provides io.gatehouse.bootstrap.BootstrapTokenStoreSource with io.gatehouse.kubernetes.KubernetesApiSources;
    provides io.gatehouse.serviceaccount.ServiceAccountLookupSource with io.gatehouse.kubernetes.KubernetesApiSources;
}
