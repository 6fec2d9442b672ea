package io.gatehouse.examples.gateway;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The gateway's front-proxy flags: kube-apiserver's request-header flags (trusting a proxy in front) and the
 * aggregator's proxy-client flags (being a trusted proxy for {@code --upstream}).
 *
 * @param requestheaderClientCaFile {@code --requestheader-client-ca-file}; null: no request-header authenticator
 * @param allowedNames              {@code --requestheader-allowed-names}
 * @param usernameHeaders           {@code --requestheader-username-headers} (kube-apiserver: no default)
 * @param uidHeaders                {@code --requestheader-uid-headers}
 * @param groupHeaders              {@code --requestheader-group-headers}
 * @param extraHeadersPrefix        {@code --requestheader-extra-headers-prefix}
 * @param proxyClientCertFile       {@code --proxy-client-cert-file}: the certificate {@code --upstream} is shown
 * @param proxyClientKeyFile        {@code --proxy-client-key-file}
 * @param upstreamCaFile            {@code --upstream-ca-file} (the gateway's own, as an APIService's
 *                                  {@code caBundle}): the CAs {@code --upstream}'s serving certificate must chain to;
 *                                  null: the JVM's trust store
 */
record FrontProxyOptions(Path requestheaderClientCaFile, List<String> allowedNames, List<String> usernameHeaders,
                         List<String> uidHeaders, List<String> groupHeaders, List<String> extraHeadersPrefix,
                         Path proxyClientCertFile, Path proxyClientKeyFile, Path upstreamCaFile) {

    /** The flags this record reads. */
    static final Set<String> FLAGS = Set.of("requestheader-client-ca-file", "requestheader-allowed-names",
            "requestheader-username-headers", "requestheader-uid-headers", "requestheader-group-headers",
            "requestheader-extra-headers-prefix", "proxy-client-cert-file", "proxy-client-key-file", "upstream-ca-file");

    /** Reads the flags from the parsed single-valued flags. */
    static FrontProxyOptions parse(Map<String, String> flags) throws GatewayFlags.FlagException {
        FrontProxyOptions o = new FrontProxyOptions(path(flags, "requestheader-client-ca-file"),
                slice(flags, "requestheader-allowed-names"), slice(flags, "requestheader-username-headers"),
                slice(flags, "requestheader-uid-headers"), slice(flags, "requestheader-group-headers"),
                slice(flags, "requestheader-extra-headers-prefix"), path(flags, "proxy-client-cert-file"),
                path(flags, "proxy-client-key-file"), path(flags, "upstream-ca-file"));
        if ((o.proxyClientCertFile() == null) != (o.proxyClientKeyFile() == null)) {
            throw new GatewayFlags.FlagException("--proxy-client-cert-file and --proxy-client-key-file must be given together");
        }
        return o;
    }

    /**
     * pflag's string slice: comma-separated, empty entries kept so that validation can name them
     * ({@code empty value in "requestheader-username-headers"}); an absent or empty flag is the empty list.
     */
    private static List<String> slice(Map<String, String> flags, String name) {
        String v = flags.get(name);
        if (v == null || v.isEmpty()) {
            return List.of();
        }
        return List.copyOf(new ArrayList<>(List.of(v.split(",", -1))));
    }

    private static Path path(Map<String, String> flags, String name) {
        String v = flags.get(name);
        return v == null || v.isEmpty() ? null : Path.of(v);
    }
}
