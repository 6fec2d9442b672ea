package io.gatehouse.oidc;

import io.gatehouse.core.AuthenticationListener;
import io.gatehouse.core.AuthenticationResult;
import io.gatehouse.core.ConfigurationException;
import io.gatehouse.core.TokenAuthenticator;
import io.gatehouse.core.internal.Sha256;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;

/**
 * An {@link OidcAuthenticator} that follows Kubernetes' AuthenticationConfiguration file as kube-apiserver
 * does (section 8.5 of the reference): when the content changes it is decoded and validated, new
 * authenticators are built, and they replace the old ones in one atomic swap only once every issuer is
 * healthy (keys fetched) within the health timeout. Invalid content is reported once and remembered so it
 * is not retried; a build that does not become healthy is discarded and retried at the next check. The
 * replaced authenticator is closed after a grace period so requests in flight finish.
 *
 * <p>Thread-safe; {@link #authenticate} is one volatile read away from the current authenticator and never
 * throws. Close it to stop watching.
 */
public final class ReloadingOidcAuthenticator implements TokenAuthenticator, AutoCloseable {

    private final Path file;
    private final UnaryOperator<OidcAuthenticator.Builder> settings;
    private final AuthenticationListener listener;
    private final Duration healthTimeout;
    private final Duration retireAfter;
    private final ScheduledExecutorService watcher;
    private final AtomicReference<OidcAuthenticator> current = new AtomicReference<>();
    private byte[] loadedDigest;
    /** The anonymous block the file had at start; a reload that changes it is refused, as in kube-apiserver. */
    private java.util.Optional<AuthenticationConfiguration.Anonymous> initialAnonymous = java.util.Optional.empty();
    private byte[] rejectedDigest;

    private ReloadingOidcAuthenticator(Path file, UnaryOperator<OidcAuthenticator.Builder> settings,
                                       AuthenticationListener listener, Duration healthTimeout, Duration retireAfter) {
        this.file = file;
        this.settings = settings;
        this.listener = listener;
        this.healthTimeout = healthTimeout;
        this.retireAfter = retireAfter;
        this.watcher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "gatehouse-oidc-config");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Loads {@code file} now (startup never waits for identity providers) and checks it for changes every
     * {@code interval}; zero disables watching ({@link #reloadIfChanged()} still works).
     *
     * @param settings      applies the non-file settings (clock, listener, timeouts, ...) to each new builder
     * @param listener      receives {@code reloaded} and {@code reloadFailed} for the file
     * @param healthTimeout how long a new configuration may take to become healthy (Kubernetes: 1 minute)
     * @param file          the structured authentication configuration file; not null
     * @param interval      how often the file is checked for changes; not negative, zero to never check
     * @return the authenticator, serving the file's first configuration; it watches the file until closed
     * @throws ConfigurationException if the first load fails: a chain never starts on a broken file
     */
    public static ReloadingOidcAuthenticator watch(Path file, Duration interval, Duration healthTimeout,
                                                   UnaryOperator<OidcAuthenticator.Builder> settings,
                                                   AuthenticationListener listener) {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(listener, "listener");
        if (interval.isNegative() || healthTimeout.isNegative()) {
            throw new IllegalArgumentException("interval and healthTimeout must not be negative");
        }
        ReloadingOidcAuthenticator r = new ReloadingOidcAuthenticator(file, settings, listener, healthTimeout, Duration.ofMinutes(1));
        byte[] content = r.read();
        OidcAuthenticator first = r.build(content);
        r.initialAnonymous = AuthenticationConfiguration.anonymous(r.text(content), file.toString());
        r.current.set(first);
        r.loadedDigest = Sha256.digest(content);
        listener.reloaded(file.toString(), first.issuerUrls().size() + " issuers");
        if (!interval.isZero()) {
            r.watcher.scheduleWithFixedDelay(r::checkQuietly, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
        }
        return r;
    }

    @Override
    public AuthenticationResult authenticate(String token, List<String> audiences) {
        return current.get().authenticate(token, audiences);
    }

    /**
     * The key state of the issuers in force.
     *
     * @return one health entry per issuer in force, in configuration order
     */
    public List<IssuerHealth> health() {
        return current.get().health();
    }

    /**
     * The issuers in force.
     *
     * @return the issuer URLs in force
     */
    public List<String> issuerUrls() {
        return current.get().issuerUrls();
    }

    /**
     * Checks the file now; on a valid change builds, waits for health and swaps. Blocks up to the health
     * timeout.
     *
     * @return true if a new configuration is now in force
     */
    public synchronized boolean reloadIfChanged() {
        byte[] content;
        try {
            content = read();
        } catch (ConfigurationException e) {
            listener.reloadFailed(file.toString(), e.getMessage());
            return false;
        }
        byte[] digest = Sha256.digest(content);
        if (Arrays.equals(digest, loadedDigest) || Arrays.equals(digest, rejectedDigest)) {
            return false;
        }
        OidcAuthenticator next;
        try {
            // kube-apiserver applies the anonymous block at start only; a reload that changes it is refused whole.
            if (!AuthenticationConfiguration.anonymous(text(content), file.toString()).equals(initialAnonymous)) {
                throw new ConfigurationException(file.toString(), "anonymous: Forbidden: changed from initial configuration file");
            }
            next = build(content);
        } catch (ConfigurationException e) {
            rejectedDigest = digest;
            listener.reloadFailed(file.toString(), e.getMessage());
            return false;
        }
        if (!awaitHealthy(next)) {
            List<String> problems = next.health().stream().map(IssuerHealth::problem).filter(Objects::nonNull).toList();
            next.close();
            listener.reloadFailed(file.toString(), "new configuration not healthy within " + healthTimeout.toSeconds()
                    + "s; keeping the current one: " + problems);
            return false;
        }
        OidcAuthenticator old = current.getAndSet(next);
        loadedDigest = digest;
        rejectedDigest = null;
        listener.reloaded(file.toString(), next.issuerUrls().size() + " issuers");
        watcher.schedule(old::close, retireAfter.toMillis(), TimeUnit.MILLISECONDS);
        return true;
    }

    /** Stops watching and closes the authenticator in force. */
    @Override
    public void close() {
        watcher.shutdownNow();
        current.get().close();
    }

    private boolean awaitHealthy(OidcAuthenticator next) {
        long deadline = System.nanoTime() + healthTimeout.toNanos();
        while (true) {
            if (next.health().stream().allMatch(IssuerHealth::isHealthy)) {
                return true;
            }
            if (System.nanoTime() >= deadline) {
                return false;
            }
            try {
                Thread.sleep(Math.min(100, Math.max(1, healthTimeout.toMillis())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
    }

    private void checkQuietly() {
        try {
            reloadIfChanged();
        } catch (RuntimeException e) {
            listener.reloadFailed(file.toString(), "unexpected " + e.getClass().getSimpleName());
        }
    }

    private byte[] read() {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new ConfigurationException(file.toString(), "cannot read: " + e.getClass().getSimpleName());
        }
    }

    private String text(byte[] content) {
        return new String(content, java.nio.charset.StandardCharsets.UTF_8);
    }

    private OidcAuthenticator build(byte[] content) {
        List<JwtIssuer> issuers = AuthenticationConfiguration.parse(text(content), file.toString());
        return settings.apply(OidcAuthenticator.builder()).issuers(issuers).build();
    }

    @Override
    public String toString() {
        return "ReloadingOidcAuthenticator{" + file + "}";
    }
}
