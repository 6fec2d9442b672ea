package io.gatehouse.kubernetes;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.gatehouse.bootstrap.BootstrapTokenSecret;
import io.gatehouse.bootstrap.BootstrapTokenStore;
import io.gatehouse.core.ConfigurationException;
import io.gatehouse.serviceaccount.ServiceAccountLookup;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A Kubernetes API server as the source of bootstrap token Secrets and of the objects service account tokens name:
 * one fabric8 client and the shared informers over it. Every authenticator built on one {@code KubernetesApi}
 * reads the same caches, so a gateway with several chains holds each object once and sees a change once.
 *
 * <ul>
 *   <li>{@link #bootstrapTokenStore()}: Secrets in {@code kube-system}, as kube-apiserver's Secret lister.</li>
 *   <li>{@link #serviceAccountLookup()}: ServiceAccounts, Secrets, Pods and Nodes in all namespaces, each read
 *       from its informer and, when the informer does not have it, with a live GET, as kube-apiserver's token
 *       getter.</li>
 *   <li>{@link #health()}: whether those caches are synced and their watches up.</li>
 * </ul>
 *
 * <p>Informers start when their view is first asked for and never give up: if the API server cannot be reached
 * they retry with back-off and fill themselves once it answers; a broken watch reconnects and re-lists. The client
 * needs {@code list} and {@code watch} on what it caches and {@code get} on the same.
 *
 * <p>Thread-safe. {@link #close()} stops the informers and closes the client unless the client was handed in.
 */
public final class KubernetesApi implements AutoCloseable {

    /** The default bound after which a cache whose watch is down is reported stale. */
    public static final Duration DEFAULT_STALE_AFTER = Duration.ofSeconds(60);

    private final KubernetesClient client;
    private final boolean ownsClient;
    private final Clock clock;
    private final Duration staleAfter;
    private final boolean recordLegacyTokenUse;
    private final List<ObjectCache<?, ?>> caches = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService sampler;
    private BootstrapTokenStore bootstrapTokenStore;
    private ServiceAccountLookup serviceAccountLookup;
    private boolean closed;

    private KubernetesApi(Builder b, KubernetesClient client, boolean ownsClient) {
        this.client = client;
        this.ownsClient = ownsClient;
        this.clock = b.clock;
        this.staleAfter = b.staleAfter;
        this.recordLegacyTokenUse = b.recordLegacyTokenUse;
        this.sampler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "gatehouse-kubernetes-health");
            t.setDaemon(true);
            return t;
        });
        // Watches are sampled every second, so staleness is measured even when nobody asks for health.
        sampler.scheduleWithFixedDelay(() -> {
            Instant now = clock.instant();
            for (ObjectCache<?, ?> c : caches) {
                c.sample(now);
            }
        }, 1, 1, TimeUnit.SECONDS);
    }

    /**
     * A builder; exactly one of {@code kubeconfig}, {@code autoConfigured} or {@code client} must be chosen.
     *
     * @return a new builder with no connection source chosen
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The bootstrap token Secrets of {@code kube-system}, from a shared informer started by the first call.
     * The store is owned by this object: closing an authenticator built on it does not stop the informer.
     *
     * @return the store, shared by every caller
     * @throws IllegalStateException if this object was closed
     */
    public synchronized BootstrapTokenStore bootstrapTokenStore() {
        checkOpen();
        if (bootstrapTokenStore == null) {
            ObjectCache<Secret, BootstrapTokenSecret> secrets = register(new ObjectCache<>("secrets in "
                    + BootstrapTokenSecret.NAMESPACE, client.secrets().inNamespace(BootstrapTokenSecret.NAMESPACE),
                    ObjectRecords::bootstrapSecret, Secret::new, clock.instant()));
            bootstrapTokenStore = new KubernetesBootstrapTokenStore(secrets);
        }
        return bootstrapTokenStore;
    }

    /**
     * The service account token getter ({@code --service-account-lookup}), from shared informers over
     * ServiceAccounts, Secrets, Pods and Nodes started by the first call.
     *
     * @return the lookup, shared by every caller
     * @throws IllegalStateException if this object was closed
     */
    public synchronized ServiceAccountLookup serviceAccountLookup() {
        checkOpen();
        if (serviceAccountLookup == null) {
            Instant now = clock.instant();
            serviceAccountLookup = new KubernetesServiceAccountLookup(client,
                    register(new ObjectCache<>("serviceaccounts", client.serviceAccounts().inAnyNamespace(),
                            ObjectRecords::serviceAccount, ServiceAccount::new, now)),
                    register(new ObjectCache<>("secrets", client.secrets().inAnyNamespace(),
                            ObjectRecords::secret, Secret::new, now)),
                    register(new ObjectCache<>("pods", client.pods().inAnyNamespace(),
                            ObjectRecords::pod, Pod::new, now)),
                    register(new ObjectCache<>("nodes", client.nodes(), ObjectRecords::node, Node::new, now)),
                    recordLegacyTokenUse);
        }
        return serviceAccountLookup;
    }

    /**
     * Whether every informer started so far has synced and watched within the staleness bound.
     *
     * @return ready, or one sentence per cache that is not
     */
    public KubernetesApiHealth health() {
        Instant now = clock.instant();
        List<String> problems = new ArrayList<>();
        for (ObjectCache<?, ?> c : caches) {
            String problem = c.problem(now, staleAfter);
            if (problem != null) {
                problems.add(problem);
            }
        }
        return new KubernetesApiHealth(problems.isEmpty(), problems);
    }

    /** Whether every informer started so far is watching now (tests wait for this before changing objects). */
    boolean allWatching() {
        return caches.stream().allMatch(ObjectCache::watching);
    }

    /**
     * The API server's URL, for logs.
     *
     * @return the URL the client connects to
     */
    public String masterUrl() {
        return client.getConfiguration().getMasterUrl();
    }

    private <C extends ObjectCache<?, ?>> C register(C cache) {
        caches.add(cache);
        return cache;
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("this KubernetesApi is closed");
        }
    }

    /** Stops the informers and the health sampler, and closes the client if this object created it. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        sampler.shutdownNow();
        try {
            // The sampler's task holds the caches: wait (briefly) until nothing runs it, so that closing frees them.
            sampler.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (serviceAccountLookup instanceof KubernetesServiceAccountLookup lookup) {
            lookup.close();
        }
        for (ObjectCache<?, ?> c : caches) {
            c.close();
        }
        if (ownsClient) {
            client.close();
        }
    }

    @Override
    public String toString() {
        return "KubernetesApi[" + masterUrl() + ", " + caches.size() + " informers]";
    }

    /** Configures a {@link KubernetesApi}. Not thread-safe. */
    public static final class Builder {

        private Path kubeconfig;
        private boolean autoConfigured;
        private KubernetesClient client;
        private Clock clock = Clock.systemUTC();
        private Duration staleAfter = DEFAULT_STALE_AFTER;
        private boolean recordLegacyTokenUse;

        private Builder() {
        }

        /**
         * Whether the service account lookup records legacy-token use as kube-apiserver does: the Secret's
         * {@code kubernetes.io/legacy-token-last-used} label set to the day (UTC) by a JSON merge patch, off the
         * request path, at most once per Secret per day. Off by default: a gateway is normally a read-only client,
         * and this needs {@code patch} on Secrets. Failures are logged, never a rejection.
         *
         * @param record true to write the label
         * @return this builder
         */
        public Builder recordLegacyTokenUse(boolean record) {
            this.recordLegacyTokenUse = record;
            return this;
        }

        /**
         * Connects as the kubeconfig file says (its current context), as {@code --kubeconfig} and
         * {@code --authentication-kubeconfig} do.
         *
         * @param file the kubeconfig; its current context is used
         * @return this builder
         * @throws NullPointerException if {@code file} is null
         */
        public Builder kubeconfig(Path file) {
            this.kubeconfig = Objects.requireNonNull(file, "kubeconfig");
            return this;
        }

        /**
         * Connects as fabric8 configures itself: {@code KUBECONFIG} or {@code ~/.kube/config} when present, else the
         * in-cluster service account ({@code KUBERNETES_SERVICE_HOST} and the mounted token and CA).
         *
         * @return this builder
         */
        public Builder autoConfigured() {
            this.autoConfigured = true;
            return this;
        }

        /**
         * Uses a ready client. It is not closed by {@link KubernetesApi#close()}. It must not authenticate with a
         * token that this Gatehouse chain judges through the same lookups, or lookups would recurse.
         *
         * @param ready a configured client; the caller keeps owning it
         * @return this builder
         * @throws NullPointerException if {@code client} is null
         */
        public Builder client(KubernetesClient ready) {
            this.client = Objects.requireNonNull(ready, "client");
            return this;
        }

        /**
         * The clock staleness is measured with; the system UTC clock by default.
         *
         * @param c the clock; not null
         * @return this builder
         */
        public Builder clock(Clock c) {
            this.clock = Objects.requireNonNull(c, "clock");
            return this;
        }

        /**
         * How long an informer's watch may be down before {@link KubernetesApi#health()} reports its cache stale;
         * 60 seconds ({@link KubernetesApi#DEFAULT_STALE_AFTER}) by default.
         *
         * @param bound how long a watch may be down before the caches count as stale; positive
         * @return this builder
         * @throws IllegalArgumentException if {@code bound} is not positive
         */
        public Builder staleAfter(Duration bound) {
            if (bound.isNegative() || bound.isZero()) {
                throw new IllegalArgumentException("staleAfter must be positive, was " + bound);
            }
            this.staleAfter = bound;
            return this;
        }

        /**
         * Builds the client (unless one was handed in). Nothing is contacted yet: informers start with the first
         * {@link KubernetesApi#bootstrapTokenStore()} or {@link KubernetesApi#serviceAccountLookup()}.
         *
         * @return the API, its informers started on first use
         * @throws IllegalStateException  if not exactly one connection source was chosen
         * @throws ConfigurationException if the kubeconfig file cannot be read or is not a kubeconfig
         */
        public KubernetesApi build() {
            int sources = (kubeconfig != null ? 1 : 0) + (autoConfigured ? 1 : 0) + (client != null ? 1 : 0);
            if (sources != 1) {
                throw new IllegalStateException("choose exactly one of kubeconfig(file), autoConfigured() or client(ready);"
                        + " " + sources + " were chosen");
            }
            if (client != null) {
                return new KubernetesApi(this, client, false);
            }
            Config config;
            if (kubeconfig != null) {
                String text;
                try {
                    text = Files.readString(kubeconfig, StandardCharsets.UTF_8);
                } catch (IOException e) {
                    throw new ConfigurationException(kubeconfig.toString(), null, null, "cannot read the kubeconfig file: "
                            + e.getClass().getSimpleName(), e);
                }
                try {
                    config = Config.fromKubeconfig(null, text, kubeconfig.toAbsolutePath().toString());
                } catch (RuntimeException e) {
                    // Only the type: a parser's message may quote the file, and a kubeconfig holds credentials.
                    throw new ConfigurationException(kubeconfig.toString(), null, null, "not a usable kubeconfig ("
                            + e.getClass().getSimpleName() + "): expected clusters, users, contexts and a current-context",
                            null);
                }
            } else {
                config = Config.autoConfigure(null);
            }
            // A lookup that falls back to a live GET runs on a request thread: fail within seconds, do not retry for
            // long (the informers retry on their own).
            Config tuned = new ConfigBuilder(config)
                    .withConnectionTimeout(5_000)
                    .withRequestTimeout(10_000)
                    .withRequestRetryBackoffLimit(1)
                    .build();
            return new KubernetesApi(this, new KubernetesClientBuilder().withConfig(tuned).build(), true);
        }
    }
}
