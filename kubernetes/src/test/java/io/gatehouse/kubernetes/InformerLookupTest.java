package io.gatehouse.kubernetes;

import static io.gatehouse.kubernetes.MockApiServer.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.gatehouse.bootstrap.BootstrapTokenAuthenticator;
import io.gatehouse.bootstrap.BootstrapTokenGenerator;
import io.gatehouse.bootstrap.BootstrapTokenSecret;
import io.gatehouse.bootstrap.GeneratedBootstrapToken;
import io.gatehouse.core.AuthenticationResult;
import io.gatehouse.core.AuthenticationResult.Authenticated;
import io.gatehouse.core.AuthenticationResult.Rejected;
import io.gatehouse.core.RejectionReason;
import io.gatehouse.serviceaccount.BoundObjectReference;
import io.gatehouse.serviceaccount.ServiceAccountTokenAuthenticator;
import io.gatehouse.serviceaccount.TokenRequest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Bootstrap tokens and service account lookups against fabric8's mock API server (CRUD, TLS) with real informers:
 * objects created, changed and deleted through the API change verdicts as they do in Kubernetes.
 */
class InformerLookupTest {

    private static MockApiServer server;
    private static KubernetesClient admin;
    private static KubernetesApi api;

    @BeforeAll
    static void start() {
        server = MockApiServer.start();
        admin = server.newClient();
        api = KubernetesApi.builder().client(server.newClient()).build();
        api.bootstrapTokenStore();
        api.serviceAccountLookup();
        // The mock server does not replay events between a list and the watch that follows it, as a real API server
        // does from the list's resource version: change objects only once every watch is up.
        await("all informers watching", api::allWatching);
    }

    @AfterAll
    static void stop() {
        api.close();
        admin.close();
        server.close();
    }

    private static BootstrapTokenAuthenticator bootstrap() {
        return BootstrapTokenAuthenticator.builder().store(api.bootstrapTokenStore()).build();
    }

    private static AuthenticationResult judge(BootstrapTokenAuthenticator a, String token) {
        return a.authenticate(token, List.of());
    }

    @Test
    void bootstrapTokenCreatedThroughTheApiAuthenticatesUntilDeleted() {
        BootstrapTokenAuthenticator auth = bootstrap();
        GeneratedBootstrapToken t = BootstrapTokenGenerator.builder().build().generate();
        await("bootstrap informer synced", () -> api.health().ready());
        assertEquals(RejectionReason.NOT_FOUND, assertInstanceOf(Rejected.class, judge(auth, t.token())).reason());

        ApiObjects.bootstrapSecret(admin, t.secret());
        await("created Secret authenticates", () -> judge(auth, t.token()).isAuthenticated());
        Authenticated ok = assertInstanceOf(Authenticated.class, judge(auth, t.token()));
        assertEquals("system:bootstrap:" + t.id(), ok.user().name());

        admin.secrets().inNamespace(BootstrapTokenSecret.NAMESPACE).withName(t.secret().name()).delete();
        await("deleted Secret stops authenticating", () -> judge(auth, t.token()) instanceof Rejected r
                && r.message().equals("No secret of name " + t.secret().name() + " to match bootstrap bearer token"));
    }

    @Test
    void bootstrapTokenExpiredThroughTheApiStops() {
        BootstrapTokenAuthenticator auth = bootstrap();
        GeneratedBootstrapToken t = BootstrapTokenGenerator.builder().build().generate();
        ApiObjects.bootstrapSecret(admin, t.secret());
        await("created Secret authenticates", () -> judge(auth, t.token()).isAuthenticated());

        BootstrapTokenSecret expired = t.secret().withData(BootstrapTokenSecret.EXPIRATION, "2020-01-01T00:00:00Z");
        admin.secrets().inNamespace(BootstrapTokenSecret.NAMESPACE).withName(expired.name()).delete();
        await("deletion seen", () -> !judge(auth, t.token()).isAuthenticated());
        ApiObjects.bootstrapSecret(admin, expired);
        await("expired Secret is rejected as expired", () -> judge(auth, t.token()) instanceof Rejected r
                && r.reason() == RejectionReason.EXPIRED && r.message().equals("Expired bootstrap token in kube-system/"
                + expired.name() + " Secret: 2020-01-01T00:00:00Z"));
    }

