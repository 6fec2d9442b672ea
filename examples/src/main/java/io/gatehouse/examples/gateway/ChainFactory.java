package io.gatehouse.examples.gateway;

import io.gatehouse.bootstrap.BootstrapTokenAuthenticator;
import io.gatehouse.bootstrap.BootstrapTokenDirectory;
import io.gatehouse.bootstrap.BootstrapTokenStore;
import io.gatehouse.core.AuthenticationChain;
import io.gatehouse.core.AuthenticationListener;
import io.gatehouse.core.spi.ChainMember;
import io.gatehouse.kubernetes.KubernetesApi;
import io.gatehouse.oidc.AuthenticationConfiguration;
import io.gatehouse.oidc.LegacyOidcFlags;
import io.gatehouse.oidc.OidcAuthenticator;
import io.gatehouse.oidc.ReloadingOidcAuthenticator;
import io.gatehouse.serviceaccount.ServiceAccountDiscovery;
import io.gatehouse.serviceaccount.ServiceAccountKeys;
import io.gatehouse.serviceaccount.ServiceAccountLookup;
import io.gatehouse.serviceaccount.ServiceAccountTokenAuthenticator;
import io.gatehouse.serviceaccount.ServiceAccountTokenIssuer;
import io.gatehouse.statictoken.StaticTokenAuthenticator;
import io.gatehouse.webhook.WebhookTokenAuthenticator;
import io.gatehouse.x509.DeferringTrustManager;
import io.gatehouse.x509.RequestHeaderAuthenticator;
import io.gatehouse.x509.X509Authenticator;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds the gateway's authenticators from kube-apiserver flags, in kube-apiserver's order: the front proxy
 * (request headers), client certificates, then the token authenticators (token file, service accounts, bootstrap, OIDC) as one union.
 */
final class ChainFactory {

    /**
     * The two chains the gateway serves with; they share their authenticators.
     *
     * @param requests     judges every request (anonymous as configured)
     * @param tokenReviews judges TokenReview tokens: the same token authenticators, never anonymous
     * @param issuer       mints service account tokens, or null without {@code --service-account-signing-key-file}
     * @param discovery    the service account issuer's discovery document and JWKS, or null
     * @param clientTrust  the TLS trust manager: client certificates requested, judged by the x509 authenticator
     * @param kubernetes   the Kubernetes API ({@code --kubeconfig}) the lookups read, or null
     * @param readiness    what {@code /readyz} checks beyond the server itself: OIDC issuers' keys, the Kubernetes API
     */
    record Chains(AuthenticationChain requests, AuthenticationChain tokenReviews, ServiceAccountTokenIssuer issuer,
                  ServiceAccountDiscovery discovery, DeferringTrustManager clientTrust, KubernetesApi kubernetes,
                  List<HealthEndpoint.Check> readiness)
            implements AutoCloseable {
        @Override
        public void close() {
            requests.close();
            if (kubernetes != null) {
                kubernetes.close();
            }
        }
    }

    private ChainFactory() {
    }

    static Chains build(GatewayOptions o, Clock clock, AuthenticationListener listener) throws GatewayFlags.FlagException {
        KubernetesApi kubernetes = o.kubeconfig() == null ? null : KubernetesApi.builder().kubeconfig(o.kubeconfig()).build();
        try {
            return build(o, clock, listener, kubernetes);
        } catch (GatewayFlags.FlagException | RuntimeException e) {
            if (kubernetes != null) {
                kubernetes.close();
            }
            throw e;
        }
    }

