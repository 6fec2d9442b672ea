package io.gatehouse.statictoken;

import io.gatehouse.core.spi.AuthenticatorProvider;
import io.gatehouse.core.spi.ChainMember;
import io.gatehouse.core.spi.ProviderContext;
import io.gatehouse.core.spi.ProviderSettings;

/**
 * The {@code static-token} entry of a Gatehouse configuration file. Public only because
 * {@link java.util.ServiceLoader} needs it; applications use {@link StaticTokenAuthenticator#builder()}.
 *
 * <p>Settings:
 * <ul>
 *   <li>{@code file} (required): the token file, as Kubernetes' {@code --token-auth-file}, relative to the
 *       configuration file's directory.</li>
 * </ul>
 * The file is checked for changes every {@code reloadInterval} of the configuration.
 */
public final class StaticTokenProvider implements AuthenticatorProvider {

    /** Called by {@link java.util.ServiceLoader}. */
    public StaticTokenProvider() {
    }

    @Override
    public String type() {
        return "static-token";
    }

    @Override
    public ChainMember create(ProviderSettings settings, ProviderContext context) {
        return new ChainMember.Token(StaticTokenAuthenticator.builder()
                .file(settings.path("file"))
                .reloadInterval(context.reloadInterval())
                .listener(context.listener())
                .build());
    }
}
