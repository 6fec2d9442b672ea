package io.gatehouse.core.spi;

import io.gatehouse.core.ConfigurationException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The settings of one configuration entry, read by type, with errors that name the file, the entry and
 * the setting. Remembers which settings were read so that the loader can report unknown ones.
 *
 * <p>Not thread-safe; used while a chain is built.
 */
public final class ProviderSettings {

    private static final Pattern DURATION_PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ns|us|µs|ms|s|m|h)");

    private final String source;
    private final String entry;
    private final Path baseDirectory;
    private final Map<String, Object> values;
    private final Set<String> read = new HashSet<>();

    private ProviderSettings(String source, String entry, Path baseDirectory, Map<String, Object> values) {
        this.source = source;
        this.entry = entry;
        this.baseDirectory = baseDirectory;
        this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    /**
     * Settings for one entry.
     *
     * @param source        the file the entry comes from (for messages)
     * @param entry         the entry's label, e.g. {@code authenticators[0] (static-token)}
     * @param baseDirectory what relative paths resolve against
     * @param values        the entry's settings as parsed from YAML
     *
     * @return the settings
     * @throws ConfigurationException if a setting name is not a string
     */
    public static ProviderSettings of(String source, String entry, Path baseDirectory, Map<String, ?> values) {
        Map<String, Object> copy = new LinkedHashMap<>();
        // YAML keys need not be strings ({1: x}); a setting name that is not one is a configuration error.
        for (Map.Entry<?, ?> e : ((Map<?, ?>) values).entrySet()) {
            if (!(e.getKey() instanceof String key)) {
                throw new ConfigurationException(source, entry, String.valueOf(e.getKey()),
                        "a setting name must be a string", null);
            }
            copy.put(key, e.getValue());
        }
        return new ProviderSettings(Objects.requireNonNull(source, "source"), Objects.requireNonNull(entry, "entry"),
                Objects.requireNonNull(baseDirectory, "baseDirectory"), copy);
    }

    /**
     * Whether the entry sets {@code key}.
     *
     * @param key the setting's name
     * @return whether it is set
     */
    public boolean has(String key) {
        return values.containsKey(key);
    }

    /**
     * A required string setting.
     *
     * @param key the setting's name
     * @return the value
     */
    public String string(String key) {
        return optionalString(key).orElseThrow(() -> invalid(key, "is required"));
    }

    /**
     * A string setting, empty when absent.
     *
     * @param key the setting's name
     * @return the value, or empty
     */
    public Optional<String> optionalString(String key) {
        Object v = get(key);
        if (v == null) {
            return Optional.empty();
        }
        if (v instanceof String s) {
            return Optional.of(s);
        }
        throw invalid(key, "must be a string, found " + kind(v));
    }

    /**
     * A required path to a readable file or directory, resolved against the base directory.
     *
     * @param key the setting's name
     * @return the resolved path
     */
    public Path path(String key) {
        return optionalPath(key).orElseThrow(() -> invalid(key, "is required"));
    }

    /**
     * A path setting resolved against the base directory, empty when absent; must exist and be readable.
     *
     * @param key the setting's name
     * @return the resolved path, or empty
     */
    public Optional<Path> optionalPath(String key) {
        Optional<String> raw = optionalString(key);
        if (raw.isEmpty()) {
            return Optional.empty();
        }
        Path p;
        try {
            p = baseDirectory.resolve(raw.get()).normalize();
        } catch (InvalidPathException e) {
            throw invalid(key, "is not a valid path: " + e.getMessage());
        }
        if (!Files.exists(p)) {
            throw invalid(key, "no such file or directory: " + p);
        }
        if (!Files.isReadable(p)) {
            throw invalid(key, "not readable: " + p);
        }
        return Optional.of(p);
    }

    /**
     * A boolean setting, {@code defaultValue} when absent.
     *
     * @param key the setting's name
     * @param defaultValue the value when the setting is absent
     * @return the value
     */
    public boolean bool(String key, boolean defaultValue) {
        Object v = get(key);
        if (v == null) {
            return defaultValue;
        }
        if (v instanceof Boolean b) {
            return b;
        }
        throw invalid(key, "must be true or false, found " + kind(v));
    }

    /**
     * A whole-number setting, {@code defaultValue} when absent.
     *
     * @param key the setting's name
     * @param defaultValue the value when the setting is absent
     * @return the value
     */
    public long number(String key, long defaultValue) {
        Object v = get(key);
        if (v == null) {
            return defaultValue;
        }
        if (v instanceof Integer || v instanceof Long || v instanceof java.math.BigInteger) {
            try {
                return ((Number) v) instanceof java.math.BigInteger big ? big.longValueExact() : ((Number) v).longValue();
            } catch (ArithmeticException e) {
                throw invalid(key, "is too large");
            }
        }
        throw invalid(key, "must be a whole number, found " + kind(v));
    }

    /**
     * A duration such as {@code 10s}, {@code 1m30s} or {@code 500ms} (Go's syntax), {@code defaultValue} when absent.
     *
     * @param key the setting's name
     * @param defaultValue the value when the setting is absent
     * @return the value
     */
    public Duration duration(String key, Duration defaultValue) {
        Object v = get(key);
        if (v == null) {
            return defaultValue;
        }
        if (v instanceof Integer i && i == 0) {
            return Duration.ZERO;
        }
        if (!(v instanceof String s)) {
            throw invalid(key, "must be a duration such as 10s or 1m30s, found " + kind(v));
        }
        return parseDuration(s).orElseThrow(() -> invalid(key, "must be a duration such as 10s or 1m30s, found '" + s + "'"));
    }

    /**
     * A list of strings (a single string counts as a list of one); empty when absent.
     *
     * @param key the setting's name
     * @return the values, in order
     */
    public List<String> stringList(String key) {
        Object v = get(key);
        if (v == null) {
            return List.of();
        }
        if (v instanceof String s) {
            return List.of(s);
        }
        if (!(v instanceof List<?> list)) {
            throw invalid(key, "must be a list of strings, found " + kind(v));
        }
        List<String> out = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
            if (!(list.get(i) instanceof String s)) {
                throw invalid(key + "[" + i + "]", "must be a string, found " + kind(list.get(i)));
            }
            out.add(s);
        }
        return List.copyOf(out);
    }

    /**
     * A map of string to string; empty when absent.
     *
     * @param key the setting's name
     * @return the map, in the file's order
     */
    public Map<String, String> stringMap(String key) {
        Object v = get(key);
        if (v == null) {
            return Map.of();
        }
        if (!(v instanceof Map<?, ?> map)) {
            throw invalid(key, "must be a map of strings, found " + kind(v));
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : map.entrySet()) {
            if (!(e.getKey() instanceof String k) || !(e.getValue() instanceof String s)) {
                throw invalid(key, "must map strings to strings");
            }
            out.put(k, s);
        }
        return Collections.unmodifiableMap(out);
    }

    /**
     * The raw value of {@code key} as parsed (maps, lists, strings, numbers, booleans), or null when absent.
     *
     * @param key the setting's name
     * @return the value, or null
     */
    public Object raw(String key) {
        return get(key);
    }

    /**
     * The setting names present but never read; the loader reports them as unknown.
     *
     * @return the names, unmodifiable
     */
    public Set<String> unread() {
        Set<String> unknown = new LinkedHashSet<>(values.keySet());
        unknown.removeAll(read);
        return unknown;
    }

    /**
     * The file this entry comes from.
     *
     * @return the file, as given
     */
    public String source() {
        return source;
    }

    /**
     * This entry's label.
     *
     * @return the label, e.g. {@code authenticators[1]}
     */
    public String entry() {
        return entry;
    }

    /**
     * The directory relative paths resolve against.
     *
     * @return the directory
     */
    public Path baseDirectory() {
        return baseDirectory;
    }

    /**
     * An error about {@code setting} of this entry. The problem must not quote a secret.
     *
     * @param setting the setting's name
     * @param problem what is wrong with it
     * @return the exception, naming the file, the entry and the setting
     */
    public ConfigurationException invalid(String setting, String problem) {
        return new ConfigurationException(source, entry, setting, problem, null);
    }

    /**
     * An error about {@code setting} of this entry, with its cause. The problem must not quote a secret.
     *
     * @param setting the setting's name
     * @param problem what is wrong with it
     * @param cause the underlying failure
     * @return the exception, naming the file, the entry and the setting
     */
    public ConfigurationException invalid(String setting, String problem, Throwable cause) {
        return new ConfigurationException(source, entry, setting, problem, cause);
    }

    /**
     * Parses Go's duration syntax (a sequence of number-unit pairs); empty for anything else.
     *
     * @param text e.g. {@code 1m30s}
     * @return the duration, or empty
     */
    public static Optional<Duration> parseDuration(String text) {
        if (text.equals("0")) {
            return Optional.of(Duration.ZERO);
        }
        Matcher m = DURATION_PART.matcher(text);
        int at = 0;
        double nanos = 0;
        while (at < text.length()) {
            if (!m.find(at) || m.start() != at) {
                return Optional.empty();
            }
            double n = Double.parseDouble(m.group(1));
            nanos += n * switch (m.group(2)) {
                case "ns" -> 1d;
                case "us", "µs" -> 1e3;
                case "ms" -> 1e6;
                case "s" -> 1e9;
                case "m" -> 60e9;
                default -> 3600e9;
            };
            at = m.end();
        }
        if (at == 0 || nanos > Long.MAX_VALUE) {
            return Optional.empty();
        }
        return Optional.of(Duration.ofNanos((long) nanos));
    }

    private Object get(String key) {
        read.add(key);
        return values.get(key);
    }

    private static String kind(Object v) {
        if (v instanceof Map) {
            return "a map";
        }
        if (v instanceof List) {
            return "a list";
        }
        if (v instanceof String) {
            return "a string";
        }
        if (v instanceof Boolean) {
            return "a boolean";
        }
        if (v instanceof Number) {
            return "a number";
        }
        return "a " + v.getClass().getSimpleName();
    }
}
