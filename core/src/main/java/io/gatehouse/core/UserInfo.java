package io.gatehouse.core;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * An authenticated identity, shaped like Kubernetes' {@code user.Info}: a name, a uid, ordered groups and
 * extra attributes.
 *
 * <p>Immutable: the constructor copies every collection. {@code uid} may be empty but never null; extra
 * keys must be lower case (Kubernetes' rule), which the constructor enforces. Instances are thread-safe.
 *
 * @param name   the user name, e.g. {@code system:serviceaccount:default:builder}; never null
 * @param uid    the user's unique id, empty when the credential carries none; never null
 * @param groups groups in the order the credential lists them; never null, no null elements
 * @param extra  extra attributes, keys lower case; never null, no null keys or values
 */
public record UserInfo(String name, String uid, List<String> groups, Map<String, List<String>> extra) {

    /**
     * Creates an immutable user.
     *
     * @param name the user name, e.g. {@code system:serviceaccount:default:builder}; never null
     * @param uid the user's unique id, empty when the credential carries none; never null
     * @param groups groups in the order the credential lists them; never null, no null elements
     * @param extra extra attributes, keys lower case; never null, no null keys or values
     * @throws NullPointerException     if any argument, group, key or value is null
     * @throws IllegalArgumentException if an extra key is not lower case
     */
    public UserInfo {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(uid, "uid");
        groups = List.copyOf(groups);
        if (extra.isEmpty()) {
            // The common case shares the one empty map: no per-user map for a token table of a million users.
            extra = Map.of();
        } else {
            extra = copyExtra(extra);
        }
    }

    private static Map<String, List<String>> copyExtra(Map<String, List<String>> extra) {
        Map<String, List<String>> copy = new LinkedHashMap<>();
        for (Map.Entry<String, List<String>> e : extra.entrySet()) {
            String key = Objects.requireNonNull(e.getKey(), "extra key");
            if (!key.equals(key.toLowerCase(Locale.ROOT))) {
                throw new IllegalArgumentException("extra key must be lower case: " + key);
            }
            copy.put(key, List.copyOf(e.getValue()));
        }
        return Collections.unmodifiableMap(copy);
    }

    /**
     * A user with a name and uid and no groups or extra.
     *
     * @param name the user name
     * @param uid the uid, or empty
     * @return the user
     */
    public static UserInfo of(String name, String uid) {
        return new UserInfo(name, uid, List.of(), Map.of());
    }

    /**
     * Returns a copy with {@code group} appended.
     *
     * @param group the group
     * @return the copy
     */
    public UserInfo withGroupAdded(String group) {
        List<String> more = new ArrayList<>(groups.size() + 1);
        more.addAll(groups);
        more.add(Objects.requireNonNull(group, "group"));
        return new UserInfo(name, uid, more, extra);
    }
}
