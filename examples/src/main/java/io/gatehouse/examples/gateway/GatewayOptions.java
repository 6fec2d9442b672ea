package io.gatehouse.examples.gateway;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The gateway's settings, named and meant as kube-apiserver's flags.
 *
 * @param securePort            {@code --secure-port}
 * @param bindAddress           {@code --bind-address}
 * @param tlsCertFile           {@code --tls-cert-file}, or null for a self-signed serving certificate
 * @param tlsPrivateKeyFile     {@code --tls-private-key-file}
 * @param clientCaFile          {@code --client-ca-file}
 * @param tokenAuthFile         {@code --token-auth-file}
 * @param enableBootstrapTokenAuth {@code --enable-bootstrap-token-auth}
 * @param bootstrapTokenDir     {@code --bootstrap-token-dir} (ours: a directory of bootstrap-token Secret manifests)
 * @param serviceAccountKeyFiles {@code --service-account-key-file}, repeatable
 * @param serviceAccountIssuers {@code --service-account-issuer}, repeatable
 * @param serviceAccountSigningKeyFile {@code --service-account-signing-key-file}
 * @param apiAudiences          {@code --api-audiences}
 * @param serviceAccountLookup  {@code --service-account-lookup}: true by default when {@code kubeconfig} is given
 * @param oidcIssuerUrl         {@code --oidc-issuer-url}
 * @param oidcClientId          {@code --oidc-client-id}
 * @param oidcCaFile            {@code --oidc-ca-file}
 * @param oidcUsernameClaim     {@code --oidc-username-claim}
 * @param oidcUsernamePrefix    {@code --oidc-username-prefix}
 * @param oidcGroupsClaim       {@code --oidc-groups-claim}
 * @param oidcGroupsPrefix      {@code --oidc-groups-prefix}
 * @param oidcRequiredClaims    {@code --oidc-required-claim}, repeatable key=value
 * @param oidcSigningAlgs       {@code --oidc-signing-algs}
 * @param authenticationConfig  {@code --authentication-config}
 * @param webhookConfigFile     {@code --authentication-token-webhook-config-file}, or null
 * @param webhookVersion        {@code --authentication-token-webhook-version} ({@code v1beta1} by default)
 * @param webhookCacheTtl       {@code --authentication-token-webhook-cache-ttl} (2m by default)
 * @param anonymousAuth         {@code --anonymous-auth}; false unless set (kube-apiserver's default is true)
 * @param anonymousAuthGiven    whether {@code --anonymous-auth} was given at all (it may not be, with an
 *                              {@code anonymous} block in the authentication configuration)
 * @param auditLogPath          {@code --audit-log-path}; {@code -} for standard output
 * @param upstream              {@code --upstream}: where authenticated requests are proxied, or null
 * @param frontProxy            the request-header and proxy-client flags
 * @param kubeconfig            {@code --kubeconfig} (alias {@code --authentication-kubeconfig}): the Kubernetes API
 *                              that bootstrap tokens and service account lookups are read from, or null
 * @param alwaysAllowPaths      {@code --authorization-always-allow-paths}: paths served to a request that presents no
 *                              credential ({@code /healthz}, {@code /readyz}, {@code /livez} unless set); a presented
 *                              credential is still judged, and a bad one is still a 401
 * @param serving               the serving limits and timeouts
 */
record GatewayOptions(
        int securePort,
        String bindAddress,
        Path tlsCertFile,
        Path tlsPrivateKeyFile,
        Path clientCaFile,
        Path tokenAuthFile,
        boolean enableBootstrapTokenAuth,
        Path bootstrapTokenDir,
        List<Path> serviceAccountKeyFiles,
        List<String> serviceAccountIssuers,
        Path serviceAccountSigningKeyFile,
        List<String> apiAudiences,
        boolean serviceAccountLookup,
        String oidcIssuerUrl,
        String oidcClientId,
        Path oidcCaFile,
        String oidcUsernameClaim,
        String oidcUsernamePrefix,
        String oidcGroupsClaim,
        String oidcGroupsPrefix,
        Map<String, String> oidcRequiredClaims,
        List<String> oidcSigningAlgs,
        Path authenticationConfig,
        Path webhookConfigFile,
        String webhookVersion,
        java.time.Duration webhookCacheTtl,
        boolean anonymousAuth,
        boolean anonymousAuthGiven,
        String auditLogPath,
        java.net.URI upstream,
        FrontProxyOptions frontProxy,
        Path kubeconfig,
        List<String> alwaysAllowPaths,
        ServingOptions serving) {

    /** Whether any {@code --oidc-*} flag was given. */
    boolean anyOidcFlag() {
        return oidcIssuerUrl != null || oidcClientId != null || oidcCaFile != null || oidcUsernameClaim != null
                || oidcUsernamePrefix != null || oidcGroupsClaim != null || oidcGroupsPrefix != null
                || !oidcRequiredClaims.isEmpty() || !oidcSigningAlgs.isEmpty();
    }
}
