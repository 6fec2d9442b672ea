package io.gatehouse.oidc;

import io.gatehouse.core.spi.AuthenticatorProvider;
import io.gatehouse.core.spi.ChainMember;
import io.gatehouse.core.spi.ProviderContext;
import io.gatehouse.core.spi.ProviderSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The {@code oidc} provider. Public only because {@link java.util.ServiceLoader} needs it; applications
 * use {@link OidcAuthenticator#builder()}.
 *
 * <p>Settings: either {@code authenticationConfig} (path to Kubernetes' AuthenticationConfiguration file)
 * or the legacy flags {@code issuerUrl}, {@code clientId}, {@code caFile}, {@code usernameClaim},
 * {@code usernamePrefix}, {@code groupsClaim}, {@code groupsPrefix}, {@code requiredClaims} (a map) and
 * {@code signingAlgs} (a list); optionally {@code maxTokenLength} and {@code disallowedIssuers} (a list: the
 * service account issuers, which Kubernetes refuses as JWT issuers). With a configuration file and a non-zero
 * reload interval in the context, the file is watched ({@link ReloadingOidcAuthenticator}). Thread-safe
 * (stateless).
 */
public final class OidcAuthenticatorProvider implements AuthenticatorProvider {

    private static final List<String> FLAGS = List.of("issuerUrl", "clientId", "caFile", "usernameClaim",
            "usernamePrefix", "groupsClaim", "groupsPrefix", "requiredClaims", "signingAlgs");

    /** Creates the provider; ServiceLoader calls this. */
    public OidcAuthenticatorProvider() {
    }

    /** {@code oidc}. */
    @Override
    public String type() {
        return "oidc";
    }

    /**
     * Builds an {@link OidcAuthenticator} as a token chain member.
     *
     * @throws io.gatehouse.core.ConfigurationException naming the setting at fault
     */
    @Override
    public ChainMember create(ProviderSettings settings, ProviderContext context) {
        long maxLength = settings.number("maxTokenLength", io.gatehouse.jwt.CompactJws.DEFAULT_MAX_LENGTH);
        if (maxLength < 64 || maxLength > 1 << 20) {
            throw settings.invalid("maxTokenLength", "must be between 64 and 1048576");
        }
        List<String> disallowed = settings.stringList("disallowedIssuers");
        UnaryOperator<OidcAuthenticator.Builder> common = b -> b.clock(context.clock()).listener(context.listener())
                .maxTokenLength((int) maxLength).disallowedIssuers(disallowed);
        OidcAuthenticator.Builder builder = common.apply(OidcAuthenticator.builder());
        boolean anyFlag = FLAGS.stream().anyMatch(settings::has);
        if (settings.has("authenticationConfig")) {
            if (anyFlag) {
                throw settings.invalid("authenticationConfig", "authentication-config file and oidc-* flags are mutually exclusive");
            }
            Path file = settings.path("authenticationConfig");
            if (!context.reloadInterval().isZero()) {
                // As kube-apiserver: a changed file is swapped in only once its issuers are healthy.
                return new ChainMember.Token(ReloadingOidcAuthenticator.watch(file, context.reloadInterval(),
                        Duration.ofMinutes(1), common, context.listener()));
            }
            builder.issuers(AuthenticationConfiguration.load(file));
        } else {
            LegacyOidcFlags flags = LegacyOidcFlags.builder()
                    .issuerUrl(settings.optionalString("issuerUrl").orElse(null))
                    .clientId(settings.optionalString("clientId").orElse(null));
            settings.optionalPath("caFile").ifPresent(flags::caFile);
            settings.optionalString("usernameClaim").ifPresent(flags::usernameClaim);
            settings.optionalString("usernamePrefix").ifPresent(flags::usernamePrefix);
            settings.optionalString("groupsClaim").ifPresent(flags::groupsClaim);
            settings.optionalString("groupsPrefix").ifPresent(flags::groupsPrefix);
            for (Map.Entry<String, String> e : settings.stringMap("requiredClaims").entrySet()) {
                flags.requiredClaim(e.getKey(), e.getValue());
            }
            List<String> algs = settings.stringList("signingAlgs");
            if (!algs.isEmpty()) {
                flags.signingAlgorithms(algs);
            }
            builder.issuer(flags.toIssuer());
        }
        return new ChainMember.Token(builder.build());
    }
}