    private static Chains build(GatewayOptions o, Clock clock, AuthenticationListener listener, KubernetesApi kubernetes)
            throws GatewayFlags.FlagException {
        List<Member> members = new ArrayList<>();
        List<HealthEndpoint.Check> readiness = new ArrayList<>();
        // Without --client-ca-file, certificates are still requested (none advertised) and nobody judges them.
        DeferringTrustManager clientTrust = new DeferringTrustManager(List::of);
        if (o.clientCaFile() != null) {
            X509Authenticator x509 = X509Authenticator.builder().clientCaFile(o.clientCaFile()).clock(clock)
                    .listener(listener).build();
            clientTrust = x509.trustManager();
            members.add(new Member("x509", new ChainMember.Request(x509)));
        }
        // kube-apiserver judges the front proxy first, before client certificates and tokens.
        RequestHeaderAuthenticator requestHeader = FrontProxy.requestHeader(o, clock, listener);
        if (requestHeader != null) {
            members.add(0, new Member("request-header", new ChainMember.Request(requestHeader)));
            clientTrust = FrontProxy.clientTrust(clientTrust, requestHeader);
        }
        if (o.tokenAuthFile() != null) {
            members.add(new Member("token-file", new ChainMember.Token(StaticTokenAuthenticator.builder()
                    .file(o.tokenAuthFile()).listener(listener).build())));
        }
        ServiceAccountTokenIssuer issuer = null;
        ServiceAccountDiscovery discovery = null;
        if (!o.serviceAccountKeyFiles().isEmpty() || !o.serviceAccountIssuers().isEmpty()
                || o.serviceAccountSigningKeyFile() != null) {
            if (o.serviceAccountIssuers().isEmpty()) {
                throw new GatewayFlags.FlagException("--service-account-issuer is required with service account keys");
            }
            // kube-apiserver: without --service-account-key-file, the signing key verifies.
            List<Path> keyFiles = new ArrayList<>(o.serviceAccountKeyFiles());
            if (keyFiles.isEmpty() && o.serviceAccountSigningKeyFile() != null) {
                keyFiles.add(o.serviceAccountSigningKeyFile());
            }
            if (keyFiles.isEmpty()) {
                throw new GatewayFlags.FlagException("--service-account-key-file or --service-account-signing-key-file is required");
            }
            members.add(new Member("service-account", new ChainMember.Token(ServiceAccountTokenAuthenticator.builder()
                    .keyFiles(keyFiles).issuers(o.serviceAccountIssuers()).apiAudiences(apiAudiences(o))
                    // With an API, bound tokens are always checked and legacy ones as --service-account-lookup says.
                    .lookup(kubernetes == null ? ServiceAccountLookup.none() : kubernetes.serviceAccountLookup())
                    .legacyLookup(o.serviceAccountLookup()).clock(clock).listener(listener).build())));
            String primary = o.serviceAccountIssuers().get(0);
            List<java.security.PublicKey> published = new ArrayList<>();
            for (Path f : keyFiles) {
                published.addAll(ServiceAccountKeys.readPublicKeys(f));
            }
            discovery = ServiceAccountDiscovery.builder().issuer(primary)
                    .jwksUri(primary + ServiceAccountDiscovery.JWKS_PATH).keys(published).build();
            if (o.serviceAccountSigningKeyFile() != null) {
                issuer = ServiceAccountTokenIssuer.builder().signingKeyFile(o.serviceAccountSigningKeyFile())
                        .issuer(primary).apiAudiences(apiAudiences(o)).clock(clock).build();
            }
        }
        if (o.enableBootstrapTokenAuth()) {
            BootstrapTokenStore secrets = kubernetes != null ? kubernetes.bootstrapTokenStore()
                    : BootstrapTokenDirectory.builder(o.bootstrapTokenDir()).listener(listener).build();
            members.add(new Member("bootstrap", new ChainMember.Token(BootstrapTokenAuthenticator.builder().store(secrets)
                    .clock(clock).build())));
        }
        if (o.authenticationConfig() != null) {
            // kube-apiserver keeps JWT authenticators after the service accounts and reloads the file.
            ReloadingOidcAuthenticator oidc = ReloadingOidcAuthenticator.watch(o.authenticationConfig(),
                    Duration.ofSeconds(5), Duration.ofMinutes(1),
                    b -> b.clock(clock).listener(listener).disallowedIssuers(o.serviceAccountIssuers()), listener);
            readiness.add(HealthEndpoint.oidc(oidc::health));
            members.add(new Member("oidc", new ChainMember.Token(oidc)));
        } else if (o.anyOidcFlag()) {
            if (o.oidcIssuerUrl() == null || o.oidcClientId() == null) {
                throw new GatewayFlags.FlagException("--oidc-issuer-url and --oidc-client-id must be given together");
            }
            LegacyOidcFlags flags = LegacyOidcFlags.builder().issuerUrl(o.oidcIssuerUrl()).clientId(o.oidcClientId());
            if (o.oidcCaFile() != null) {
                flags.caFile(o.oidcCaFile());
            }
            if (o.oidcUsernameClaim() != null) {
                flags.usernameClaim(o.oidcUsernameClaim());
            }
            if (o.oidcUsernamePrefix() != null) {
                flags.usernamePrefix(o.oidcUsernamePrefix());
            }
            if (o.oidcGroupsClaim() != null) {
                flags.groupsClaim(o.oidcGroupsClaim());
            }
            if (o.oidcGroupsPrefix() != null) {
                flags.groupsPrefix(o.oidcGroupsPrefix());
            }
            o.oidcRequiredClaims().forEach(flags::requiredClaim);
            if (!o.oidcSigningAlgs().isEmpty()) {
                flags.signingAlgorithms(o.oidcSigningAlgs());
            }
            OidcAuthenticator oidc = OidcAuthenticator.builder().issuer(flags.toIssuer())
                    .disallowedIssuers(o.serviceAccountIssuers()).clock(clock).listener(listener).build();
            readiness.add(HealthEndpoint.oidc(oidc::health));
            members.add(new Member("oidc", new ChainMember.Token(oidc)));
        }
        if (o.webhookConfigFile() != null) {
            // kube-apiserver asks the webhook last, after every authenticator it has itself.
            members.add(new Member("webhook", new ChainMember.Token(WebhookTokenAuthenticator.builder(o.webhookConfigFile())
                    .version(o.webhookVersion()).cacheTtl(o.webhookCacheTtl()).apiAudiences(apiAudiences(o))
                    .listener(listener).build())));
        }
        if (members.isEmpty() && !o.anonymousAuth()) {
            throw new GatewayFlags.FlagException("no authentication method configured: give --token-auth-file, "
                    + "--client-ca-file, --requestheader-client-ca-file, --enable-bootstrap-token-auth, "
                    + "--service-account-key-file, --oidc-issuer-url or "
                    + "--authentication-config or --authentication-token-webhook-config-file");
        }
        AuthenticationChain.Builder requestChain = chain(members, o, clock, listener).anonymous(o.anonymousAuth());
        if (o.authenticationConfig() != null) {
            java.util.Optional<AuthenticationConfiguration.Anonymous> anonymous =
                    AuthenticationConfiguration.anonymous(o.authenticationConfig());
            if (anonymous.isPresent()) {
                if (o.anonymousAuthGiven()) {
                    // kube-apiserver's own wording.
                    throw new GatewayFlags.FlagException("anonymous: Forbidden: --anonymous-auth flag cannot be set "
                            + "when anonymous field is configured in authentication configuration file");
                }
                requestChain.anonymous(anonymous.get().enabled())
                        .anonymousConditions(anonymous.get().conditionPaths());
            }
        }
        AuthenticationChain requests = requestChain.build();
        List<Member> tokens = members.stream().filter(m -> m.member() instanceof ChainMember.Token).toList();
        AuthenticationChain reviews = tokens.isEmpty() ? requests : chain(tokens, o, clock, listener).build();
        if (kubernetes != null) {
            readiness.add(HealthEndpoint.kubernetes(kubernetes::health));
        }
        return new Chains(requests, reviews, issuer, discovery, clientTrust, kubernetes, List.copyOf(readiness));
    }

    private record Member(String name, ChainMember member) {
    }

    private static AuthenticationChain.Builder chain(List<Member> members, GatewayOptions o, Clock clock,
                                                     AuthenticationListener listener) {
        AuthenticationChain.Builder b = AuthenticationChain.builder().clock(clock).listener(listener)
                .apiAudiences(apiAudiences(o));
        for (Member m : members) {
            b.add(m.name(), m.member());
        }
        return b;
    }

    /** kube-apiserver: {@code --api-audiences} defaults to the service account issuers. */
    static List<String> apiAudiences(GatewayOptions o) {
        return o.apiAudiences().isEmpty() ? o.serviceAccountIssuers() : o.apiAudiences();
    }
}
