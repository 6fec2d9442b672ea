/**
 * Gatehouse static tokens: Kubernetes' {@code --token-auth-file} CSV, with hashed tokens and hot reload.
 */
module io.gatehouse.statictoken {
    requires transitive io.gatehouse.core;

    exports io.gatehouse.statictoken;

    provides io.gatehouse.core.spi.AuthenticatorProvider with io.gatehouse.statictoken.StaticTokenProvider;
}
