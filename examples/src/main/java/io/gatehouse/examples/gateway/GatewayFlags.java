package io.gatehouse.examples.gateway;

import io.gatehouse.core.spi.ProviderSettings;
import io.gatehouse.webhook.WebhookTokenAuthenticator;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Parses kube-apiserver-style flags: {@code --flag=value} and {@code --flag value}, booleans also bare
 * ({@code --anonymous-auth}), repeatable flags accumulating, any other flag given twice taking the last
 * value (as pflag does). Unknown or conflicting flags are errors before anything listens.
 */
final class GatewayFlags {

    /** A flag the gateway cannot honour; the message is the one line to print. */
    static final class FlagException extends Exception {
        private static final long serialVersionUID = 1L;

        FlagException(String message) {
            super(message);
        }
    }

    static final Set<String> BOOLEANS = Set.of("enable-bootstrap-token-auth", "service-account-lookup", "anonymous-auth");
    static final Set<String> REPEATABLE = Set.of("service-account-key-file", "service-account-issuer", "oidc-required-claim");
    static final Set<String> VALUED = Set.of("secure-port", "bind-address", "tls-cert-file", "tls-private-key-file",
            "client-ca-file", "token-auth-file", "bootstrap-token-dir", "service-account-key-file",
            "service-account-issuer", "service-account-signing-key-file", "api-audiences", "oidc-issuer-url",
            "oidc-client-id", "oidc-ca-file", "oidc-username-claim", "oidc-username-prefix", "oidc-groups-claim",
            "oidc-groups-prefix", "oidc-required-claim", "oidc-signing-algs", "authentication-config",
            "audit-log-path", "upstream", "authentication-token-webhook-config-file",
            "authentication-token-webhook-version", "authentication-token-webhook-cache-ttl", "kubeconfig",
            "authentication-kubeconfig", "authorization-always-allow-paths");

    private GatewayFlags() {
    }

