package io.gatehouse.benchmarks;

import com.nimbusds.jose.JWSAlgorithm;
import io.gatehouse.core.AuthenticationChain;
import io.gatehouse.core.AuthenticationListener;
import io.gatehouse.core.AuthenticationRequest;
import io.gatehouse.core.AuthenticationResult;
import io.gatehouse.core.TokenCachePolicy;
import io.gatehouse.oidc.OidcAuthenticator;
import io.gatehouse.serviceaccount.ServiceAccountTokenAuthenticator;
import io.gatehouse.x509.X509Authenticator;
import java.security.KeyPair;
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
 * The assembled chain with all five methods (client certificates, static tokens, bootstrap tokens, OIDC,
 * service accounts; token cache off) against a chain holding only the method that matches: routing by
 * credential shape and issuer must cost at most 5% over the one authenticator (target 1.05x).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class ChainBenchmark {

    private AuthenticationChain allFive;
    private AuthenticationChain oidcOnly;
    private AuthenticationChain serviceAccountOnly;
    private OidcAuthenticator oidc;
    private X509Authenticator x509;
    private AuthenticationRequest oidcRequest;
    private AuthenticationRequest serviceAccountRequest;

    @Setup
    public void setUp() throws Exception {
        KeyPair rsa = BenchFixtures.rsa();
        KeyPair ec = BenchFixtures.ec("secp256r1");
        KeyPair sa = BenchFixtures.rsa();
        oidc = BenchFixtures.oidc(rsa, ec);
        ServiceAccountTokenAuthenticator serviceAccounts = BenchFixtures.serviceAccounts(sa);
        x509 = BenchFixtures.x509(BenchFixtures.pki(), true);
        allFive = AuthenticationChain.builder().listener(AuthenticationListener.NONE).tokenCache(TokenCachePolicy.DISABLED)
                .add("x509", x509)
                .addToken("static-token", BenchFixtures.staticTokens())
                .addToken("bootstrap", BenchFixtures.bootstrap())
                .addToken("oidc", oidc)
                .addToken("serviceaccount", serviceAccounts)
                .build();
        oidcOnly = AuthenticationChain.builder().listener(AuthenticationListener.NONE).tokenCache(TokenCachePolicy.DISABLED)
                .addToken("oidc", oidc).build();
        serviceAccountOnly = AuthenticationChain.builder().listener(AuthenticationListener.NONE)
                .tokenCache(TokenCachePolicy.DISABLED).addToken("serviceaccount", serviceAccounts).build();
        oidcRequest = AuthenticationRequest.bearer(BenchFixtures.oidcToken(rsa, JWSAlgorithm.RS256, "rsa"));
        serviceAccountRequest = AuthenticationRequest.bearer(BenchFixtures.serviceAccountToken(sa));
        for (AuthenticationResult r : new AuthenticationResult[] {allFiveOidc(), oidcOnly(), allFiveServiceAccount(),
                serviceAccountOnly()}) {
            if (!r.isAuthenticated()) {
                throw new IllegalStateException("chain fixture does not authenticate: " + r);
            }
        }
    }

    @TearDown
    public void tearDown() {
        oidc.close();
        x509.close();
    }

    @Benchmark
    public AuthenticationResult allFiveOidc() {
        return allFive.authenticate(oidcRequest);
    }

    @Benchmark
    public AuthenticationResult oidcOnly() {
        return oidcOnly.authenticate(oidcRequest);
    }

    @Benchmark
    public AuthenticationResult allFiveServiceAccount() {
        return allFive.authenticate(serviceAccountRequest);
    }

    @Benchmark
    public AuthenticationResult serviceAccountOnly() {
        return serviceAccountOnly.authenticate(serviceAccountRequest);
    }
}
