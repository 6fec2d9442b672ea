/**
 * Gatehouse OIDC: a JWT/OpenID Connect token authenticator with Kubernetes' semantics and
 * {@code AuthenticationConfiguration}, resilient JWKS handling, and the project's one JWT engine.
 *
 * <p>{@code io.gatehouse.oidc} is the API for applications. {@code io.gatehouse.oidc.jwt} (strict compact-JWS
 * parsing, algorithm policy, trusted keys with ready verifiers, time and audience checks) is exported only
 * to the service account module, which builds on it.
 */
@SuppressWarnings("module") // io.gatehouse.serviceaccount is built later in the reactor
module io.gatehouse.oidc {
    requires io.gatehouse.core;
    requires com.nimbusds.jose.jwt;
    requires com.github.benmanes.caffeine;
    requires java.net.http;
    requires org.bouncycastle.provider; // lightweight ECDSA only; no JCA provider is registered

    exports io.gatehouse.oidc;
    exports io.gatehouse.oidc.jwt to io.gatehouse.serviceaccount;

    provides io.gatehouse.core.spi.AuthenticatorProvider with io.gatehouse.oidc.OidcAuthenticatorProvider;
}
