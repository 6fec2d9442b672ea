package io.gatehouse.bootstrap;

import io.gatehouse.core.ConfigurationException;
import io.gatehouse.core.spi.AuthenticatorProvider;
import io.gatehouse.core.spi.ChainMember;
import io.gatehouse.core.spi.ProviderContext;
import io.gatehouse.core.spi.ProviderSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ServiceLoader;

/**
 * The {@code bootstrap-token} authenticator type for configuration files: a {@link BootstrapTokenAuthenticator}
 * over a {@link BootstrapTokenDirectory}. Public only because {@link java.util.ServiceLoader} needs it; applications
 * use {@link BootstrapTokenAuthenticator#builder()}.
 *
 * <p>Settings:
 * <dl>
 *   <dt>{@code secretsDirectory} (this or {@code kubeconfig})</dt>
 *   <dd>A directory of Secret manifests ({@code *.yaml}, {@code *.yml}, {@code *.json}), relative to the
 *       configuration file's directory; see {@link BootstrapTokenDirectory} for what is read. It is re-read on change
 *       every {@code reloadInterval} of the configuration.</dd>
 *   <dt>{@code kubeconfig} (this or {@code secretsDirectory})</dt>
 *   <dd>A kubeconfig file, relative to the configuration file's directory: Secrets are read from
 *       {@code kube-system} of that Kubernetes API through a shared informer. Needs {@code gatehouse-kubernetes},
 *       which provides {@link BootstrapTokenStoreSource}.</dd>
 * </dl>
 *
 * <pre>{@code
 * authenticators:
 *   - type: bootstrap-token
 *     secretsDirectory: bootstrap-tokens/
 * }</pre>
 *
 * <p>Expirations are compared with the chain's clock; reloads and skipped files are reported to its listener.
 * Thread-safe and stateless.
 */
public final class BootstrapTokenProvider implements AuthenticatorProvider {

    /** The type name configuration files use. */
    public static final String TYPE = "bootstrap-token";

    /** For {@link java.util.ServiceLoader}. */
    public BootstrapTokenProvider() {
    }

    /** {@value #TYPE}. */
    @Override
    public String type() {
        return TYPE;
    }

    /**
     * Builds the authenticator an entry describes.
     *
     * @throws ConfigurationException if {@code secretsDirectory} is missing, not a directory, or holds no readable
     *                                listing
     */
    @Override
    public ChainMember create(ProviderSettings settings, ProviderContext context) {
        if (settings.has("kubeconfig")) {
            if (settings.has("secretsDirectory")) {
                throw settings.invalid("kubeconfig", "and secretsDirectory both say where Secrets are; give one");
            }
            BootstrapTokenStoreSource source = ServiceLoader.load(BootstrapTokenStoreSource.class).findFirst()
                    .orElseThrow(() -> settings.invalid("kubeconfig", "needs io.gatehouse:gatehouse-kubernetes on the "
                            + "class or module path, which reads Secrets from a Kubernetes API"));
            BootstrapTokenStore store;
            try {
                store = source.open(settings.path("kubeconfig"));
            } catch (ConfigurationException e) {
                throw settings.invalid("kubeconfig", e.getMessage(), e);
            }
            return new ChainMember.Token(BootstrapTokenAuthenticator.builder().store(store).clock(context.clock()).build());
        }
        Path directory = settings.path("secretsDirectory");
        if (!Files.isDirectory(directory)) {
            throw settings.invalid("secretsDirectory", "is not a directory: " + directory);
        }
        BootstrapTokenDirectory store;
        try {
            store = BootstrapTokenDirectory.builder(directory)
                    .listener(context.listener())
                    .reloadInterval(context.reloadInterval())
                    .build();
        } catch (ConfigurationException e) {
            throw settings.invalid("secretsDirectory", e.getMessage(), e);
        }
        return new ChainMember.Token(BootstrapTokenAuthenticator.builder()
                .store(store)
                .clock(context.clock())
                .build());
    }
}
