package io.gatehouse.core;

import io.gatehouse.core.internal.BoundedYaml;
import io.gatehouse.core.internal.SafeListener;
import io.gatehouse.core.spi.AuthenticatorProvider;
import io.gatehouse.core.spi.ChainMember;
import io.gatehouse.core.spi.ProviderContext;
import io.gatehouse.core.spi.ProviderSettings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Builds an {@link AuthenticationChain} from a YAML file that lists the chain in order. A thin layer over
 * {@link AuthenticationChain.Builder} and the providers found through {@link java.util.ServiceLoader}:
 *
 * <pre>{@code
 * apiAudiences: [https://kubernetes.default.svc]
 * anonymous: false                 # or Kubernetes' form: {enabled: true, conditions: [{path: /livez}]}
 * tokenCache: {successTtl: 10s, failureTtl: 0s, maximumSize: 10000}
 * reloadInterval: 5s
 * authenticators:
 *   - type: static-token
 *     file: tokens.csv
 * }</pre>
 *
 * <p>Any error, including an unknown setting, fails the whole load with one {@link ConfigurationException}
 * naming the file, the entry and the setting; whatever was built before the error is closed, so nothing
 * is left half-built.
 *
 * <p>Not thread-safe; each {@code load} is independent.
 */
public final class ChainConfigLoader {

    private static final Set<String> TOP_LEVEL = Set.of("apiAudiences", "anonymous", "tokenCache", "reloadInterval",
            "authenticators");

    private ClassLoader classLoader = AuthenticatorProvider.class.getClassLoader();
    private Clock clock = Clock.systemUTC();
    private AuthenticationListener listener = AuthenticationListener.logging();

    private ChainConfigLoader() {
    }

    /**
     * A loader that finds providers with Gatehouse's own class loader, the system clock and the SLF4J listener.
     *
     * @return the loader
     */
    public static ChainConfigLoader create() {
        return new ChainConfigLoader();
    }

    /**
     * Finds providers with {@code loader} instead of the class loader that loaded Gatehouse.
     *
     * @param loader the class loader providers are looked up with
     * @return this loader
     */
    public ChainConfigLoader classLoader(ClassLoader loader) {
        this.classLoader = Objects.requireNonNull(loader, "loader");
        return this;
    }

    /**
     * The clock the chain and its authenticators read.
     *
     * @param clock the clock
     * @return this loader
     */
    public ChainConfigLoader clock(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        return this;
    }

    /**
     * The listener the chain and its authenticators report to.
     *
     * @param listener the listener
     * @return this loader
     */
    public ChainConfigLoader listener(AuthenticationListener listener) {
        this.listener = Objects.requireNonNull(listener, "listener");
        return this;
    }

    /**
     * Loads {@code file} and builds the chain it describes.
     *
     * @param file the YAML chain configuration
     * @return the chain
     * @throws ConfigurationException if the file cannot be read, is not valid, or names an unavailable type
     */
    public AuthenticationChain load(Path file) {
        AuthenticationChain.Builder builder = loadBuilder(file);
        try {
            return builder.build();
        } catch (IllegalStateException e) {
            throw new ConfigurationException(file.toString(), null, "authenticators", e.getMessage(), null);
        }
    }

    /**
     * Loads {@code file} into a builder, for a caller that adds authenticators in code. The builder already
     * holds the providers' authenticators; the caller owns closing them through the chain it builds.
     *
     * @param file the YAML chain configuration
     * @return the builder, holding the file's members and settings
     * @throws ConfigurationException as {@link #load(Path)}
     */
    public AuthenticationChain.Builder loadBuilder(Path file) {
        String source = file.toString();
        Map<String, Object> root = parse(file, source);
        ProviderSettings top = ProviderSettings.of(source, "top level", baseDirectory(file), root);
        for (String key : root.keySet()) {
            if (!TOP_LEVEL.contains(key)) {
                throw new ConfigurationException(source, null, key, "unknown setting; expected one of "
                        + List.copyOf(new java.util.TreeSet<>(TOP_LEVEL)), null);
            }
        }
        AuthenticationChain.Builder chain = AuthenticationChain.builder().clock(clock).listener(listener);
        chain.apiAudiences(top.stringList("apiAudiences"));
        anonymous(chain, source, top);
        chain.tokenCache(cachePolicy(source, top.raw("tokenCache")));
        Duration reload = top.duration("reloadInterval", Duration.ofSeconds(5));
        ProviderContext context = new ProviderContext(clock, SafeListener.wrap(listener), baseDirectory(file), reload);

        Object entries = top.raw("authenticators");
        if (entries == null) {
            entries = List.of();
        }
        if (!(entries instanceof List<?> list)) {
            throw top.invalid("authenticators", "must be a list of entries, each with a 'type'");
        }
        ProviderRegistry registry = ProviderRegistry.load(classLoader);
        List<AutoCloseable> built = new ArrayList<>();
        try {
            for (int i = 0; i < list.size(); i++) {
                addEntry(chain, registry, context, source, i, list.get(i), built);
            }
        } catch (RuntimeException e) {
            closeQuietly(built, e);
            throw e;
        }
        return chain;
    }

    private void addEntry(AuthenticationChain.Builder chain, ProviderRegistry registry, ProviderContext context,
                          String source, int index, Object raw, List<AutoCloseable> built) {
        String label = "authenticators[" + index + "]";
        if (!(raw instanceof Map<?, ?> map)) {
            throw new ConfigurationException(source, label, null, "must be a map with a 'type'", null);
        }
        Map<String, Object> settings = new java.util.LinkedHashMap<>();
        for (Map.Entry<?, ?> e : map.entrySet()) {
            if (!(e.getKey() instanceof String key)) {
                throw new ConfigurationException(source, label, String.valueOf(e.getKey()), "setting names must be strings", null);
            }
            settings.put(key, e.getValue());
        }
        if (!(settings.remove("type") instanceof String type) || type.isBlank()) {
            throw new ConfigurationException(source, label, "type", "is required: the authenticator type, e.g. static-token", null);
        }
        label = label + " (" + type + ")";
        Object nameValue = settings.remove("name");
        if (nameValue != null && !(nameValue instanceof String)) {
            throw new ConfigurationException(source, label, "name", "must be a string", null);
        }
        String name = nameValue == null ? type : (String) nameValue;
        AuthenticatorProvider provider = registry.find(type);
        if (provider == null) {
            throw new ConfigurationException(source, label, "type", registry.missing(type), null);
        }
        ProviderSettings ps = ProviderSettings.of(source, label, context.baseDirectory(), settings);
        ChainMember member;
        try {
            member = Objects.requireNonNull(provider.create(ps, context), "provider returned null");
        } catch (ConfigurationException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new ConfigurationException(source, label, null,
                    "provider " + provider.getClass().getName() + " failed: " + e.getClass().getSimpleName(), e);
        }
        if (member.authenticator() instanceof AutoCloseable c) {
            built.add(c);
        }
        Set<String> unknown = ps.unread();
        if (!unknown.isEmpty()) {
            throw new ConfigurationException(source, label, unknown.iterator().next(),
                    "unknown setting for type '" + type + "'", null);
        }
        try {
            chain.add(name, member);
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(source, label, "name", e.getMessage(), null);
        }
    }

    /**
     * {@code anonymous}: a boolean (kube-apiserver's {@code --anonymous-auth}) or the {@code anonymous} block of
     * Kubernetes' AuthenticationConfiguration, {@code {enabled, conditions: [{path}]}}.
     */
    private static void anonymous(AuthenticationChain.Builder chain, String source, ProviderSettings top) {
        Object raw = top.raw("anonymous");
        if (!(raw instanceof Map<?, ?> map)) {
            chain.anonymous(top.bool("anonymous", false));
            return;
        }
        @SuppressWarnings("unchecked")
        ProviderSettings s = ProviderSettings.of(source, "anonymous", Path.of("."), (Map<String, ?>) map);
        boolean enabled = s.bool("enabled", false);
        Object conditions = s.raw("conditions");
        if (!s.unread().isEmpty()) {
            throw s.invalid(s.unread().iterator().next(), "unknown setting; expected enabled or conditions");
        }
        List<String> paths = new ArrayList<>();
        if (conditions != null) {
            if (!(conditions instanceof List<?> list)) {
                throw s.invalid("conditions", "must be a list of {path: ...}");
            }
            for (Object c : list) {
                if (!(c instanceof Map<?, ?> m) || !(m.get("path") instanceof String path) || m.size() != 1) {
                    throw s.invalid("conditions", "each condition must be {path: <string>}");
                }
                paths.add(path);
            }
        }
        if (!enabled && !paths.isEmpty()) {
            throw new ConfigurationException(source, null, "anonymous.conditions", "anonymous.conditions: Invalid value: "
                    + paths + ": enabled should be set to true when conditions are defined", null);
        }
        chain.anonymous(enabled).anonymousConditions(paths);
    }

    private static TokenCachePolicy cachePolicy(String source, Object raw) {
        if (raw == null) {
            return TokenCachePolicy.DEFAULT;
        }
        if (!(raw instanceof Map<?, ?> map)) {
            throw new ConfigurationException(source, "tokenCache", null, "must be a map", null);
        }
        @SuppressWarnings("unchecked")
        ProviderSettings s = ProviderSettings.of(source, "tokenCache", Path.of("."), (Map<String, ?>) map);
        TokenCachePolicy d = TokenCachePolicy.DEFAULT;
        Duration success = s.duration("successTtl", d.successTtl());
        Duration failure = s.duration("failureTtl", d.failureTtl());
        long size = s.number("maximumSize", d.maximumSize());
        if (size < 0) {
            throw s.invalid("maximumSize", "must not be negative");
        }
        if (!s.unread().isEmpty()) {
            throw s.invalid(s.unread().iterator().next(), "unknown setting; expected successTtl, failureTtl or maximumSize");
        }
        return new TokenCachePolicy(success, failure, size);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> parse(Path file, String source) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConfigurationException(source, null, null, "cannot read: " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : " " + e.getMessage()), e);
        }
        Object doc = BoundedYaml.load(text, source);
        if (doc == null) {
            throw new ConfigurationException(source, "the file is empty; it needs at least 'authenticators'");
        }
        if (!(doc instanceof Map<?, ?> map)) {
            throw new ConfigurationException(source, "the document must be a map with 'authenticators'");
        }
        for (Object key : map.keySet()) {
            if (!(key instanceof String)) {
                throw new ConfigurationException(source, null, String.valueOf(key), "setting names must be strings", null);
            }
        }
        return (Map<String, Object>) map;
    }

    private static Path baseDirectory(Path file) {
        Path parent = file.toAbsolutePath().getParent();
        return parent == null ? Path.of(".").toAbsolutePath() : parent;
    }

    private static void closeQuietly(List<AutoCloseable> built, RuntimeException failure) {
        for (AutoCloseable c : built) {
            try {
                c.close();
            } catch (Exception e) {
                failure.addSuppressed(e);
            }
        }
    }
}
