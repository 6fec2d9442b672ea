package io.gatehouse.benchmarks;

import com.nimbusds.jose.JWSAlgorithm;
import io.gatehouse.core.AuthenticationListener;
import io.gatehouse.core.AuthenticationResult;
import io.gatehouse.oidc.JwtIssuer;
import io.gatehouse.oidc.OidcAuthenticator;
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
 * One ES256 ID token, uncached, through a username expression, a groups expression and one claim
 * validation rule, beside the same token through plain claim mappings (target: at most 1.15x). Run with
 * {@code -prof gc} for bytes/op. Nothing is compiled per request: both authenticators are built once.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class CelBenchmark {

    private OidcAuthenticator plain;
    private OidcAuthenticator cel;
    private String token;

    @Setup
    public void setUp() throws Exception {
        KeyPair ec = BenchFixtures.ec("secp256r1");
        token = BenchFixtures.oidcToken(ec, JWSAlgorithm.ES256, "ec");
        plain = OidcAuthenticator.builder().listener(AuthenticationListener.NONE)
                .issuer(JwtIssuer.builder(BenchFixtures.OIDC_ISSUER).audiences("gateway").username("sub", "")
                        .groups("groups", "").staticKey("ec", ec.getPublic()).build())
                .build();
        cel = OidcAuthenticator.builder().listener(AuthenticationListener.NONE)
                .issuer(JwtIssuer.builder(BenchFixtures.OIDC_ISSUER).audiences("gateway").usernameExpression("claims.sub")
                        .groupsExpression("claims.groups").claimValidationRule("claims.email.endsWith('@example.com')", "")
                        .staticKey("ec", ec.getPublic()).build())
                .build();
        check(plain.authenticate(token, List.of()));
        check(cel.authenticate(token, List.of()));
    }

    private static void check(AuthenticationResult r) {
        if (!(r instanceof AuthenticationResult.Authenticated)) {
            throw new IllegalStateException("benchmark token must authenticate: " + r);
        }
    }

    @TearDown
    public void tearDown() {
        plain.close();
        cel.close();
    }

    @Benchmark
    public AuthenticationResult plainClaimMappings() {
        return plain.authenticate(token, List.of());
    }

    @Benchmark
    public AuthenticationResult celExpressions() {
        return cel.authenticate(token, List.of());
    }
}
