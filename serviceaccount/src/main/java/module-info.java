/**
 * Gatehouse service account tokens: verify Kubernetes' legacy and bound service account tokens
 * ({@code --service-account-key-file}, {@code --service-account-issuer}, {@code --api-audiences},
 * {@code --service-account-lookup}) on the jwt module's engine, and issue bound tokens with the issuer's
 * discovery document and JWKS (TokenRequest). Signing uses Nimbus JOSE; verification never does here.
 */
module io.gatehouse.serviceaccount {
    requires transitive io.gatehouse.core;
    requires io.gatehouse.jwt;
    requires com.nimbusds.jose.jwt;
    requires org.bouncycastle.provider; // EC arithmetic only (SEC1 public keys); no JCA provider is registered

    exports io.gatehouse.serviceaccount;

    uses io.gatehouse.serviceaccount.ServiceAccountLookupSource;

    provides io.gatehouse.core.spi.AuthenticatorProvider
            with io.gatehouse.serviceaccount.ServiceAccountAuthenticatorProvider;
}
