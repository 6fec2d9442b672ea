package io.gatehouse.kubernetes;

import static io.gatehouse.kubernetes.MockApiServer.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.gatehouse.bootstrap.BootstrapTokenAuthenticator;
import io.gatehouse.bootstrap.BootstrapTokenGenerator;
import io.gatehouse.bootstrap.GeneratedBootstrapToken;
import io.gatehouse.core.AuthenticationResult;
import io.gatehouse.core.AuthenticationResult.Rejected;
import io.gatehouse.core.RejectionReason;
import io.gatehouse.core.testing.MutableClock;
import io.gatehouse.serviceaccount.BoundObjectReference;
import io.gatehouse.serviceaccount.ServiceAccountTokenAuthenticator;
import io.gatehouse.serviceaccount.TokenRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The API server unreachable at start, going away and coming back: lookups fail closed with a reason, cached
 * objects keep being judged from the cache, staleness is reported, and everything heals without a restart.
 */
class ApiOutageTest {

    /** A client of {@code https://localhost:port} that retries its watches quickly, so the test does not wait long. */
    private static KubernetesClient clientFor(int port) {
        return new KubernetesClientBuilder().withConfig(new ConfigBuilder()
                .withMasterUrl("https://localhost:" + port).withTrustCerts(true)
                .withConnectionTimeout(2_000).withRequestRetryBackoffLimit(0)
                .withWatchReconnectInterval(100).build()).build();
    }

    @Test
    void unreachableAtStartRejectsWithAReasonAndHealsWhenTheApiComesBack() {
        int port = MockApiServer.freePort();
        try (KubernetesClient client = clientFor(port);
             KubernetesApi api = KubernetesApi.builder().client(client).build()) {
            BootstrapTokenAuthenticator bootstrap = BootstrapTokenAuthenticator.builder()
                    .store(api.bootstrapTokenStore()).build();
            ServiceAccountTokenAuthenticator sa = ApiObjects.serviceAccounts(api, true);
            GeneratedBootstrapToken t = BootstrapTokenGenerator.builder().build().generate();
            String bound = ApiObjects.TOKENS.issue(TokenRequest.forServiceAccount("apps", "web", "uid-unknown-yet"))
                    .token();

            KubernetesApiHealth health = api.health();
            assertFalse(health.ready());
            assertTrue(health.problems().stream().anyMatch(p -> p.startsWith("pods: not synced from the Kubernetes API yet")),
                    health.problems()::toString);

            Rejected b = assertInstanceOf(Rejected.class, bootstrap.authenticate(t.token(), List.of()));
            assertEquals(RejectionReason.INTERNAL_ERROR, b.reason());
            assertTrue(b.message().contains("bootstrap token Secrets have not been listed from the Kubernetes API yet"),
                    b.message());
            Rejected s = assertInstanceOf(Rejected.class, sa.authenticate(bound, List.of()));
            assertEquals(RejectionReason.INTERNAL_ERROR, s.reason());
            assertTrue(s.message().startsWith("service account token could not be verified: reading serviceaccounts "
                    + "apps/web from the Kubernetes API failed: "), s.message());

            try (MockApiServer server = MockApiServer.start(port); KubernetesClient admin = server.newClient()) {
                ApiObjects.bootstrapSecret(admin, t.secret());
                String uid = ApiObjects.serviceAccount(admin, "apps", "web").getMetadata().getUid();
                String token = ApiObjects.TOKENS.issue(TokenRequest.forServiceAccount("apps", "web", uid)).token();

                Duration healed = await("informers synced after the API came back", () -> api.health().ready());
                System.out.println("[ApiOutageTest] caches synced " + healed.toMillis() + " ms after the API server started");
                await("bootstrap token authenticates", () -> bootstrap.authenticate(t.token(), List.of()).isAuthenticated());
                assertTrue(sa.authenticate(token, List.of()).isAuthenticated());
            }
        }
    }

    @Test
    void outageKeepsCachedVerdictsReportsStalenessAndResyncsOnReconnect() {
        MutableClock clock = new MutableClock(Instant.parse("2026-12-05T12:00:00Z"));
        MockApiServer first = MockApiServer.start();
        int port = first.port();
        try (KubernetesClient client = clientFor(port);
             KubernetesApi api = KubernetesApi.builder().client(client).clock(clock)
                     .staleAfter(Duration.ofSeconds(60)).build()) {
            ServiceAccountTokenAuthenticator sa = ApiObjects.serviceAccounts(api, true);
            String token;
            String otherToken;
            try (KubernetesClient admin = first.newClient()) {
                await("watching", () -> api.allWatching());
                String uid = ApiObjects.serviceAccount(admin, "apps", "web").getMetadata().getUid();
                String podUid = ApiObjects.pod(admin, "apps", "web-1").getMetadata().getUid();
                token = ApiObjects.TOKENS.issue(TokenRequest.forServiceAccount("apps", "web", uid)
                        .boundTo(BoundObjectReference.pod("web-1", podUid))).token();
                otherToken = ApiObjects.TOKENS.issue(TokenRequest.forServiceAccount("apps", "never-cached", uid)).token();
                await("bound token authenticates from the cache", () -> sa.authenticate(token, List.of()).isAuthenticated());
            }
            first.close();

            // Down: what the cache holds is still judged from it, as Kubernetes' lister does...
            assertTrue(sa.authenticate(token, List.of()).isAuthenticated());
            // ...what it does not hold cannot be checked, so it is rejected with the reason.
            AuthenticationResult other = sa.authenticate(otherToken, List.of());
            assertEquals(RejectionReason.INTERNAL_ERROR, assertInstanceOf(Rejected.class, other).reason());
            // Once the watches have been down longer than the bound, health says so.
            await("staleness reported", () -> {
                clock.advance(Duration.ofSeconds(61));
                return api.health().problems().stream().anyMatch(p -> p.contains("the cache may be stale"));
            });

            // Back, with the Pod gone (deleted while this gateway could not watch): the re-list removes it.
            try (MockApiServer second = MockApiServer.start(port); KubernetesClient admin = second.newClient()) {
                ApiObjects.serviceAccount(admin, "apps", "web");
                await("re-listed: the Pod's absence is seen", () -> sa.authenticate(token, List.of()) instanceof Rejected r
                        && (r.message().equals("service account token has been invalidated")
                            || r.message().startsWith("service account UID (")));
                await("healthy again", () -> api.health().ready());
            }
        }
    }
}
