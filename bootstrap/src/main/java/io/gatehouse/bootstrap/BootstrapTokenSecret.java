package io.gatehouse.bootstrap;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What a {@link BootstrapTokenStore} holds for one Kubernetes Secret: its namespace, name, type, decoded
 * {@code data} and whether it is marked for deletion. For a bootstrap token the Secret is named
 * {@code bootstrap-token-<id>}, has type {@value #TYPE} and carries the keys named by this type's constants.
 *
 * <p>The authenticator makes every check itself, in Kubernetes' order, so a store hands over Secrets as they
 * are, including ones of another type or with odd data, as Kubernetes' Secret lister would.
 *
 * <p>Immutable and thread-safe. {@link #toString()} never shows the data values, since {@code token-secret} is
 * a credential.
 *
 * @param namespace the Secret's namespace, normally {@value #NAMESPACE}; never null
 * @param name      the Secret's name, e.g. {@code bootstrap-token-abcdef}; never null
 * @param type      the Secret's {@code type}; never null (empty when the Secret has none)
 * @param data      the decoded {@code data} (and {@code stringData}) values by key, or null when the Secret has no
 *                  data at all (Kubernetes' {@code Data == nil}); no null keys or values
 * @param deleted   whether the Secret carries a {@code deletionTimestamp} (deleted and awaiting removal)
 */
public record BootstrapTokenSecret(String namespace, String name, String type, Map<String, String> data,
                                   boolean deleted) {

    /** The Secret type of bootstrap tokens. */
    public static final String TYPE = BootstrapTokens.SECRET_TYPE;
    /** The namespace Kubernetes reads bootstrap token Secrets from. */
    public static final String NAMESPACE = BootstrapTokens.NAMESPACE;
    /** The data key of the token id. */
    public static final String TOKEN_ID = "token-id";
    /** The data key of the token secret. */
    public static final String TOKEN_SECRET = "token-secret";
    /** The data key of the expiry, an RFC 3339 time; optional. */
    public static final String EXPIRATION = "expiration";
    /** The data key of the human-readable description; optional. */
    public static final String DESCRIPTION = "description";
    /** The data key of the comma-separated extra groups; optional. */
    public static final String AUTH_EXTRA_GROUPS = "auth-extra-groups";
    /** The data key that, when exactly {@code "true"}, allows the token to authenticate. */
    public static final String USAGE_AUTHENTICATION = "usage-bootstrap-authentication";
    /** The data key that, when {@code "true"}, allows the token to sign the cluster-info ConfigMap. */
    public static final String USAGE_SIGNING = "usage-bootstrap-signing";

    /**
     * Copies {@code data} into an unmodifiable map sorted by key.
     *
     * @param namespace the Secret's namespace; not null
     * @param name      the Secret's name; not null
     * @param type      the Secret's type, empty for none; not null
     * @param data      the decoded data by key, copied; null when the Secret has no data
     * @param deleted   whether the Secret carries a {@code deletionTimestamp}
     * @throws NullPointerException if namespace, name, type, or a data key or value is null
     */
    public BootstrapTokenSecret {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        if (data != null) {
            Map<String, String> copy = new TreeMap<>();
            for (Map.Entry<String, String> e : data.entrySet()) {
                copy.put(Objects.requireNonNull(e.getKey(), "data key"),
                        Objects.requireNonNull(e.getValue(), "data value"));
            }
            data = Collections.unmodifiableMap(copy);
        }
    }

    /**
     * A live Secret of type {@value #TYPE} in {@value #NAMESPACE}, named {@code bootstrap-token-<id>} after the
     * {@value #TOKEN_ID} in {@code data}.
     *
     * @param data the decoded data; never null
     * @return a Secret that is not deleted, with a sorted, unmodifiable copy of {@code data}
     * @throws IllegalArgumentException if {@code data} has no {@value #TOKEN_ID}
     */
    public static BootstrapTokenSecret of(Map<String, String> data) {
        String id = data.get(TOKEN_ID);
        if (id == null) {
            throw new IllegalArgumentException("data has no " + TOKEN_ID);
        }
        return new BootstrapTokenSecret(NAMESPACE, BootstrapTokens.secretName(id), TYPE, data, false);
    }

    /**
     * The value of data key {@code key}, or {@code ""} when absent (Kubernetes' {@code GetData}).
     *
     * @param key the data key, e.g. {@link #TOKEN_ID}
     * @return the value, or {@code ""} when absent or when the Secret has no data; never null
     */
    public String get(String key) {
        if (data == null) {
            return "";
        }
        String v = data.get(key);
        return v == null ? "" : v;
    }

    /**
     * Returns a copy with the given name.
     *
     * @param newName the new name; not null
     * @return a new Secret, otherwise equal to this one
     */
    public BootstrapTokenSecret withName(String newName) {
        return new BootstrapTokenSecret(namespace, newName, type, data, deleted);
    }

    /**
     * Returns a copy with the given type.
     *
     * @param newType the new type; not null
     * @return a new Secret, otherwise equal to this one
     */
    public BootstrapTokenSecret withType(String newType) {
        return new BootstrapTokenSecret(namespace, name, newType, data, deleted);
    }

    /**
     * Returns a copy marked deleted (as a Secret with a {@code deletionTimestamp}) or not.
     *
     * @param newDeleted whether the copy is deleted
     * @return a new Secret, otherwise equal to this one
     */
    public BootstrapTokenSecret withDeleted(boolean newDeleted) {
        return new BootstrapTokenSecret(namespace, name, type, data, newDeleted);
    }

    /**
     * Returns a copy with data key {@code key} set to {@code value}, or removed when {@code value} is null.
     *
     * @param key   the data key; not null
     * @param value the new value, or null to remove {@code key}
     * @return a new Secret, otherwise equal to this one; its data is never null, even if this one's is
     */
    public BootstrapTokenSecret withData(String key, String value) {
        Map<String, String> copy = data == null ? new LinkedHashMap<>() : new LinkedHashMap<>(data);
        if (value == null) {
            copy.remove(key);
        } else {
            copy.put(key, value);
        }
        return new BootstrapTokenSecret(namespace, name, type, copy, deleted);
    }

    /** Names the Secret and its data keys; never the values. */
    @Override
    public String toString() {
        return "BootstrapTokenSecret[" + namespace + "/" + name + ", type=" + type + ", keys="
                + (data == null ? "none" : data.keySet()) + (deleted ? ", deleted" : "") + "]";
    }
}
