package io.gatehouse.examples.gateway;

import io.gatehouse.core.AuthenticationChain;
import io.gatehouse.core.AuthenticationListener;
import io.gatehouse.bootstrap.BootstrapTokenAuthenticator;
import io.gatehouse.bootstrap.BootstrapTokenDirectory;
import io.gatehouse.oidc.LegacyOidcFlags;
import io.gatehouse.oidc.OidcAuthenticator;
import io.gatehouse.oidc.ReloadingOidcAuthenticator;
import io.gatehouse.statictoken.StaticTokenAuthenticator;
import io.gatehouse.x509.X509Authenticator;
import java.time.Duration;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds the gateway's authenticators from kube-apiserver flags, in kube-apiserver's order: client
 * certificates, then the token authenticators (token file, service accounts, bootstrap, OIDC) as one union.
 */
final class ChainFactory {

    /**
     * The two chains the gateway serves with; they share their authenticators.
     *
     * @param requests     judges every request (anonymous as configured)
     * @param tokenReviews judges TokenReview tokens: the same token authenticators, never anonymous
     */
    record Chains(AuthenticationChain requests, AuthenticationChain tokenReviews) implements AutoCloseable {
        @Override
        public void close() {
            requests.close();
        }
    }

    private ChainFactory() {
    }

    static Chains build(GatewayOptions o, Clock clock, AuthenticationListener listener) throws GatewayFlags.FlagException {
        List<Member> members = new ArrayList<>();
        if (o.clientCaFile() != null) {
            members.add(new Member("x509", X509Authenticator.builder().clientCaFile(o.clientCaFile()).clock(clock)
                    .listener(listener).build()));
        }
        if (o.tokenAuthFile() != null) {
            members.add(new Member("token-file", StaticTokenAuthenticator.builder().file(o.tokenAuthFile())
                    .listener(listener).build()));
        }
        unavailable(!o.serviceAccountKeyFiles().isEmpty() || !o.serviceAccountIssuers().isEmpty()
                || o.serviceAccountSigningKeyFile() != null, "--service-account-*", "serviceaccount");
        if (o.enableBootstrapTokenAuth()) {
            BootstrapTokenDirectory secrets = BootstrapTokenDirectory.builder(o.bootstrapTokenDir()).listener(listener).build();
            members.add(new Member("bootstrap", BootstrapTokenAuthenticator.builder().store(secrets).clock(clock).build()));
        }
        if (o.authenticationConfig() != null) {
            // kube-apiserver keeps JWT authenticators after the service accounts and reloads the file.
            members.add(new Member("oidc", ReloadingOidcAuthenticator.watch(o.authenticationConfig(), Duration.ofSeconds(5),
                    Duration.ofMinutes(1), b -> b.clock(clock).listener(listener), listener)));
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
            members.add(new Member("oidc", OidcAuthenticator.builder().issuer(flags.toIssuer()).clock(clock)
                    .listener(listener).build()));
        }
        if (members.isEmpty() && !o.anonymousAuth()) {
            throw new GatewayFlags.FlagException("no authentication method configured: give --token-auth-file, "
                    + "--client-ca-file, --enable-bootstrap-token-auth, --service-account-key-file, --oidc-issuer-url or "
                    + "--authentication-config");
        }
        AuthenticationChain requests = chain(members, o, clock, listener).anonymous(o.anonymousAuth()).build();
        List<Member> tokens = members.stream().filter(m -> m.member() instanceof io.gatehouse.core.TokenAuthenticator).toList();
        AuthenticationChain reviews = tokens.isEmpty() ? requests : chain(tokens, o, clock, listener).build();
        return new Chains(requests, reviews);
    }

    private record Member(String name, Object member) {
    }

    private static AuthenticationChain.Builder chain(List<Member> members, GatewayOptions o, Clock clock,
                                                     AuthenticationListener listener) {
        AuthenticationChain.Builder b = AuthenticationChain.builder().clock(clock).listener(listener)
                .apiAudiences(apiAudiences(o));
        for (Member m : members) {
            if (m.member() instanceof io.gatehouse.core.TokenAuthenticator t) {
                b.addToken(m.name(), t);
            } else {
                b.add(m.name(), (io.gatehouse.core.Authenticator) m.member());
            }
        }
        return b;
    }

    /** kube-apiserver: {@code --api-audiences} defaults to the service account issuers. */
    static List<String> apiAudiences(GatewayOptions o) {
        return o.apiAudiences().isEmpty() ? o.serviceAccountIssuers() : o.apiAudiences();
    }

    private static void unavailable(boolean requested, String flag, String module) throws GatewayFlags.FlagException {
        if (requested) {
            throw new GatewayFlags.FlagException(flag + " is not available: the gatehouse-" + module
                    + " module is not part of this build yet");
        }
    }
}
