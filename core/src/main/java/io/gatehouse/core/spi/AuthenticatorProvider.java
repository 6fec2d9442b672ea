package io.gatehouse.core.spi;

/**
 * Makes one kind of authenticator from a configuration entry. Method modules register one through
 * {@link java.util.ServiceLoader} (in {@code module-info} and {@code META-INF/services}); a configuration
 * file names it by {@link #type()}.
 *
 * <p>Implementations need a public no-argument constructor and must be thread-safe.
 */
public interface AuthenticatorProvider {

    /**
     * The stable type name a configuration entry uses, e.g. {@code static-token}.
     *
     * @return the type name, lower case with dashes
     */
    String type();

    /**
     * Builds the authenticator an entry describes. Read every setting through {@code settings}: a setting
     * that no provider read is reported as unknown.
     *
     * @param settings the entry's settings
     * @param context what every provider of the chain shares
     * @return the member to add to the chain
     * @throws io.gatehouse.core.ConfigurationException if a setting is missing or wrong, naming it
     */
    ChainMember create(ProviderSettings settings, ProviderContext context);
}
