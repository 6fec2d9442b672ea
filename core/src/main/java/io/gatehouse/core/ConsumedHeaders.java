package io.gatehouse.core;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The request headers that authentication consumed and that an adapter must strip before the request goes on
 * (to an application or an upstream), as Kubernetes' authentication filter does after a success: headers removed
 * by exact name or by name prefix (case-insensitive), and headers whose values are replaced (the WebSocket
 * subprotocol list without the bearer-token entry).
 *
 * <p>{@link AuthenticationRequest} is immutable, so Gatehouse cannot strip these itself: an adapter asks the chain
 * ({@link AuthenticationChain#consumedHeaders(AuthenticationRequest, AuthenticationResult)}) and applies the answer
 * to its own request object: a header it {@link #removes(String)} is dropped, one with a {@link #replacement(String)}
 * gets those values instead. Immutable and thread-safe; never contains a header value except the replacements.
 */
public final class ConsumedHeaders {

    /** Nothing consumed: what an unauthenticated request gets. */
    public static final ConsumedHeaders NONE = new ConsumedHeaders(Set.of(), List.of(), Map.of());

    private final Set<String> names;
    private final List<String> prefixes;
    private final Map<String, List<String>> replacements;

    private ConsumedHeaders(Set<String> names, List<String> prefixes, Map<String, List<String>> replacements) {
        this.names = names;
        this.prefixes = prefixes;
        this.replacements = replacements;
    }

    /**
     * Headers removed by exact name and by name prefix, both matched without regard to case.
     *
     * @param names header names removed exactly
     * @param prefixes header-name prefixes removed
     * @return the set
     * @throws NullPointerException if a collection or an element is null
     */
    public static ConsumedHeaders of(Collection<String> names, Collection<String> prefixes) {
        TreeSet<String> n = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        for (String name : names) {
            n.add(Objects.requireNonNull(name, "name"));
        }
        List<String> p = new ArrayList<>();
        for (String prefix : prefixes) {
            String lower = Objects.requireNonNull(prefix, "prefix").toLowerCase(Locale.ROOT);
            if (!p.contains(lower)) {
                p.add(lower);
            }
        }
        return new ConsumedHeaders(Collections.unmodifiableSet(n), List.copyOf(p), Map.of());
    }

    /**
     * These headers and {@code other}'s together; a replacement of {@code other} wins for the same name.
     *
     * @param other more headers
     * @return the union
     */
    public ConsumedHeaders and(ConsumedHeaders other) {
        if (other == NONE || other == this) {
            return this;
        }
        if (this == NONE) {
            return other;
        }
        TreeSet<String> n = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        n.addAll(names);
        n.addAll(other.names);
        List<String> p = new ArrayList<>(prefixes);
        for (String prefix : other.prefixes) {
            if (!p.contains(prefix)) {
                p.add(prefix);
            }
        }
        TreeMap<String, List<String>> r = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        r.putAll(replacements);
        r.putAll(other.replacements);
        return new ConsumedHeaders(Collections.unmodifiableSet(n), List.copyOf(p), Collections.unmodifiableMap(r));
    }

    /**
     * These headers, with header {@code name} (any case) carrying exactly {@code values} instead of what it had.
     *
     * @param name the header name
     * @param values the values it carries from now on; empty to drop it
     * @return the new set
     */
    public ConsumedHeaders replacing(String name, List<String> values) {
        TreeMap<String, List<String>> r = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        r.putAll(replacements);
        r.put(Objects.requireNonNull(name, "name"), List.copyOf(values));
        return new ConsumedHeaders(names, prefixes, Collections.unmodifiableMap(r));
    }

    /**
     * Whether header {@code name} (any case) must be dropped: named exactly, or starting with a prefix, and not replaced.
     *
     * @param name the header name
     * @return whether it is dropped
     */
    public boolean removes(String name) {
        if (replacements.containsKey(name)) {
            return false;
        }
        if (names.contains(name)) {
            return true;
        }
        for (String p : prefixes) {
            if (name.regionMatches(true, 0, p, 0, p.length())) {
                return true;
            }
        }
        return false;
    }

    /**
     * The values header {@code name} (any case) must carry instead of its own, or null when it is not replaced.
     *
     * @param name the header name
     * @return the new values, or null
     */
    public List<String> replacement(String name) {
        return replacements.get(name);
    }

    /**
     * The names removed exactly (case-insensitive set).
     *
     * @return the names, unmodifiable
     */
    public Set<String> names() {
        return names;
    }

    /**
     * The removed name prefixes, lower-cased.
     *
     * @return the prefixes, unmodifiable
     */
    public List<String> prefixes() {
        return prefixes;
    }

    /**
     * The replaced headers and their new values (case-insensitive map).
     *
     * @return the replacements, unmodifiable
     */
    public Map<String, List<String>> replacements() {
        return replacements;
    }

    /**
     * {@code headers} with the consumed ones removed and the replacements applied; a replaced header whose new value
     * list is empty is dropped. The order of the remaining names is kept.
     *
     * @param headers the request's headers, names in any case
     * @return a new map; the input is not changed
     */
    public Map<String, List<String>> applyTo(Map<String, List<String>> headers) {
        Map<String, List<String>> out = new java.util.LinkedHashMap<>();
        for (Map.Entry<String, List<String>> h : headers.entrySet()) {
            List<String> replaced = replacements.get(h.getKey());
            if (replaced != null) {
                if (!replaced.isEmpty()) {
                    out.put(h.getKey(), replaced);
                }
            } else if (!removes(h.getKey())) {
                out.put(h.getKey(), h.getValue());
            }
        }
        return out;
    }

    @Override
    public String toString() {
        return "ConsumedHeaders{names=" + names + ", prefixes=" + prefixes + ", replaced=" + replacements.keySet() + "}";
    }
}
