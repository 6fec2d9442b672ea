/**
 * Kubernetes bootstrap tokens ({@code --enable-bootstrap-token-auth}): the authenticator, the stores it reads
 * Secrets from (in memory, a directory of Secret manifests) and token generation as {@code kubeadm token create}.
 */
module io.gatehouse.bootstrap {
    requires transitive io.gatehouse.core;
    requires org.slf4j;

    exports io.gatehouse.bootstrap;

    uses io.gatehouse.bootstrap.BootstrapTokenStoreSource;

    provides io.gatehouse.core.spi.AuthenticatorProvider with io.gatehouse.bootstrap.BootstrapTokenProvider;
}
