/**
 * Gatehouse core: the authenticator SPI, the Kubernetes-style union chain, bearer-token parsing, the
 * token-result cache, configuration loading and events.
 *
 * <p>{@code io.gatehouse.core} is the API for applications; {@code io.gatehouse.core.spi} is for authors
 * of authenticator modules. {@code io.gatehouse.core.internal} holds helpers that Gatehouse's own modules
 * share (Go-compatible text, bounded YAML and HTTP bodies, reloading files, PEM); it is exported only to
 * them and is not API.
 */
@SuppressWarnings("module") // the qualified export names modules that the reactor builds after core
module io.gatehouse.core {
    requires org.slf4j;
    requires com.github.benmanes.caffeine;
    requires java.net.http;
    requires org.snakeyaml.engine;

    exports io.gatehouse.core;
    exports io.gatehouse.core.spi;
    exports io.gatehouse.core.internal to
            io.gatehouse.statictoken,
            io.gatehouse.x509,
            io.gatehouse.bootstrap,
            io.gatehouse.jwt,
            io.gatehouse.oidc,
            io.gatehouse.serviceaccount,
            io.gatehouse.webhook;

    uses io.gatehouse.core.spi.AuthenticatorProvider;
}
