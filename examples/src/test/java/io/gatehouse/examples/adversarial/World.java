package io.gatehouse.examples.adversarial;

import io.gatehouse.bootstrap.BootstrapTokenAuthenticator;
import io.gatehouse.bootstrap.BootstrapTokenGenerator;
import io.gatehouse.bootstrap.GeneratedBootstrapToken;
import io.gatehouse.bootstrap.InMemoryBootstrapTokenStore;
import io.gatehouse.core.AuthenticationChain;
import io.gatehouse.core.AuthenticationListener;
import io.gatehouse.core.AuthenticationRequest;
import io.gatehouse.core.AuthenticationResult.Authenticated;
import io.gatehouse.core.AuthenticationResult;
import io.gatehouse.core.TokenCachePolicy;
import io.gatehouse.core.UserInfo;
import io.gatehouse.core.testing.LogCapture;
import io.gatehouse.core.testing.MutableClock;
import io.gatehouse.oidc.JwtIssuer;
import io.gatehouse.oidc.OidcAuthenticator;
import io.gatehouse.serviceaccount.ServiceAccountTokenAuthenticator;
import io.gatehouse.serviceaccount.ServiceAccountTokenIssuer;
import io.gatehouse.serviceaccount.TokenRequest;
import io.gatehouse.statictoken.StaticTokenAuthenticator;
import io.gatehouse.testing.TestPki;
import io.gatehouse.x509.X509Authenticator;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * All five methods assembled the way an embedder would, with in-memory inputs (no network, no files), and
 * one valid credential list whose users were each checked through the chain. Shared by the property tests:
 * building it costs a few RSA and EC key generations.
 */
final class World {

    enum Kind { STATIC, BOOTSTRAP, SERVICE_ACCOUNT, OIDC, X509 }

    /**
     * A credential as presented: a bearer token or a certificate chain, and the user it authenticates as.
     * {@code signer} is the private key that signed a JWT, so tests can re-sign mutated claims.
     */
    record Credential(Kind kind, String token, List<X509Certificate> chain, PrivateKey signer, UserInfo user) {
        AuthenticationRequest request() {
            AuthenticationRequest.Builder b = AuthenticationRequest.builder();
            if (token != null) {
                b.header("Authorization", "Bearer " + token);
            }
            return b.peerCertificates(chain).build();
        }

        @Override
        public String toString() {
            return kind + " credential of " + (user == null ? "?" : user.name());
        }
    }

    static final String API_AUDIENCE = "https://kubernetes.default.svc.cluster.local";
    static final String SA_ISSUER = "https://kubernetes.default.svc.cluster.local";
    static final String OIDC_ISSUER = "https://idp.adversarial.test";
    static final String OIDC_CLIENT = "gatehouse";

    private static World shared;

    final MutableClock clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
    final KeyPair saKeys = TestPki.ecKey();
    final KeyPair oidcRsa = TestPki.rsaKey();
    final KeyPair oidcEc = TestPki.ecKey();
    /** A key nobody trusts: what an attacker signs with. */
    final KeyPair attacker = TestPki.ecKey();
    final TestPki.Issued ca;
    final TestPki.Issued intermediate;
    final TestPki.Issued attackerCa;
    final StaticTokenAuthenticator staticTokens;
    final InMemoryBootstrapTokenStore bootstrapStore = new InMemoryBootstrapTokenStore();
    final BootstrapTokenAuthenticator bootstrap;
    final ServiceAccountTokenIssuer saIssuer;
    final ServiceAccountTokenAuthenticator serviceAccounts;
    final OidcAuthenticator oidc;
    final X509Authenticator x509;
    /** The same trust without the verified-chain cache: every request runs path validation. */
    final X509Authenticator x509Uncached;
    final List<Credential> credentials = new ArrayList<>();

    private World() {
        Instant now = clock.instant();
        ca = TestPki.ca("adversarial-ca", now);
        intermediate = TestPki.intermediate(ca, "adversarial-intermediate", now);
        attackerCa = TestPki.ca("adversarial-ca", now);

        SecureRandom random = new SecureRandom();
        StaticTokenAuthenticator.Builder tokens = StaticTokenAuthenticator.builder();
        List<String> staticTokenList = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            byte[] b = new byte[16];
            random.nextBytes(b);
            String token = LogCapture.secret(HexFormat.of().formatHex(b));
            tokens.token(token, new UserInfo("static-user-" + i, "uid-" + i, List.of("static-group-" + i), Map.of()));
            staticTokenList.add(token);
        }
        staticTokens = tokens.listener(AuthenticationListener.NONE).build();

