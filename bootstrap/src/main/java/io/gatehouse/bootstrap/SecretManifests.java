package io.gatehouse.bootstrap;

import io.gatehouse.core.ConfigurationException;
import io.gatehouse.core.internal.BoundedYaml;
import io.gatehouse.core.internal.GoText;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Reads and writes Secret manifests as {@code kubectl get secret -o yaml} and kubeadm write them: {@code v1}
 * Secrets (alone, in multi-document files or in a {@code List}), with base64 {@code data} and plain
 * {@code stringData} (merged over {@code data}, as the API server does on write).
 */
final class SecretManifests {

    /** Kubernetes' rule for Secret data keys ({@code IsConfigMapKey}). */
    private static final Pattern DATA_KEY = Pattern.compile("[-._a-zA-Z0-9]{1,253}");
    /** A DNS subdomain, the rule for Secret names. */
    private static final Pattern NAME =
            Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

    /** Text YAML reads as a plain string; anything else is written double-quoted (Go's escapes are YAML's). */
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z][-A-Za-z0-9./_]*");

    private SecretManifests() {
    }

    private static boolean isPlain(String s) {
        return PLAIN.matcher(s).matches() && !s.matches("(?i)true|false|null|yes|no|on|off");
    }

    /**
     * The bootstrap token Secrets of one file. Documents of other kinds, Secrets of other types or namespaces are
     * skipped, each reported to {@code warn}.
     *
     * @param source names the file in messages
     * @throws ConfigurationException if the file is not valid YAML or a Secret in it is malformed; never quotes a
     *                                data value
     */
    static List<BootstrapTokenSecret> parse(String text, String source, Consumer<String> warn) {
        List<Object> documents = BoundedYaml.loadAll(text, source);
        List<BootstrapTokenSecret> secrets = new ArrayList<>();
        for (int i = 0; i < documents.size(); i++) {
            object(documents.get(i), source, "document " + (i + 1), warn, secrets);
        }
        return secrets;
    }

    private static void object(Object doc, String source, String where, Consumer<String> warn,
                               List<BootstrapTokenSecret> out) {
        if (!(doc instanceof Map<?, ?> map)) {
            throw new ConfigurationException(source, where, null, "must be a Kubernetes object (a map)", null);
        }
        Object kind = map.get("kind");
        Object apiVersion = map.get("apiVersion");
        // Kubernetes' decoder refuses an object without apiVersion or kind ("Object 'Kind' is missing"): such a
        // document is a broken file (last good version kept), not another kind of object to skip.
        if (!(kind instanceof String) || !(apiVersion instanceof String)) {
            throw new ConfigurationException(source, where, kind instanceof String ? "apiVersion" : "kind",
                    "must be a string: a Kubernetes object names its apiVersion and kind", null);
        }
        if (map.containsKey("items") && kind instanceof String k && k.endsWith("List")) {
            if (!(map.get("items") instanceof List<?> items)) {
                throw new ConfigurationException(source, where, "items", "must be a list", null);
            }
            for (int i = 0; i < items.size(); i++) {
                object(items.get(i), source, where + " items[" + i + "]", warn, out);
            }
            return;
        }
        if (!"Secret".equals(kind) || !"v1".equals(apiVersion)) {
            warn.accept(where + ": ignored: not a v1 Secret (apiVersion " + apiVersion + ", kind " + kind + ")");
            return;
        }
        Map<?, ?> metadata = map.get("metadata") instanceof Map<?, ?> m ? m : Map.of();
        if (!(metadata.get("name") instanceof String name) || name.isEmpty()) {
            throw new ConfigurationException(source, where, "metadata.name", "is required", null);
        }
        where = where + " (Secret " + name + ")";
        Object namespace = metadata.get("namespace");
        if (namespace != null && !BootstrapTokens.NAMESPACE.equals(namespace)) {
            warn.accept(where + ": ignored: in namespace " + namespace + "; bootstrap tokens are read from "
                    + BootstrapTokens.NAMESPACE + " only");
            return;
        }
        // The API server defaults a missing type to Opaque.
        Object type = map.containsKey("type") ? map.get("type") : "Opaque";
        if (!BootstrapTokens.SECRET_TYPE.equals(type)) {
            warn.accept(where + ": ignored: type " + type + " is not " + BootstrapTokens.SECRET_TYPE);
            return;
        }
        Map<String, String> data = null;
        if (map.get("data") != null) {
            data = new LinkedHashMap<>();
            for (Map.Entry<String, String> e : strings(map.get("data"), source, where, "data").entrySet()) {
                data.put(e.getKey(), decode(e.getValue(), source, where, e.getKey()));
            }
        }
        if (map.get("stringData") != null) {
            if (data == null) {
                data = new LinkedHashMap<>();
            }
            data.putAll(strings(map.get("stringData"), source, where, "stringData"));
        }
        boolean deleted = metadata.get("deletionTimestamp") != null;
        if (BootstrapTokens.parseSecretName(name) == null) {
            warn.accept(where + ": not named " + BootstrapTokens.SECRET_PREFIX
                    + "<token-id>, so no bootstrap token can match it");
        }
        out.add(new BootstrapTokenSecret(BootstrapTokens.NAMESPACE, name, BootstrapTokens.SECRET_TYPE, data, deleted));
    }

    private static Map<String, String> strings(Object value, String source, String where, String field) {
        if (!(value instanceof Map<?, ?> map)) {
            throw new ConfigurationException(source, where, field, "must be a map of keys to strings", null);
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : map.entrySet()) {
            if (!(e.getKey() instanceof String key) || !DATA_KEY.matcher(key).matches()) {
                throw new ConfigurationException(source, where, field, "has an invalid key " + e.getKey(), null);
            }
            Object v = e.getValue();
            if (v == null) {
                out.put(key, "");
            } else if (v instanceof String s) {
                out.put(key, s);
            } else {
                // Kubernetes refuses a YAML true or 42 here too; the value itself is not quoted, it may be a secret.
                throw new ConfigurationException(source, where, field + "." + key,
                        "must be a string (quote it), found a " + v.getClass().getSimpleName(), null);
            }
        }
        return out;
    }

    private static String decode(String base64, String source, String where, String key) {
        try {
            // Go's base64.StdEncoding (padding required) skips line breaks; Java's basic decoder does not.
            byte[] bytes = Base64.getDecoder().decode(base64.replace("\n", "").replace("\r", ""));
            return new String(bytes, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(source, where, "data." + key, "is not valid base64", null);
        }
    }

    /**
     * A manifest for {@code secret} as kubeadm creates it and {@code kubectl get secret -o yaml} prints it: data
     * base64-encoded, keys sorted.
     *
     * @throws IllegalArgumentException if the name or a data key is not valid for a Secret, or the Secret is marked
     *                                  deleted
     */
    static String write(BootstrapTokenSecret secret) {
        if (!NAME.matcher(secret.name()).matches() || secret.name().length() > 253) {
            throw new IllegalArgumentException("not a valid Secret name: " + secret.name());
        }
        if (!NAME.matcher(secret.namespace()).matches()) {
            throw new IllegalArgumentException("not a valid namespace: " + secret.namespace());
        }
        if (secret.deleted()) {
            throw new IllegalArgumentException("Secret " + secret.name() + " is marked deleted");
        }
        StringBuilder sb = new StringBuilder()
                .append("apiVersion: v1\n")
                .append("kind: Secret\n")
                .append("metadata:\n")
                .append("  name: ").append(secret.name()).append('\n')
                .append("  namespace: ").append(secret.namespace()).append('\n')
                .append("type: ").append(isPlain(secret.type()) ? secret.type()
                        : GoText.quote(secret.type())).append('\n');
        if (secret.data() != null) {
            sb.append(secret.data().isEmpty() ? "data: {}\n" : "data:\n");
            for (Map.Entry<String, String> e : secret.data().entrySet()) {
                if (!DATA_KEY.matcher(e.getKey()).matches()) {
                    throw new IllegalArgumentException("not a valid Secret data key: " + e.getKey());
                }
                sb.append("  ").append(e.getKey()).append(": ")
                        .append(Base64.getEncoder().encodeToString(e.getValue().getBytes(StandardCharsets.UTF_8)))
                        .append('\n');
            }
        }
        return sb.toString();
    }
}
