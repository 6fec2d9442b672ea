package io.gatehouse.benchmarks;

import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.gatehouse.core.AuthenticationListener;
import io.gatehouse.core.AuthenticationResult;
import io.gatehouse.kubernetes.KubernetesApi;
import io.gatehouse.serviceaccount.BoundObjectReference;
import io.gatehouse.serviceaccount.ServiceAccountLookup;
import io.gatehouse.serviceaccount.ServiceAccountTokenAuthenticator;
import io.gatehouse.serviceaccount.ServiceAccountTokenIssuer;
import io.gatehouse.serviceaccount.TokenRequest;
import java.security.KeyPair;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A pod-bound service account token (RS256), uncached, with lookups in a Kubernetes API's informers on (service
 * account and Pod read from the caches) against the same token with lookups off: the target is at most 1.05x.
 * Setup checks that the measured lookups are cache reads: the API server sees no request while they run.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class KubernetesLookupBenchmark {

    private static final String NS = "apps";

    private KubernetesMockServer server;
    private KubernetesClient admin;
    private KubernetesApi api;
    private String token;
    private ServiceAccountTokenAuthenticator lookupOn;
    private ServiceAccountTokenAuthenticator lookupOff;

    @Setup
    public void setUp() throws Exception {
        server = KubernetesMockApi.start();
        admin = server.createClient();
        String saUid = admin.serviceAccounts().inNamespace(NS).resource(new ServiceAccountBuilder().withNewMetadata()
                .withNamespace(NS).withName("web").endMetadata().build()).create().getMetadata().getUid();
        String podUid = admin.pods().inNamespace(NS).resource(new PodBuilder().withNewMetadata().withNamespace(NS)
                .withName("web-1").endMetadata().build()).create().getMetadata().getUid();
        KeyPair keys = BenchFixtures.rsa();
        token = ServiceAccountTokenIssuer.builder().signingKey(keys).issuer(BenchFixtures.SA_ISSUER).build()
                .issue(TokenRequest.forServiceAccount(NS, "web", saUid).boundTo(BoundObjectReference.pod("web-1", podUid)))
                .token();
        api = KubernetesApi.builder().client(server.createClient()).build();
        lookupOn = authenticator(keys, api.serviceAccountLookup());
        lookupOff = authenticator(keys, ServiceAccountLookup.none());
        KubernetesMockApi.await("informers synced", () -> api.health().ready());
        KubernetesMockApi.await("the Pod is in the cache", () -> {
            int before = server.getRequestCount();
            boolean ok = lookupOn.authenticate(token, List.of()).isAuthenticated();
            return ok && server.getRequestCount() == before;
        });
        if (!lookupOff.authenticate(token, List.of()).isAuthenticated()) {
            throw new IllegalStateException("the token does not authenticate without lookups");
        }
    }

    private static ServiceAccountTokenAuthenticator authenticator(KeyPair keys, ServiceAccountLookup lookup) {
        return ServiceAccountTokenAuthenticator.builder().keys(List.of(keys.getPublic()))
                .issuers(List.of(BenchFixtures.SA_ISSUER)).lookup(lookup).listener(AuthenticationListener.NONE).build();
    }

    @TearDown
    public void tearDown() {
        int before = server.getRequestCount();
        lookupOn.authenticate(token, List.of());
        System.out.println("\n[KubernetesLookupBenchmark] API requests during one lookup after the run: "
                + (server.getRequestCount() - before) + " (0 = answered from the informer cache)");
        api.close();
        admin.close();
        server.destroy();
    }

    @Benchmark
    public AuthenticationResult boundTokenLookupsOff() {
        return lookupOff.authenticate(token, List.of());
    }

    @Benchmark
    public AuthenticationResult boundTokenLookupsOn() {
        return lookupOn.authenticate(token, List.of());
    }
}
