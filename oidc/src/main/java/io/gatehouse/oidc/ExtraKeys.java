package io.gatehouse.oidc;

import io.gatehouse.core.internal.GoText;

import java.util.regex.Pattern;

/** Kubernetes' validation of {@code claimMappings.extra[].key}: a lowercase, domain-prefixed path outside k8s.io. */
final class ExtraKeys {

    private static final String DNS1123 = "[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*";
    private static final Pattern SUBDOMAIN = Pattern.compile(DNS1123);
    private static final Pattern PATH = Pattern.compile("[A-Za-z0-9/\\-._~%!$&'()*+,;=:]+");

    private ExtraKeys() {
    }

    /** The detail of the first problem with {@code key} ({@code Required value}, {@code Invalid value: ...}), or null. */
    static String problem(String key) {
        if (key == null || key.isEmpty()) {
            return "Required value";
        }
        int slash = key.indexOf('/');
        if (slash <= 0 || slash == key.length() - 1) {
            return "Invalid value: " + GoText.quote(key) + ": must be a domain-prefixed path (such as \"acme.io/foo\")";
        }
        String host = key.substring(0, slash);
        String path = key.substring(slash + 1);
        if (host.length() > 253 || !SUBDOMAIN.matcher(host).matches()) {
            return "Invalid value: " + GoText.quote(host) + ": a lowercase RFC 1123 subdomain must consist of lower case "
                    + "alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. "
                    + "'example.com', regex used for validation is '" + DNS1123 + "')";
        }
        if (!PATH.matcher(path).matches()) {
            return "Invalid value: " + GoText.quote(path) + ": Invalid path (regex used for validation is '"
                    + PATH.pattern() + "')";
        }
        if (!key.equals(key.toLowerCase(java.util.Locale.ROOT))) {
            return "Invalid value: " + GoText.quote(key) + ": must be lowercase";
        }
        if (host.equals("k8s.io") || host.endsWith(".k8s.io") || host.equals("kubernetes.io") || host.endsWith(".kubernetes.io")) {
            return "Invalid value: " + GoText.quote(key) + ": k8s.io, kubernetes.io and their subdomains are reserved for "
                    + "Kubernetes use";
        }
        return null;
    }
}
