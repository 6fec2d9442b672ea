package io.gatehouse.examples.adversarial;

import io.gatehouse.bootstrap.BootstrapTokenGenerator;
import io.gatehouse.bootstrap.GeneratedBootstrapToken;
import io.gatehouse.core.AuthenticationChain;
import io.gatehouse.core.AuthenticationListener;
import io.gatehouse.core.AuthenticationRequest;
import io.gatehouse.core.AuthenticationResult.Authenticated;
import io.gatehouse.core.AuthenticationResult.Rejected;
import io.gatehouse.core.AuthenticationResult;
import io.gatehouse.core.RejectionReason;
import io.gatehouse.core.TokenCachePolicy;
import io.gatehouse.core.testing.LogCapture;
import io.gatehouse.oidc.JwtIssuer;
import io.gatehouse.oidc.OidcAuthenticator;
import io.gatehouse.serviceaccount.TokenRequest;
import io.gatehouse.statictoken.StaticTokenAuthenticator;
import io.gatehouse.testing.ScriptedIdp;
import io.gatehouse.testing.TestPki;
import io.gatehouse.x509.X509Authenticator;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The whole chain under load from every core: mixed credentials of all five kinds, valid and garbage, while a
 * token file is rewritten, a bootstrap Secret comes and goes and an OIDC provider rotates its keys. Zero
 * wrong verdicts, zero exceptions or internal errors, and the token and certificate caches stay within caps.
 */
class ChainLoadTest {

    /** How a request must be answered. */
    private record Expectation(AuthenticationRequest request, String user, boolean optional) {
        static Expectation always(AuthenticationRequest r, String user) {
            return new Expectation(r, user, false);
        }

        static Expectation maybe(AuthenticationRequest r, String user) {
            return new Expectation(r, user, true);
        }

        static Expectation never(AuthenticationRequest r) {
            return new Expectation(r, null, true);
        }
    }

    static final long TOKEN_CACHE_CAP = 64;
    static final long CHAIN_CACHE_CAP = 4;

    @TempDir
    Path dir;

