/**
 * Gatehouse webhook: Kubernetes' webhook token authenticator, which asks a remote service to review each
 * bearer token with a {@code TokenReview} ({@code --authentication-token-webhook-config-file}).
 *
 * <p>Registers the {@code webhook} authenticator type with {@link java.util.ServiceLoader}.
 */
module io.gatehouse.webhook {
    requires transitive io.gatehouse.core;
    requires com.fasterxml.jackson.databind;
    requires java.net.http;
    requires org.bouncycastle.provider;
    requires org.slf4j;

    exports io.gatehouse.webhook;

    provides io.gatehouse.core.spi.AuthenticatorProvider with io.gatehouse.webhook.WebhookAuthenticatorProvider;
}
