/**
 * Gatehouse core: the authenticator SPI, the Kubernetes-style union chain, bearer-token parsing, the
 * token-result cache, configuration loading and events.
 *
 * <p>{@code io.gatehouse.core} is the API for applications; {@code io.gatehouse.core.spi} is for authors
 * of authenticator modules.
 */
module io.gatehouse.core {
    requires transitive org.slf4j;
    requires com.github.benmanes.caffeine;
    requires transitive java.net.http;
    requires org.snakeyaml.engine;

    exports io.gatehouse.core;
    exports io.gatehouse.core.spi;

    uses io.gatehouse.core.spi.AuthenticatorProvider;
}
