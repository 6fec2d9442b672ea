package io.gatehouse.core;

import java.util.Objects;

/**
 * Gatehouse was misconfigured: a file could not be read or parsed, or a setting is missing or wrong. The
 * message names the file, the entry and the setting (each where known) and never quotes a secret.
 *
 * <p>Thrown at build or load time only, never by {@code authenticate}.
 */
public class ConfigurationException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** The file (or other source) at fault, or null. */
    private final String source;
    /** The entry at fault (e.g. {@code authenticators[1]}), or null. */
    private final String entry;
    /** The setting at fault, or null. */
    private final String setting;

    /**
     * @param source  the file (or other source) at fault, or null
     * @param entry   the entry within it, e.g. {@code authenticators[1] (static-token)}, or null
     * @param setting the setting within the entry, or null
     * @param problem what is wrong and, where it helps, how to fix it; must not contain a secret
     * @param cause   the underlying failure, or null
     */
    public ConfigurationException(String source, String entry, String setting, String problem, Throwable cause) {
        super(render(source, entry, setting, Objects.requireNonNull(problem, "problem")), cause);
        this.source = source;
        this.entry = entry;
        this.setting = setting;
    }

    /**
     * A problem with a whole source (a file that does not parse).
     *
     * @param source the file (or other source) at fault, or null
     * @param problem what is wrong; never a secret
     */
    public ConfigurationException(String source, String problem) {
        this(source, null, null, problem, null);
    }

    /**
     * The file or other source at fault, or null.
     *
     * @return the source, or null
     */
    public String source() {
        return source;
    }

    /**
     * The entry at fault, or null.
     *
     * @return the entry, or null
     */
    public String entry() {
        return entry;
    }

    /**
     * The setting at fault, or null.
     *
     * @return the setting, or null
     */
    public String setting() {
        return setting;
    }

    private static String render(String source, String entry, String setting, String problem) {
        StringBuilder sb = new StringBuilder();
        if (source != null) {
            sb.append(source).append(": ");
        }
        if (entry != null) {
            sb.append(entry).append(": ");
        }
        if (setting != null) {
            sb.append("setting '").append(setting).append("': ");
        }
        return sb.append(problem).toString();
    }
}
