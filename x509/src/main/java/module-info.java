/**
 * Gatehouse X.509: client-certificate authentication with Kubernetes' {@code --client-ca-file} semantics,
 * plus CRL and OCSP revocation, a hot-reloaded trust bundle and a cache of verified chains.
 *
 * <p>Registers the {@code x509} authenticator type with {@link java.util.ServiceLoader}.
 */
@SuppressWarnings("module") // the name ends in digits because the standard is called X.509
module io.gatehouse.x509 {
    requires transitive io.gatehouse.core;
    requires com.github.benmanes.caffeine;
    requires java.net.http;
    requires org.bouncycastle.pkix;
    requires org.bouncycastle.provider;

    exports io.gatehouse.x509;

    provides io.gatehouse.core.spi.AuthenticatorProvider with io.gatehouse.x509.X509AuthenticatorProvider;
}
