package io.gatehouse.core.spi;

import io.gatehouse.core.AuthenticationListener;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * What every provider shares when a chain is built from configuration.
 *
 * @param clock          the clock authenticators read for validity times
 * @param listener       where authenticators report reloads, key refreshes and warnings
 * @param baseDirectory  the directory relative file settings resolve against (the config file's)
 * @param reloadInterval how often file-backed inputs are checked for changes; zero disables watching
 */
public record ProviderContext(Clock clock, AuthenticationListener listener, Path baseDirectory, Duration reloadInterval) {

    /**
     * Checks the components.
     *
     * @param clock          the clock authenticators read for validity times
     * @param listener       where authenticators report reloads, key refreshes and warnings
     * @param baseDirectory  the directory relative file settings resolve against
     * @param reloadInterval how often file-backed inputs are checked; zero disables watching
     */
    public ProviderContext {
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(listener, "listener");
        Objects.requireNonNull(baseDirectory, "baseDirectory");
        Objects.requireNonNull(reloadInterval, "reloadInterval");
        if (reloadInterval.isNegative()) {
            throw new IllegalArgumentException("reloadInterval must not be negative: " + reloadInterval);
        }
    }
}