    @ParameterizedTest(name = "token cache {0}")
    @ValueSource(booleans = {true, false})
    void zeroWrongVerdictsUnderLoadWithReloadsAndRotations(boolean cache) throws Exception {
        World world = World.shared();
        Instant now = world.clock.instant();
        List<Expectation> pool = new ArrayList<>();
        world.credentials.forEach(c -> pool.add(Expectation.always(c.request(), c.user().name())));

        // Many distinct valid service account tokens and client certificates: more than the caches hold.
        for (int i = 0; i < 150; i++) {
            String token = LogCapture.secret(world.saIssuer.issue(TokenRequest.forServiceAccount("load", "sa-" + i, "uid-" + i)).token());
            pool.add(Expectation.always(AuthenticationRequest.bearer(token), "system:serviceaccount:load:sa-" + i));
        }
        TestPki.Issued ca = TestPki.ca("load-ca", now);
        for (int i = 0; i < 12; i++) {
            pool.add(Expectation.always(AuthenticationRequest.builder()
                    .peerCertificates(List.of(TestPki.client(ca, "cert-user-" + i, List.of(), now).cert())).build(), "cert-user-" + i));
        }

        // A token file rewritten all the time: F1 in every version, F2 in every other one.
        String f1 = LogCapture.secret(UUID.randomUUID().toString());
        String f2 = LogCapture.secret(UUID.randomUUID().toString());
        Path tokenFile = dir.resolve("tokens.csv");
        String v1 = f1 + ",file-user-1,u1\n";
        String v2 = v1 + f2 + ",file-user-2,u2,\"g\"\n";
        FileReloadFaultTest.replace(tokenFile, v1);
        pool.add(Expectation.always(AuthenticationRequest.bearer(f1), "file-user-1"));
        pool.add(Expectation.maybe(AuthenticationRequest.bearer(f2), "file-user-2"));

        // A bootstrap Secret that comes and goes.
        GeneratedBootstrapToken toggled = BootstrapTokenGenerator.builder().clock(world.clock).build().generate();
        LogCapture.secret(toggled.token());
        pool.add(Expectation.maybe(AuthenticationRequest.bearer(toggled.token()), "system:bootstrap:" + toggled.id()));

        // Garbage of every shape, each distinct so that it fills the cache when refusals are cached.
        for (int i = 0; i < 300; i++) {
            pool.add(Expectation.never(AuthenticationRequest.bearer("garbage-" + i + "-" + UUID.randomUUID())));
            pool.add(Expectation.never(AuthenticationRequest.bearer("abcdef." + String.format("%016d", i))));
        }

        KeyPair k1 = TestPki.rsaKey();
        KeyPair k2 = TestPki.ecKey();
        KeyPair k3 = TestPki.ecKey();
        try (ScriptedIdp idp = new ScriptedIdp()) {
            String issuer = idp.issuer("load");
            idp.keys(List.of("k1", "k2"), List.of(k1, k2));
            pool.add(Expectation.always(AuthenticationRequest.bearer(Jws.idToken(issuer, "k1", k1, "remote-1")), "oidc:remote-1"));
            pool.add(Expectation.maybe(AuthenticationRequest.bearer(Jws.idToken(issuer, "k2", k2, "remote-2")), "oidc:remote-2"));
            pool.add(Expectation.maybe(AuthenticationRequest.bearer(Jws.idToken(issuer, "k3", k3, "remote-3")), "oidc:remote-3"));

            try (StaticTokenAuthenticator fileTokens = StaticTokenAuthenticator.builder().file(tokenFile)
                         .reloadInterval(Duration.ofMillis(5)).listener(AuthenticationListener.NONE).build();
                 OidcAuthenticator remote = OidcAuthenticator.builder()
                         .issuer(JwtIssuer.builder(issuer).audiences("gatehouse").username("sub", "oidc:").certificateAuthority(ScriptedIdp.caPem()).build())
                         .keyRefresh(Duration.ofMillis(50), Duration.ofMillis(10), Duration.ofSeconds(1))
                         .unknownKidRefetchWindow(Duration.ofMillis(50)).retryBackoff(Duration.ofMillis(20), Duration.ofMillis(100))
                         .build();
                 X509Authenticator certificates = X509Authenticator.builder().trustAnchors(List.of(world.ca.cert(), ca.cert()))
                         .cacheMaximumSize(cache ? CHAIN_CACHE_CAP : 0).listener(AuthenticationListener.NONE).build();
                 AuthenticationChain chain = AuthenticationChain.builder()
                         .add("x509", certificates)
                         .addToken("static-token", world.staticTokens::authenticate)
                         .addToken("static-file", fileTokens)
                         .addToken("bootstrap-token", world.bootstrap::authenticate)
                         .addToken("service-account", serviceAccounts(world))
                         .addToken("oidc", world.oidc::authenticate)
                         .addToken("oidc-remote", remote)
                         .apiAudiences(List.of(World.API_AUDIENCE))
                         .tokenCache(cache ? new TokenCachePolicy(Duration.ofSeconds(30), Duration.ofSeconds(30), TOKEN_CACHE_CAP)
                                 : TokenCachePolicy.DISABLED)
                         .listener(AuthenticationListener.NONE)
                         .clock(world.clock)
                         .build()) {
                // Asked directly, not through the chain: with refusals cached, a "not initialised" would stick.
                awaitKeys(remote, pool.get(pool.size() - 3).request().header("Authorization").substring(7));
                Object tokenCache = cache ? Reach.find(chain, "CachingTokenAuthenticator") : null;
                AtomicLong verdicts = new AtomicLong();
                AtomicLong maxTokenCache = new AtomicLong();
                AtomicLong maxChainCache = new AtomicLong();
                int threads = Workers.threadCount();
                Workers requests = new Workers().start(threads, n -> {
                    Expectation e = pool.get(ThreadLocalRandom.current().nextInt(pool.size()));
                    AuthenticationResult r = chain.authenticate(e.request());
                    verdicts.incrementAndGet();
                    if (r instanceof Authenticated a) {
                        if (e.user() == null || !e.user().equals(a.user().name())) {
                            throw new AssertionError("expected " + e.user() + ", authenticated as " + a.user().name());
                        }
                    } else if (!e.optional()) {
                        throw new AssertionError(e.user() + " was not authenticated: " + r);
                    }
                    if (r instanceof Rejected rej && rej.singles().stream().anyMatch(s -> s.reason() == RejectionReason.INTERNAL_ERROR)) {
                        throw new AssertionError("internal error: " + rej);
                    }
                });
                Workers changes = new Workers().start(3, n -> {
                    try {
                        switch (n) {
                            case 0 -> {
                                FileReloadFaultTest.replace(tokenFile, ThreadLocalRandom.current().nextBoolean() ? v1 : v2);
                                Thread.sleep(15);
                            }
                            case 1 -> {
                                world.bootstrapStore.put(toggled.secret());
                                Thread.sleep(3);
                                world.bootstrapStore.remove(toggled.secret().name());
                                Thread.sleep(3);
                            }
                            default -> {
                                idp.keys(List.of("k1", "k3"), List.of(k1, k3));
                                Thread.sleep(60);
                                idp.keys(List.of("k1", "k2"), List.of(k1, k2));
                                Thread.sleep(60);
                                if (tokenCache != null) {
                                    maxTokenCache.accumulateAndGet(Reach.callLong(tokenCache, "size"), Math::max);
                                }
                                maxChainCache.accumulateAndGet(Reach.callLong(certificates, "cachedChains"), Math::max);
                            }
                        }
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
                Thread.sleep(LongProfile.scaled(2_500));
                changes.stop();
                requests.stop();
                world.bootstrapStore.remove(toggled.secret().name());

                assertTrue(requests.problems.isEmpty(), () -> requests.problems.size() + " wrong verdicts, e.g. " + requests.problems.peek());
                assertTrue(changes.problems.isEmpty(), () -> "the changes failed: " + changes.problems.peek());
                assertTrue(verdicts.get() > 1_000, "load ran: " + verdicts.get());
                // Caffeine evicts as its maintenance catches up with the writers: on two busy cores a reading taken
                // mid-load may be well over the cap, yet far below the ~800 distinct tokens sent (so it evicts, and
                // does not grow with the input); at rest the cap holds exactly.
                assertTrue(maxTokenCache.get() <= 5 * TOKEN_CACHE_CAP, "token cache peaked at " + maxTokenCache.get());
                assertTrue(maxChainCache.get() <= CHAIN_CACHE_CAP + 2L * threads, "certificate cache peaked at " + maxChainCache.get());
                if (tokenCache != null) {
                    assertTrue(Reach.callLong(tokenCache, "size") <= TOKEN_CACHE_CAP, "token cache over its cap at rest");
                    assertTrue(maxTokenCache.get() > TOKEN_CACHE_CAP / 2, "the load filled the token cache: " + maxTokenCache.get());
                }
                assertTrue(Reach.callLong(certificates, "cachedChains") <= (cache ? CHAIN_CACHE_CAP : 0), "certificate cache over its cap");
            }
        }
    }

    private static io.gatehouse.core.TokenAuthenticator serviceAccounts(World world) {
        return new io.gatehouse.core.TokenAuthenticator() {
            @Override
            public AuthenticationResult authenticate(String token, List<String> audiences) {
                return world.serviceAccounts.authenticate(token, audiences);
            }

            @Override
            public boolean isAudienceAware() {
                return true;
            }
        };
    }

    private static void awaitKeys(OidcAuthenticator remote, String token) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!remote.authenticate(token, List.of()).isAuthenticated()) {
            assertTrue(System.nanoTime() < deadline, "the OIDC provider's keys never arrived");
            Thread.sleep(20);
        }
    }

}
