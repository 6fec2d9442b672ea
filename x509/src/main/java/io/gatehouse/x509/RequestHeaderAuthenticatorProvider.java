package io.gatehouse.x509;

import io.gatehouse.core.spi.AuthenticatorProvider;
import io.gatehouse.core.spi.ChainMember;
import io.gatehouse.core.spi.ProviderContext;
import io.gatehouse.core.spi.ProviderSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The {@code request-header} authenticator type: Kubernetes' front-proxy authenticator
 * ({@link RequestHeaderAuthenticator}). Put it first in the chain, before {@code x509} and the token
 * authenticators, as kube-apiserver does.
 *
 * <p>Settings (relative paths resolve against the configuration file's directory; files are watched at the chain's
 * {@code reloadInterval}). Either {@code clientCaFile} with the optional lists, or {@code configMapFile} alone:
 * <table>
 *   <caption>request-header settings</caption>
 *   <tr><th>setting</th><th>type</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>{@code clientCaFile}</td><td>path</td><td>—</td><td>the front proxy's CA bundle (PEM),
 *       {@code --requestheader-client-ca-file}</td></tr>
 *   <tr><td>{@code configMapFile}</td><td>path</td><td>—</td><td>Kubernetes' {@code extension-apiserver-authentication}
 *       ConfigMap as YAML: its {@code requestheader-*} keys give the CA and every list</td></tr>
 *   <tr><td>{@code allowedNames}</td><td>list</td><td>any</td><td>{@code --requestheader-allowed-names}</td></tr>
 *   <tr><td>{@code usernameHeaders}</td><td>list</td><td>{@code [x-remote-user]}</td><td>{@code --requestheader-username-headers}</td></tr>
 *   <tr><td>{@code uidHeaders}</td><td>list</td><td>none</td><td>{@code --requestheader-uid-headers}</td></tr>
 *   <tr><td>{@code groupHeaders}</td><td>list</td><td>{@code [x-remote-group]}</td><td>{@code --requestheader-group-headers}</td></tr>
 *   <tr><td>{@code extraHeaderPrefixes}</td><td>list</td><td>{@code [x-remote-extra-]}</td><td>{@code --requestheader-extra-headers-prefix}</td></tr>
 *   <tr><td>{@code cacheMaximumSize}, {@code cacheTtl}</td><td></td><td>10000, 5m</td><td>as for {@code x509}</td></tr>
 * </table>
 * The defaults are a delegating API server's ({@code NewDelegatingAuthenticationOptions}); kube-apiserver's flags
 * have none.
 *
 * <p>Public only because {@link java.util.ServiceLoader} needs it; thread-safe and stateless.
 */
public final class RequestHeaderAuthenticatorProvider implements AuthenticatorProvider {

    /** For {@link java.util.ServiceLoader}; applications use {@link RequestHeaderAuthenticator#builder()} instead. */
    public RequestHeaderAuthenticatorProvider() {
    }

    @Override
    public String type() {
        return "request-header";
    }

    @Override
    public ChainMember create(ProviderSettings settings, ProviderContext context) {
        RequestHeaderAuthenticator.Builder b = RequestHeaderAuthenticator.builder().clock(context.clock())
                .listener(context.listener()).reloadInterval(context.reloadInterval());
        boolean ca = settings.has("clientCaFile");
        boolean configMap = settings.has("configMapFile");
        if (ca == configMap) {
            throw settings.invalid(ca ? "configMapFile" : "clientCaFile",
                    "set exactly one of clientCaFile and configMapFile");
        }
        if (ca) {
            b.clientCaFile(file(settings, "clientCaFile"));
            list(settings, "allowedNames", "requestheader-allowed-names", b::allowedNames);
            list(settings, "usernameHeaders", "requestheader-username-headers", b::usernameHeaders);
            list(settings, "uidHeaders", "requestheader-uid-headers", b::uidHeaders);
            list(settings, "groupHeaders", "requestheader-group-headers", b::groupHeaders);
            list(settings, "extraHeaderPrefixes", "requestheader-extra-headers-prefix", b::extraHeaderPrefixes);
        } else {
            b.configMapFile(file(settings, "configMapFile"));
        }
        long cacheSize = settings.number("cacheMaximumSize", X509Authenticator.DEFAULT_CACHE_MAXIMUM_SIZE);
        if (cacheSize < 0) {
            throw settings.invalid("cacheMaximumSize", "must not be negative");
        }
        Duration ttl = settings.duration("cacheTtl", X509Authenticator.DEFAULT_CACHE_TTL);
        if (ttl.isNegative() || ttl.compareTo(Duration.ofDays(1)) > 0) {
            throw settings.invalid("cacheTtl", "must be between 0s and 24h");
        }
        b.cacheMaximumSize(cacheSize).cacheTtl(ttl);
        try {
            return new ChainMember.Request(b.build());
        } catch (IllegalStateException e) {
            throw settings.invalid(ca ? "uidHeaders" : "configMapFile", e.getMessage());
        }
    }

    private static Path file(ProviderSettings settings, String key) {
        Path p = settings.path(key);
        if (Files.isDirectory(p)) {
            throw settings.invalid(key, "is a directory; expected a file: " + p);
        }
        return p;
    }

    private static void list(ProviderSettings settings, String key, String flag,
                             java.util.function.Consumer<List<String>> setter) {
        if (!settings.has(key)) {
            return;
        }
        try {
            setter.accept(settings.stringList(key));
        } catch (IllegalArgumentException e) {
            throw settings.invalid(key, e.getMessage());
        }
    }
}
