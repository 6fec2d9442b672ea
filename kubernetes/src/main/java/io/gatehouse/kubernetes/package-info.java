/**
 * Bootstrap tokens and service account lookups from a Kubernetes API server. {@link
 * io.gatehouse.kubernetes.KubernetesApi} owns the client and its shared informers and hands out a
 * {@link io.gatehouse.bootstrap.BootstrapTokenStore} and a {@link io.gatehouse.serviceaccount.ServiceAccountLookup};
 * {@link io.gatehouse.kubernetes.KubernetesApiHealth} says whether their caches can be trusted.
 */
package io.gatehouse.kubernetes;
