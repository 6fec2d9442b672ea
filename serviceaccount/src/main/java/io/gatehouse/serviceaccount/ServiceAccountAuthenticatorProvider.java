package io.gatehouse.serviceaccount;

import io.gatehouse.core.ConfigurationException;
import io.gatehouse.core.spi.AuthenticatorProvider;
import io.gatehouse.core.spi.ChainMember;
import io.gatehouse.core.spi.ProviderContext;
import io.gatehouse.core.spi.ProviderSettings;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

/**
 * The {@code service-account} provider for configuration files. Public only because
 * {@link java.util.ServiceLoader} needs it; applications use {@link ServiceAccountTokenAuthenticator#builder()}.
 *
 * <p>Settings: {@code keyFiles} (list of PEM files, required), {@code issuers} (list, required),
 * {@code apiAudiences} (list; default the issuers), {@code legacyTokensAllowed} (default true),
 * {@code kubeconfig} (a kubeconfig file: objects are looked up in that Kubernetes API, which needs
 * {@code gatehouse-kubernetes}; bound tokens are then always checked) and {@code serviceAccountLookup}
 * (Kubernetes' {@code --service-account-lookup} for legacy tokens; default true with {@code kubeconfig}, and only
 * false without one). Without {@code kubeconfig} tokens are judged without object checks; embedders with a
 * registry use the builder's {@code lookup}.
 */
public final class ServiceAccountAuthenticatorProvider implements AuthenticatorProvider {

    /** The type name configuration entries use. */
    public static final String TYPE = "service-account";

    /** For {@link java.util.ServiceLoader}. */
    public ServiceAccountAuthenticatorProvider() {
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public ChainMember create(ProviderSettings settings, ProviderContext context) {
        List<String> files = settings.stringList("keyFiles");
        if (files.isEmpty()) {
            throw settings.invalid("keyFiles", "is required: at least one PEM key file");
        }
        List<Path> paths = new ArrayList<>();
        for (String f : files) {
            paths.add(settings.baseDirectory().resolve(f).normalize());
        }
        List<String> issuers = settings.stringList("issuers");
        ServiceAccountTokenAuthenticator.Builder b = ServiceAccountTokenAuthenticator.builder()
                .keyFiles(paths)
                .issuers(issuers)
                .legacyTokensAllowed(settings.bool("legacyTokensAllowed", true))
                .clock(context.clock())
                .listener(context.listener());
        if (settings.has("apiAudiences")) {
            b.apiAudiences(settings.stringList("apiAudiences"));
        }
        boolean withApi = settings.has("kubeconfig");
        boolean legacyLookup = settings.bool("serviceAccountLookup", withApi);
        if (legacyLookup && !withApi) {
            throw settings.invalid("serviceAccountLookup", "true needs kubeconfig: a Kubernetes API to look objects up in");
        }
        if (withApi) {
            ServiceAccountLookupSource source = ServiceLoader.load(ServiceAccountLookupSource.class).findFirst()
                    .orElseThrow(() -> settings.invalid("kubeconfig", "needs io.gatehouse:gatehouse-kubernetes on the "
                            + "class or module path, which looks objects up in a Kubernetes API"));
            try {
                b.lookup(source.lookup(settings.path("kubeconfig"))).legacyLookup(legacyLookup);
            } catch (ConfigurationException e) {
                throw settings.invalid("kubeconfig", e.getMessage(), e);
            }
        }
        try {
            return new ChainMember.Token(b.build());
        } catch (ConfigurationException e) {
            // Re-issue under this entry's file and name; the builder names the setting, a key file error names the file.
            String setting = e.setting() != null ? e.setting() : "keyFiles";
            String problem = e.getMessage();
            String prefix = "setting '" + setting + "': ";
            throw settings.invalid(setting, problem.startsWith(prefix) ? problem.substring(prefix.length()) : problem, e);
        }
    }
}
