package io.gatehouse.core;

import io.gatehouse.core.spi.AuthenticatorProvider;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;

/**
 * The authenticator providers one class loader can see, found as SLF4J finds its providers: through
 * {@link ServiceLoader}, each broken provider isolated and remembered so that an error can name it.
 */
final class ProviderRegistry {

    /** Where each built-in type lives, so that a missing one can be named with the artifact to add. */
    private static final Map<String, String> ARTIFACTS = Map.of(
            "static-token", "io.gatehouse:gatehouse-static-token",
            "x509", "io.gatehouse:gatehouse-x509",
            "bootstrap-token", "io.gatehouse:gatehouse-bootstrap",
            "service-account", "io.gatehouse:gatehouse-serviceaccount",
            "oidc", "io.gatehouse:gatehouse-oidc");

    private final Map<String, AuthenticatorProvider> providers;
    private final List<String> failures;

    private ProviderRegistry(Map<String, AuthenticatorProvider> providers, List<String> failures) {
        this.providers = providers;
        this.failures = failures;
    }

    static ProviderRegistry load(ClassLoader classLoader) {
        Map<String, AuthenticatorProvider> found = new LinkedHashMap<>();
        List<String> failures = new ArrayList<>();
        Iterator<AuthenticatorProvider> it = ServiceLoader.load(AuthenticatorProvider.class, classLoader).iterator();
        while (true) {
            AuthenticatorProvider p;
            try {
                if (!it.hasNext()) {
                    break;
                }
                p = it.next();
            } catch (ServiceConfigurationError | LinkageError e) {
                failures.add(e.getMessage());
                continue;
            }
            String type;
            try {
                type = p.type();
            } catch (RuntimeException e) {
                failures.add(p.getClass().getName() + ": type() threw " + e);
                continue;
            }
            AuthenticatorProvider earlier = found.putIfAbsent(type, p);
            if (earlier != null && earlier.getClass() != p.getClass()) {
                failures.add("type '" + type + "' is provided by both " + earlier.getClass().getName() + " and "
                        + p.getClass().getName() + "; using the first");
            }
        }
        return new ProviderRegistry(found, List.copyOf(failures));
    }

    /** The provider of {@code type}, or null. */
    AuthenticatorProvider find(String type) {
        return providers.get(type);
    }

    /** Types found, in discovery order. */
    List<String> types() {
        return List.copyOf(providers.keySet());
    }

    /** Providers that could not be loaded, described. */
    List<String> failures() {
        return failures;
    }

    /** Why {@code type} is not available and what to add. */
    String missing(String type) {
        StringBuilder sb = new StringBuilder("no authenticator provider of type '").append(type).append("'");
        String artifact = ARTIFACTS.get(type);
        if (artifact != null) {
            sb.append("; add ").append(artifact).append(" to the class path or module path");
        }
        sb.append(" (available: ").append(providers.isEmpty() ? "none" : String.join(", ", providers.keySet())).append(')');
        if (!failures.isEmpty()) {
            sb.append("; providers that failed to load: ").append(String.join("; ", failures));
        }
        return sb.toString();
    }
}