    @Test
    void boundTokenStopsWhenItsPodIsDeletedOrRecreatedWithANewUid() {
        ServiceAccountTokenAuthenticator sa = ApiObjects.serviceAccounts(api, true);
        ServiceAccount account = ApiObjects.serviceAccount(admin, "apps", "web");
        Pod pod = ApiObjects.pod(admin, "apps", "web-1");
        String podUid = pod.getMetadata().getUid();
        assertTrue(podUid != null && !podUid.isEmpty(), "the API server assigns UIDs");
        String token = ApiObjects.TOKENS.issue(TokenRequest.forServiceAccount("apps", "web",
                account.getMetadata().getUid()).boundTo(BoundObjectReference.pod("web-1", podUid))).token();

        // Accepted at once, cached or not: an object too new for the cache is read live, as Kubernetes does.
        AuthenticationResult first = sa.authenticate(token, List.of());
        Authenticated ok = assertInstanceOf(Authenticated.class, first, first::toString);
        assertEquals("system:serviceaccount:apps:web", ok.user().name());
        assertEquals(List.of(podUid), ok.user().extra().get("authentication.kubernetes.io/pod-uid"));

        admin.pods().inNamespace("apps").withName("web-1").delete();
        await("deleted Pod is rejected", () -> sa.authenticate(token, List.of()) instanceof Rejected r
                && r.message().equals("service account token has been invalidated"));

        Pod again = ApiObjects.pod(admin, "apps", "web-1");
        String newUid = again.getMetadata().getUid();
        assertTrue(!newUid.equals(podUid), "a recreated Pod has a new UID");
        String expected = "pod UID (" + newUid + ") does not match service account pod ref claim (" + podUid + ")";
        await("recreated Pod is rejected with Kubernetes' message", () -> sa.authenticate(token, List.of())
                instanceof Rejected r && r.message().equals(expected));
    }

    @Test
    void boundTokenStopsWhenItsServiceAccountIsRecreated() {
        ServiceAccountTokenAuthenticator sa = ApiObjects.serviceAccounts(api, false);
        ServiceAccount account = ApiObjects.serviceAccount(admin, "apps", "batch");
        String oldUid = account.getMetadata().getUid();
        String token = ApiObjects.TOKENS.issue(TokenRequest.forServiceAccount("apps", "batch", oldUid)).token();
        await("bound token authenticates", () -> sa.authenticate(token, List.of()).isAuthenticated());

        // --service-account-lookup=false changes nothing for bound tokens: Kubernetes always checks them.
        admin.serviceAccounts().inNamespace("apps").withName("batch").delete();
        await("deleted ServiceAccount is rejected", () -> sa.authenticate(token, List.of()) instanceof Rejected r
                && r.message().equals("serviceaccounts \"batch\" not found"));
        String newUid = ApiObjects.serviceAccount(admin, "apps", "batch").getMetadata().getUid();
        await("recreated ServiceAccount is rejected", () -> sa.authenticate(token, List.of()) instanceof Rejected r
                && r.message().equals("service account UID (" + newUid + ") does not match claim (" + oldUid + ")"));
    }

    @Test
    void nodeBoundTokenStopsWhenItsNodeIsDeleted() {
        ServiceAccountTokenAuthenticator sa = ApiObjects.serviceAccounts(api, true);
        ServiceAccount account = ApiObjects.serviceAccount(admin, "kube-system", "node-agent");
        ApiObjects.node(admin, "node-7");
        String nodeUid = admin.nodes().withName("node-7").get().getMetadata().getUid();
        String token = ApiObjects.TOKENS.issue(TokenRequest.forServiceAccount("kube-system", "node-agent",
                account.getMetadata().getUid()).boundTo(BoundObjectReference.node("node-7", nodeUid))).token();
        await("node-bound token authenticates", () -> sa.authenticate(token, List.of()).isAuthenticated());

        admin.nodes().withName("node-7").delete();
        await("deleted Node is rejected", () -> sa.authenticate(token, List.of()) instanceof Rejected r
                && r.message().equals("service account token has been invalidated"));
    }