    /** Parses {@code args}; {@code extra} names further flags a subcommand accepts, returned in {@code extras}. */
    static GatewayOptions parse(List<String> args, Set<String> extra, Map<String, String> extras) throws FlagException {
        Map<String, String> single = new LinkedHashMap<>();
        Map<String, List<String>> repeated = new LinkedHashMap<>();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (!arg.startsWith("--") || arg.length() == 2) {
                throw new FlagException("unexpected argument \"" + arg + "\": flags look like --name=value");
            }
            String name = arg.substring(2);
            String value = null;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            }
            boolean known = VALUED.contains(name) || BOOLEANS.contains(name) || extra.contains(name)
                    || FrontProxyOptions.FLAGS.contains(name) || ServingOptions.FLAGS.contains(name);
            if (!known) {
                throw new FlagException("unknown flag: --" + name);
            }
            if (value == null) {
                if (BOOLEANS.contains(name)) {
                    value = "true";
                } else if (i + 1 < args.size()) {
                    value = args.get(++i);
                } else {
                    throw new FlagException("flag needs an argument: --" + name);
                }
            }
            if (name.equals("authentication-kubeconfig")) {
                name = "kubeconfig"; // aggregated API servers' name for the same setting
            }
            if (extra.contains(name)) {
                extras.put(name, value);
            } else if (REPEATABLE.contains(name)) {
                repeated.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
            } else {
                single.put(name, value);
            }
        }
        GatewayOptions o = new GatewayOptions(
                port(single.getOrDefault("secure-port", "6443")),
                single.getOrDefault("bind-address", "0.0.0.0"),
                path(single, "tls-cert-file"),
                path(single, "tls-private-key-file"),
                path(single, "client-ca-file"),
                path(single, "token-auth-file"),
                bool(single, "enable-bootstrap-token-auth", false),
                path(single, "bootstrap-token-dir"),
                repeated.getOrDefault("service-account-key-file", List.of()).stream().map(Path::of).toList(),
                repeated.getOrDefault("service-account-issuer", List.of()),
                path(single, "service-account-signing-key-file"),
                commaList(single.get("api-audiences")),
                // kube-apiserver's default is true; without an API there is nothing to look up, so false.
                bool(single, "service-account-lookup", path(single, "kubeconfig") != null),
                single.get("oidc-issuer-url"),
                single.get("oidc-client-id"),
                path(single, "oidc-ca-file"),
                single.get("oidc-username-claim"),
                single.get("oidc-username-prefix"),
                single.get("oidc-groups-claim"),
                single.get("oidc-groups-prefix"),
                requiredClaims(repeated.getOrDefault("oidc-required-claim", List.of())),
                commaList(single.get("oidc-signing-algs")),
                path(single, "authentication-config"),
                path(single, "authentication-token-webhook-config-file"),
                single.getOrDefault("authentication-token-webhook-version", WebhookTokenAuthenticator.DEFAULT_VERSION),
                duration(single, "authentication-token-webhook-cache-ttl", WebhookTokenAuthenticator.DEFAULT_CACHE_TTL),
                bool(single, "anonymous-auth", false),
                single.containsKey("anonymous-auth"),
                single.get("audit-log-path"),
                upstream(single.get("upstream")),
                FrontProxyOptions.parse(single),
                path(single, "kubeconfig"),
                // kube-apiserver's default for delegated authorization: probes need no credential.
                single.containsKey("authorization-always-allow-paths")
                        ? commaList(single.get("authorization-always-allow-paths"))
                        : List.of("/healthz", "/readyz", "/livez"),
                ServingOptions.parse(single));
        check(o);
        return o;
    }

    private static void check(GatewayOptions o) throws FlagException {
        if (o.authenticationConfig() != null && o.anyOidcFlag()) {
            // kube-apiserver's own wording.
            throw new FlagException("authentication-config file and oidc-* flags are mutually exclusive");
        }
        if (!o.webhookVersion().equals("v1") && !o.webhookVersion().equals("v1beta1")) {
            // kube-apiserver's own wording.
            throw new FlagException("unsupported authentication webhook version \"" + o.webhookVersion()
                    + "\", supported versions are \"v1\", \"v1beta1\"");
        }
        if ((o.tlsCertFile() == null) != (o.tlsPrivateKeyFile() == null)) {
            throw new FlagException("--tls-cert-file and --tls-private-key-file must be given together");
        }
        if (o.bootstrapTokenDir() != null && !o.enableBootstrapTokenAuth()) {
            throw new FlagException("--bootstrap-token-dir needs --enable-bootstrap-token-auth");
        }
        if (o.serviceAccountLookup() && o.kubeconfig() == null) {
            throw new FlagException("--service-account-lookup=true needs a Kubernetes API to look service accounts up in, "
                    + "which this gateway does not have: give --kubeconfig; an embedding application may pass a "
                    + "ServiceAccountLookup instead");
        }
        if (o.enableBootstrapTokenAuth() && o.bootstrapTokenDir() == null && o.kubeconfig() == null) {
            throw new FlagException("--enable-bootstrap-token-auth needs --bootstrap-token-dir (Secrets in a directory) "
                    + "or --kubeconfig (Secrets in kube-system of a Kubernetes API)");
        }
        if (o.bootstrapTokenDir() != null && o.kubeconfig() != null) {
            throw new FlagException("--bootstrap-token-dir and --kubeconfig both name where bootstrap-token Secrets are; "
                    + "give one");
        }
    }

    private static int port(String v) throws FlagException {
        try {
            int p = Integer.parseInt(v);
            if (p < 0 || p > 65535) {
                throw new NumberFormatException();
            }
            return p;
        } catch (NumberFormatException e) {
            throw new FlagException("invalid argument \"" + v + "\" for --secure-port: must be a port number 0-65535");
        }
    }

    private static boolean bool(Map<String, String> flags, String name, boolean dflt) throws FlagException {
        String v = flags.get(name);
        if (v == null) {
            return dflt;
        }
        return switch (v) {
            case "true", "1", "t", "T", "TRUE", "True" -> true;
            case "false", "0", "f", "F", "FALSE", "False" -> false;
            default -> throw new FlagException("invalid argument \"" + v + "\" for --" + name + ": must be true or false");
        };
    }

    private static java.time.Duration duration(Map<String, String> flags, String name, java.time.Duration dflt)
            throws FlagException {
        String v = flags.get(name);
        if (v == null) {
            return dflt;
        }
        return ProviderSettings.parseDuration(v).filter(d -> !d.isNegative()).orElseThrow(() -> new FlagException(
                "invalid argument \"" + v + "\" for --" + name + ": a Go duration such as 2m or 30s"));
    }

    private static Path path(Map<String, String> flags, String name) {
        String v = flags.get(name);
        return v == null || v.isEmpty() ? null : Path.of(v);
    }

    private static List<String> commaList(String v) {
        if (v == null || v.isEmpty()) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (String s : v.split(",")) {
            if (!s.isBlank()) {
                out.add(s.trim());
            }
        }
        return List.copyOf(out);
    }

    private static Map<String, String> requiredClaims(List<String> values) throws FlagException {
        Map<String, String> out = new LinkedHashMap<>();
        for (String v : values) {
            int eq = v.indexOf('=');
            if (eq <= 0) {
                throw new FlagException("invalid argument \"" + v + "\" for --oidc-required-claim: must be key=value");
            }
            out.put(v.substring(0, eq), v.substring(eq + 1));
        }
        return out;
    }

    private static URI upstream(String v) throws FlagException {
        if (v == null) {
            return null;
        }
        try {
            URI u = new URI(v);
            if (!("http".equals(u.getScheme()) || "https".equals(u.getScheme())) || u.getHost() == null) {
                throw new URISyntaxException(v, "needs http:// or https:// and a host");
            }
            return u;
        } catch (URISyntaxException e) {
            throw new FlagException("invalid argument \"" + v + "\" for --upstream: " + e.getReason());
        }
    }
}
