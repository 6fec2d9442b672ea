/**
 * Kubernetes' webhook token authenticator. Build one with
 * {@link io.gatehouse.webhook.WebhookTokenAuthenticator#builder(java.nio.file.Path)} from a kubeconfig file (the
 * {@code --authentication-token-webhook-config-file} flag), or name the type {@code webhook} in a chain
 * configuration ({@link io.gatehouse.webhook.WebhookAuthenticatorProvider}); add it to a chain with
 * {@code addToken}.
 */
package io.gatehouse.webhook;