    @Test
    void legacyTokenStopsWhenItsSecretIsGoneAndOnlyWithLookup() {
        ServiceAccountTokenAuthenticator withLookup = ApiObjects.serviceAccounts(api, true);
        ServiceAccountTokenAuthenticator withoutLookup = ApiObjects.serviceAccounts(api, false);
        String saUid = ApiObjects.serviceAccount(admin, "legacy", "builder").getMetadata().getUid();
        String token = ApiObjects.legacyToken("legacy", "builder", saUid, "builder-token");
        ApiObjects.secret(admin, "legacy", "builder-token", "kubernetes.io/service-account-token", Map.of("token", token));
        await("legacy token authenticates", () -> withLookup.authenticate(token, List.of()).isAuthenticated());

        String other = ApiObjects.legacyToken("legacy", "builder", saUid, "builder-token-2");
        ApiObjects.secret(admin, "legacy", "builder-token-2", "kubernetes.io/service-account-token",
                Map.of("token", "a different token"));
        await("a Secret holding another token", () -> withLookup.authenticate(other, List.of()) instanceof Rejected r
                && r.message().equals("Token does not match server's copy"));

        admin.secrets().inNamespace("legacy").withName("builder-token").delete();
        await("legacy token whose Secret is gone is rejected", () -> withLookup.authenticate(token, List.of())
                instanceof Rejected r && r.message().equals("Token has been invalidated"));
        // --service-account-lookup=false: judged on signature and claims alone, as Kubernetes does.
        assertTrue(withoutLookup.authenticate(token, List.of()).isAuthenticated());
    }

    @Test
    void legacyTokenUseIsRecordedInTheSecretsLastUsedLabelOnlyWhenAsked() {
        String saUid = ApiObjects.serviceAccount(admin, "tracked", "builder").getMetadata().getUid();
        String token = ApiObjects.legacyToken("tracked", "builder", saUid, "builder-token");
        ApiObjects.secret(admin, "tracked", "builder-token", "kubernetes.io/service-account-token", Map.of("token", token));
        String today = java.time.LocalDate.now(java.time.ZoneOffset.UTC).toString();

        // Read-only by default: the use is judged, nothing is written.
        ServiceAccountTokenAuthenticator readOnly = ApiObjects.serviceAccounts(api, true);
        await("legacy token authenticates", () -> readOnly.authenticate(token, List.of()).isAuthenticated());
        assertEquals(0, ((KubernetesServiceAccountLookup) api.serviceAccountLookup()).labelsWritten());

        try (KubernetesApi recording = KubernetesApi.builder().client(server.newClient()).recordLegacyTokenUse(true)
                .build()) {
            KubernetesServiceAccountLookup lookup = (KubernetesServiceAccountLookup) recording.serviceAccountLookup();
            await("recording informers synced", () -> recording.health().ready());
            ServiceAccountTokenAuthenticator tracked = ApiObjects.serviceAccounts(recording, true);
            await("legacy token authenticates", () -> tracked.authenticate(token, List.of()).isAuthenticated());
            await("the Secret carries today's last-used label", () -> today.equals(admin.secrets().inNamespace("tracked")
                    .withName("builder-token").get().getMetadata().getLabels().get("kubernetes.io/legacy-token-last-used")));
            // The writer counts its write when the patch call returns, a moment after the API shows the label.
            await("the write is counted", () -> lookup.labelsWritten() == 1);
            for (int i = 0; i < 20; i++) {
                assertTrue(tracked.authenticate(token, List.of()).isAuthenticated());
            }
            // Further uses are deduplicated before anything is queued, so no later write can still be on its way.
            assertEquals(1, lookup.labelsWritten(), "one write a day, however often the token is used");
            assertEquals(saUid, admin.serviceAccounts().inNamespace("tracked").withName("builder").get().getMetadata()
                    .getUid(), "nothing else was touched");
        }
    }

    @Test
    void aMissingObjectIsReadLiveOnEachLookup() {
        KubernetesServiceAccountLookup lookup = (KubernetesServiceAccountLookup) api.serviceAccountLookup();
        await("informers synced", () -> api.health().ready());
        long before = lookup.liveReads();
        assertTrue(lookup.pod("nowhere", "missing").isEmpty());
        assertTrue(lookup.pod("nowhere", "missing").isEmpty());
        assertEquals(before + 2, lookup.liveReads(), "each cache miss is a GET, as Kubernetes' getter");
        // A name no object can have is not sent to the API at all.
        assertTrue(lookup.pod("nowhere", "../secrets").isEmpty());
        assertEquals(before + 2, lookup.liveReads());
    }
}
