package io.gatehouse.kubernetes;

import static io.gatehouse.kubernetes.MockApiServer.await;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.gatehouse.bootstrap.BootstrapTokenAuthenticator;
import io.gatehouse.bootstrap.BootstrapTokenGenerator;
import io.gatehouse.bootstrap.BootstrapTokenSecret;
import io.gatehouse.bootstrap.GeneratedBootstrapToken;
import io.gatehouse.core.AuthenticationChain;
import io.gatehouse.core.AuthenticationRequest;
import io.gatehouse.core.AuthenticationResult.Rejected;
import io.gatehouse.core.TokenCachePolicy;
import io.gatehouse.serviceaccount.BoundObjectReference;
import io.gatehouse.serviceaccount.TokenRequest;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Two gateways' chains, each with its own client and informers, on one API server: a change made through the API
 * reaches both. How long that took is measured and printed; the test only waits for it with a generous deadline.
 * The chains run without the token cache, whose 10 s success TTL (Kubernetes' default) would otherwise add up to
 * 10 s to a revocation.
 */
class FleetPropagationTest {

    private static AuthenticationChain chain(KubernetesApi api) {
        return AuthenticationChain.builder()
                .addToken("bootstrap-token", BootstrapTokenAuthenticator.builder().store(api.bootstrapTokenStore()).build())
                .addToken("service-account", ApiObjects.serviceAccounts(api, true))
                .apiAudiences(List.of(ApiObjects.ISSUER))
                // Kubernetes' 10 s success cache would hide the informers' own latency: measure that alone.
                .tokenCache(TokenCachePolicy.DISABLED)
                .build();
    }

    private static boolean authenticated(AuthenticationChain chain, String token) {
        return chain.authenticate(AuthenticationRequest.bearer(token)).isAuthenticated();
    }

    private static void report(String change, Duration a, Duration b) {
        System.out.println("[FleetPropagationTest] " + change + ": gateway A after " + a.toMillis() + " ms, gateway B after "
                + b.toMillis() + " ms (shared 2-core machine; informational, not asserted)");
    }

    @Test
    void aChangeThroughTheApiReachesBothGateways() {
        try (MockApiServer server = MockApiServer.start();
             KubernetesClient admin = server.newClient();
             KubernetesClient clientA = server.newClient();
             KubernetesClient clientB = server.newClient();
             KubernetesApi apiA = KubernetesApi.builder().client(clientA).build();
             KubernetesApi apiB = KubernetesApi.builder().client(clientB).build();
             AuthenticationChain a = chain(apiA);
             AuthenticationChain b = chain(apiB)) {
            await("both gateways watching", () -> apiA.allWatching() && apiB.allWatching());

            GeneratedBootstrapToken t = BootstrapTokenGenerator.builder().build().generate();
            ApiObjects.bootstrapSecret(admin, t.secret());
            long created = System.nanoTime();
            Duration toA = await("gateway A accepts the new bootstrap token", () -> authenticated(a, t.token()));
            Duration toB = since(created, () -> authenticated(b, t.token()), "gateway B accepts the new bootstrap token");
            report("bootstrap Secret created", toA, toB);

            admin.secrets().inNamespace(BootstrapTokenSecret.NAMESPACE).withName(t.secret().name()).delete();
            long deleted = System.nanoTime();
            toA = await("gateway A rejects the deleted bootstrap token", () -> !authenticated(a, t.token()));
            toB = since(deleted, () -> !authenticated(b, t.token()), "gateway B rejects the deleted bootstrap token");
            report("bootstrap Secret deleted", toA, toB);

            String uid = ApiObjects.serviceAccount(admin, "apps", "web").getMetadata().getUid();
            String podUid = ApiObjects.pod(admin, "apps", "web-1").getMetadata().getUid();
            String token = ApiObjects.TOKENS.issue(TokenRequest.forServiceAccount("apps", "web", uid)
                    .boundTo(BoundObjectReference.pod("web-1", podUid))).token();
            await("both accept the bound token", () -> authenticated(a, token) && authenticated(b, token));
            admin.pods().inNamespace("apps").withName("web-1").delete();
            long podDeleted = System.nanoTime();
            toA = await("gateway A rejects after the Pod is deleted", () -> rejectedAsInvalidated(a, token));
            toB = since(podDeleted, () -> rejectedAsInvalidated(b, token), "gateway B rejects after the Pod is deleted");
            report("Pod deleted", toA, toB);
        }
    }

    private static boolean rejectedAsInvalidated(AuthenticationChain chain, String token) {
        return chain.authenticate(AuthenticationRequest.bearer(token)) instanceof Rejected r
                && r.toString().contains("service account token has been invalidated");
    }

    /** Waits for the second gateway and returns the time since the change itself, not since the first gateway saw it. */
    private static Duration since(long changedAtNanos, java.util.function.BooleanSupplier condition, String what) {
        await(what, condition);
        return Duration.ofNanos(System.nanoTime() - changedAtNanos);
    }
}
