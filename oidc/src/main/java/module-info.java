/**
 * Gatehouse OIDC: a JWT/OpenID Connect token authenticator with Kubernetes' semantics and
 * {@code AuthenticationConfiguration}, and resilient JWKS handling, on the jwt module's engine.
 *
 * <p>Registers the {@code oidc} authenticator type with {@link java.util.ServiceLoader}.
 */
module io.gatehouse.oidc {
    requires transitive io.gatehouse.core;
    requires io.gatehouse.jwt;
    requires com.nimbusds.jose.jwt;
    requires com.github.benmanes.caffeine;
    requires java.net.http;
    requires org.slf4j;

    exports io.gatehouse.oidc;

    provides io.gatehouse.core.spi.AuthenticatorProvider with io.gatehouse.oidc.OidcAuthenticatorProvider;
}
