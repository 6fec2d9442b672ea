package io.gatehouse.kubernetes;

import io.gatehouse.bootstrap.BootstrapTokenSecret;
import io.gatehouse.bootstrap.BootstrapTokenStore;
import io.gatehouse.bootstrap.BootstrapTokenStoreSource;
import io.gatehouse.serviceaccount.NodeRecord;
import io.gatehouse.serviceaccount.PodRecord;
import io.gatehouse.serviceaccount.SecretRecord;
import io.gatehouse.serviceaccount.ServiceAccountLookup;
import io.gatehouse.serviceaccount.ServiceAccountLookupSource;
import io.gatehouse.serviceaccount.ServiceAccountRecord;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code kubeconfig} setting of the {@code bootstrap-token} and {@code service-account} configuration entries.
 * Public only because {@link java.util.ServiceLoader} needs it; applications use {@link KubernetesApi}.
 *
 * <p>Entries naming the same kubeconfig file share one {@link KubernetesApi} (one client, one set of informers); it
 * is closed when the last store or lookup opened on it is closed. Thread-safe.
 */
public final class KubernetesApiSources implements BootstrapTokenStoreSource, ServiceAccountLookupSource {

    private static final Map<Path, Shared> OPEN = new HashMap<>();

    /** For {@link java.util.ServiceLoader}. */
    public KubernetesApiSources() {
    }

    @Override
    public BootstrapTokenStore open(Path kubeconfig) {
        Shared shared = acquire(kubeconfig);
        return new SharedBootstrapTokenStore(shared, shared.api.bootstrapTokenStore());
    }

    @Override
    public ServiceAccountLookup lookup(Path kubeconfig) {
        Shared shared = acquire(kubeconfig);
        return new SharedServiceAccountLookup(shared, shared.api.serviceAccountLookup());
    }

    /** How many APIs are open for configuration entries now. */
    static int openApis() {
        synchronized (OPEN) {
            return OPEN.size();
        }
    }

    private static Shared acquire(Path kubeconfig) {
        Path key = kubeconfig.toAbsolutePath().normalize();
        synchronized (OPEN) {
            Shared shared = OPEN.get(key);
            if (shared == null) {
                shared = new Shared(key, KubernetesApi.builder().kubeconfig(key).build());
                OPEN.put(key, shared);
            }
            shared.users++;
            return shared;
        }
    }

    /** One API and how many opened views still use it. */
    private static final class Shared {
        private final Path key;
        private final KubernetesApi api;
        private int users;

        Shared(Path key, KubernetesApi api) {
            this.key = key;
            this.api = api;
        }

        void release() {
            synchronized (OPEN) {
                if (--users == 0) {
                    OPEN.remove(key);
                    api.close();
                }
            }
        }
    }

    private static final class SharedBootstrapTokenStore implements BootstrapTokenStore, AutoCloseable {
        private final Shared shared;
        private final BootstrapTokenStore store;
        private boolean closed;

        SharedBootstrapTokenStore(Shared shared, BootstrapTokenStore store) {
            this.shared = shared;
            this.store = store;
        }

        @Override
        public Optional<BootstrapTokenSecret> find(String name) {
            return store.find(name);
        }

        @Override
        public synchronized void close() {
            if (!closed) {
                closed = true;
                shared.release();
            }
        }

        @Override
        public String toString() {
            return store.toString();
        }
    }

    private static final class SharedServiceAccountLookup implements ServiceAccountLookup, AutoCloseable {
        private final Shared shared;
        private final ServiceAccountLookup lookup;
        private boolean closed;

        SharedServiceAccountLookup(Shared shared, ServiceAccountLookup lookup) {
            this.shared = shared;
            this.lookup = lookup;
        }

        @Override
        public Optional<ServiceAccountRecord> serviceAccount(String namespace, String name) {
            return lookup.serviceAccount(namespace, name);
        }

        @Override
        public Optional<SecretRecord> secret(String namespace, String name) {
            return lookup.secret(namespace, name);
        }

        @Override
        public Optional<PodRecord> pod(String namespace, String name) {
            return lookup.pod(namespace, name);
        }

        @Override
        public Optional<NodeRecord> node(String name) {
            return lookup.node(name);
        }

        @Override
        public synchronized void close() {
            if (!closed) {
                closed = true;
                shared.release();
            }
        }

        @Override
        public String toString() {
            return lookup.toString();
        }
    }
}
