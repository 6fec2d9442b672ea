package io.gatehouse.webhook;

import io.gatehouse.core.spi.AuthenticatorProvider;
import io.gatehouse.core.spi.ChainMember;
import io.gatehouse.core.spi.ProviderContext;
import io.gatehouse.core.spi.ProviderSettings;
import java.time.Duration;
import java.util.Map;

/**
 * The {@code webhook} entry of a chain configuration; public only because {@link java.util.ServiceLoader} needs it.
 * Its settings are Kubernetes' flags:
 *
 * <pre>{@code
 * - type: webhook
 *   configFile: webhook.kubeconfig       # --authentication-token-webhook-config-file (required)
 *   version: v1                          # --authentication-token-webhook-version (v1beta1)
 *   cacheTtl: 2m                         # --authentication-token-webhook-cache-ttl (2m)
 *   retryBackoff: {duration: 500ms, factor: 1.5, jitter: 0.2, steps: 5}
 *   timeout: 30s
 *   apiAudiences: [https://kubernetes.default.svc]   # the chain's apiAudiences, Kubernetes' implicit audiences
 *   maxInFlight: 64
 * }</pre>
 */
public final class WebhookAuthenticatorProvider implements AuthenticatorProvider {

    /** For {@link java.util.ServiceLoader}. */
    public WebhookAuthenticatorProvider() {
    }

    @Override
    public String type() {
        return "webhook";
    }

    @Override
    public ChainMember create(ProviderSettings settings, ProviderContext context) {
        WebhookTokenAuthenticator.Builder b = WebhookTokenAuthenticator.builder(settings.path("configFile"));
        try {
            settings.optionalString("version").ifPresent(b::version);
        } catch (IllegalArgumentException e) {
            throw settings.invalid("version", e.getMessage());
        }
        b.cacheTtl(nonNegative(settings, "cacheTtl", WebhookTokenAuthenticator.DEFAULT_CACHE_TTL));
        b.retryBackoff(backoff(settings));
        Duration timeout = settings.duration("timeout", WebhookTokenAuthenticator.DEFAULT_TIMEOUT);
        if (timeout.isZero() || timeout.isNegative()) {
            throw settings.invalid("timeout", "must be positive");
        }
        b.timeout(timeout);
        b.listener(context.listener());
        try {
            b.apiAudiences(settings.stringList("apiAudiences"));
        } catch (IllegalArgumentException e) {
            throw settings.invalid("apiAudiences", e.getMessage());
        }
        long max = settings.number("maxInFlight", WebhookTokenAuthenticator.DEFAULT_MAX_IN_FLIGHT);
        if (max < 1 || max > Integer.MAX_VALUE) {
            throw settings.invalid("maxInFlight", "must be between 1 and " + Integer.MAX_VALUE);
        }
        b.maxInFlight((int) max);
        return new ChainMember.Token(b.build());
    }

    private static Duration nonNegative(ProviderSettings settings, String key, Duration defaultValue) {
        Duration d = settings.duration(key, defaultValue);
        if (d.isNegative()) {
            throw settings.invalid(key, "must not be negative");
        }
        return d;
    }

    private static WebhookTokenAuthenticator.Backoff backoff(ProviderSettings settings) {
        Object raw = settings.raw("retryBackoff");
        if (raw == null) {
            return WebhookTokenAuthenticator.Backoff.DEFAULT;
        }
        if (!(raw instanceof Map<?, ?> map)) {
            throw settings.invalid("retryBackoff", "must be a map with duration, factor, jitter and steps");
        }
        WebhookTokenAuthenticator.Backoff d = WebhookTokenAuthenticator.Backoff.DEFAULT;
        Duration initial = d.initial();
        double factor = d.factor();
        double jitter = d.jitter();
        int steps = d.steps();
        for (Map.Entry<?, ?> e : map.entrySet()) {
            String key = String.valueOf(e.getKey());
            Object v = e.getValue();
            String setting = "retryBackoff." + key;
            switch (key) {
                case "duration" -> initial = ProviderSettings.parseDuration(String.valueOf(v))
                        .orElseThrow(() -> settings.invalid(setting, "must be a duration such as 500ms"));
                case "factor" -> factor = number(settings, setting, v);
                case "jitter" -> jitter = number(settings, setting, v);
                case "steps" -> {
                    if (!(v instanceof Integer i)) {
                        throw settings.invalid(setting, "must be a whole number");
                    }
                    steps = i;
                }
                default -> throw settings.invalid(setting, "unknown setting; expected duration, factor, jitter or steps");
            }
        }
        try {
            return new WebhookTokenAuthenticator.Backoff(initial, factor, jitter, steps);
        } catch (IllegalArgumentException e) {
            throw settings.invalid("retryBackoff", e.getMessage());
        }
    }

    private static double number(ProviderSettings settings, String setting, Object v) {
        if (!(v instanceof Number n)) {
            throw settings.invalid(setting, "must be a number");
        }
        return n.doubleValue();
    }
}
