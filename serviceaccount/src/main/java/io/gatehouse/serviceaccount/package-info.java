/**
 * Kubernetes service account tokens. Verify with {@link io.gatehouse.serviceaccount.ServiceAccountTokenAuthenticator}
 * (keys from {@link io.gatehouse.serviceaccount.ServiceAccountKeys}, optional object checks through a
 * {@link io.gatehouse.serviceaccount.ServiceAccountLookup}); issue with
 * {@link io.gatehouse.serviceaccount.ServiceAccountTokenIssuer} and publish the verification keys with
 * {@link io.gatehouse.serviceaccount.ServiceAccountDiscovery}.
 */
package io.gatehouse.serviceaccount;