        BootstrapTokenGenerator generator = BootstrapTokenGenerator.builder().clock(clock).build();
        List<GeneratedBootstrapToken> bootstrapTokens = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            GeneratedBootstrapToken t = generator.generate();
            LogCapture.secret(t.token());
            LogCapture.secret(t.secret().get("token-secret"));
            bootstrapStore.put(t.secret());
            bootstrapTokens.add(t);
        }
        bootstrap = BootstrapTokenAuthenticator.builder().store(bootstrapStore).clock(clock).build();

        saIssuer = ServiceAccountTokenIssuer.builder().signingKey(saKeys).issuer(SA_ISSUER)
                .apiAudiences(List.of(API_AUDIENCE)).clock(clock).build();
        serviceAccounts = ServiceAccountTokenAuthenticator.builder().keys(List.of(saKeys.getPublic()))
                .issuers(List.of(SA_ISSUER)).apiAudiences(List.of(API_AUDIENCE)).clock(clock).build();

        oidc = OidcAuthenticator.builder().clock(clock).issuer(JwtIssuer.builder(OIDC_ISSUER).audiences(OIDC_CLIENT)
                .username("sub", "oidc:").groups("groups", "oidc:").uid("uid")
                .staticKey("rsa-1", oidcRsa.getPublic()).staticKey("ec-1", oidcEc.getPublic()).build()).build();

        x509 = X509Authenticator.builder().trustAnchors(List.of(ca.cert())).clock(clock)
                .listener(AuthenticationListener.NONE).build();
        x509Uncached = X509Authenticator.builder().trustAnchors(List.of(ca.cert())).clock(clock)
                .cacheMaximumSize(0).listener(AuthenticationListener.NONE).build();

        staticTokenList.forEach(t -> credentials.add(new Credential(Kind.STATIC, t, List.of(), null, null)));
        bootstrapTokens.forEach(t -> credentials.add(new Credential(Kind.BOOTSTRAP, t.token(), List.of(), null, null)));
        for (String sa : List.of("builder", "deployer")) {
            String token = LogCapture.secret(saIssuer.issue(TokenRequest.forServiceAccount("team-" + sa, sa, "uid-sa-" + sa)).token());
            credentials.add(new Credential(Kind.SERVICE_ACCOUNT, token, List.of(), saKeys.getPrivate(), null));
        }
        credentials.add(new Credential(Kind.OIDC, oidcToken("alice", "rsa-1", oidcRsa.getPrivate()), List.of(), oidcRsa.getPrivate(), null));
        credentials.add(new Credential(Kind.OIDC, oidcToken("bob", "ec-1", oidcEc.getPrivate()), List.of(), oidcEc.getPrivate(), null));
        TestPki.Issued direct = TestPki.client(ca, "x509-user-0", List.of("x509-group-a"), now);
        TestPki.Issued viaIntermediate = TestPki.client(intermediate, "x509-user-1", List.of("x509-group-b", "x509-group-c"), now);
        credentials.add(new Credential(Kind.X509, null, List.of(direct.cert()), null, null));
        credentials.add(new Credential(Kind.X509, null, List.of(viaIntermediate.cert(), intermediate.cert()), null, null));

        // Every credential's user as the assembled chain says; a credential that does not authenticate is a fixture bug.
        try (AuthenticationChain chain = chain(TokenCachePolicy.DISABLED, AuthenticationListener.NONE)) {
            for (int i = 0; i < credentials.size(); i++) {
                Credential c = credentials.get(i);
                AuthenticationResult r = chain.authenticate(c.request());
                if (!(r instanceof Authenticated a)) {
                    throw new IllegalStateException(c.kind() + " credential does not authenticate: " + r);
                }
                credentials.set(i, new Credential(c.kind(), c.token(), c.chain(), c.signer(), a.user()));
            }
        }
    }

    static synchronized World shared() {
        if (shared == null) {
            shared = new World();
        }
        return shared;
    }

    /**
     * A fresh chain over this world's authenticators; closing it leaves the shared authenticators usable.
     * With the token cache disabled the client-certificate cache is off too, so every request does the full work.
     */
    AuthenticationChain chain(TokenCachePolicy cache, AuthenticationListener listener) {
        X509Authenticator certificates = cache.enabled() ? x509 : x509Uncached;
        return AuthenticationChain.builder()
                .add("x509", certificates::authenticate)
                .addToken("static-token", staticTokens::authenticate)
                .addToken("bootstrap-token", bootstrap::authenticate)
                .addToken("service-account", new io.gatehouse.core.TokenAuthenticator() {
                    @Override
                    public AuthenticationResult authenticate(String token, List<String> audiences) {
                        return serviceAccounts.authenticate(token, audiences);
                    }

                    @Override
                    public boolean isAudienceAware() {
                        return true;
                    }
                })
                .addToken("oidc", oidc::authenticate)
                .apiAudiences(List.of(API_AUDIENCE))
                .tokenCache(cache)
                .listener(listener)
                .clock(clock)
                .build();
    }

    List<Credential> credentials(Kind kind) {
        return credentials.stream().filter(c -> c.kind() == kind).toList();
    }

    String oidcToken(String subject, String kid, PrivateKey key) {
        return LogCapture.secret(Jws.sign(oidcHeader(kid, key), Jws.write(oidcClaims(subject)), key));
    }

    static String oidcHeader(String kid, PrivateKey key) {
        String alg = key instanceof java.security.interfaces.ECPrivateKey ? "ES256" : "RS256";
        return "{\"alg\":\"" + alg + "\",\"kid\":\"" + kid + "\",\"typ\":\"JWT\"}";
    }

    Map<String, Object> oidcClaims(String subject) {
        Map<String, Object> claims = new LinkedHashMap<>();
        long now = clock.instant().getEpochSecond();
        claims.put("iss", OIDC_ISSUER);
        claims.put("aud", OIDC_CLIENT);
        claims.put("sub", subject);
        claims.put("uid", "uid-" + subject);
        claims.put("groups", List.of("dev", "ops"));
        claims.put("iat", now);
        claims.put("nbf", now);
        claims.put("exp", now + 3600);
        return claims;
    }
}
