/**
 * Gatehouse X.509: client-certificate authentication with Kubernetes' {@code --client-ca-file} semantics,
 * plus CRL and OCSP revocation, a hot-reloaded trust bundle and a cache of verified chains; and Kubernetes'
 * request-header (front proxy) authenticator, a client-certificate check first.
 *
 * <p>Registers the {@code x509} and {@code request-header} authenticator types with {@link java.util.ServiceLoader}.
 */
@SuppressWarnings("module") // the name ends in digits because the standard is called X.509
module io.gatehouse.x509 {
    requires transitive io.gatehouse.core;
    requires com.github.benmanes.caffeine;
    requires java.net.http;
    requires org.slf4j;
    requires org.bouncycastle.pkix;
    requires org.bouncycastle.provider;

    exports io.gatehouse.x509;

    provides io.gatehouse.core.spi.AuthenticatorProvider with io.gatehouse.x509.X509AuthenticatorProvider,
            io.gatehouse.x509.RequestHeaderAuthenticatorProvider;
}
