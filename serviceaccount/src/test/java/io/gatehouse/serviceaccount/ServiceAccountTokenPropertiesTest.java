package io.gatehouse.serviceaccount;

import io.gatehouse.core.AuthenticationResult;
import io.gatehouse.core.AuthenticationResult.Authenticated;
import io.gatehouse.core.testing.MutableClock;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

import java.security.KeyPair;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/** Invariants of issuance and verification together, on a MutableClock. */
class ServiceAccountTokenPropertiesTest {

    private static final String ISSUER = "https://kubernetes.default.svc";
    private static final long T0 = 1_700_000_000L;
    private static final String B64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

    private final MutableClock clock = new MutableClock(Instant.ofEpochSecond(T0));
    private final KeyPair key = Fixtures.fresh("ec256");
    private final ServiceAccountTokenIssuer issuer = ServiceAccountTokenIssuer.builder().signingKey(key).issuer(ISSUER)
            .clock(clock).build();
    private final ServiceAccountTokenAuthenticator authenticator = ServiceAccountTokenAuthenticator.builder()
            .keys(List.of(key.getPublic(), Fixtures.fresh("rsa2048").getPublic())).issuers(List.of(ISSUER)).clock(clock).build();

    @Provide
    Arbitrary<String> names() {
        return Arbitraries.strings().withCharRange('a', 'z').withChars('-', '0').ofMinLength(1).ofMaxLength(12)
                .filter(s -> Character.isLetter(s.charAt(0)) && Character.isLetter(s.charAt(s.length() - 1)));
    }

    /** Offsets near an edge, with the leeway's own boundaries drawn often. */
    @Provide
    Arbitrary<Long> edgeOffsets() {
        return Arbitraries.oneOf(Arbitraries.longs().between(-90, 90), Arbitraries.of(-61L, -60L, 60L, 61L));
    }

    @Property(tries = 100)
    void mintedTokensVerifyUntilExpiryPlusLeewayAndNotAfter(@ForAll @LongRange(min = 600, max = 400_000) long lifetime,
                                                            @ForAll("edgeOffsets") long offset,
                                                            @ForAll boolean nearIssue) {
        // Times cluster around the two edges (iat/nbf and exp), where the 60 s leeway decides.
        long elapsed = nearIssue ? offset : lifetime + offset;
        clock.set(Instant.ofEpochSecond(T0));
        String token = issuer.issue(TokenRequest.forServiceAccount("ns", "sa", "uid").withExpirationSeconds(lifetime)).token();
        clock.set(Instant.ofEpochSecond(T0 + elapsed));
        AuthenticationResult r = authenticator.authenticate(token, List.of());
        boolean valid = elapsed >= -60 && elapsed <= lifetime + 60;
        assertEquals(valid, r.isAuthenticated(), () -> "lifetime " + lifetime + ", elapsed " + elapsed + ": " + r);
        if (valid) {
            assertEquals(Instant.ofEpochSecond(T0 + lifetime), ((Authenticated) r).expiresAt());
        }
    }

    @Property(tries = 50)
    void tokensFromAnUntrustedKeyNeverAuthenticateEvenWithATrustedKid(@ForAll("names") String namespace,
                                                                     @ForAll("names") String name) {
        clock.set(Instant.ofEpochSecond(T0));
        String forged = Fixtures.sign(Fixtures.fresh("ec256-attacker").getPrivate(), com.nimbusds.jose.JWSAlgorithm.ES256,
                issuer.keyId(), Fixtures.boundClaims(ISSUER, List.of(ISSUER), T0, T0 + 3600, namespace, name, "uid", null, null, null, null));
        assertFalse(authenticator.authenticate(forged, List.of()).isAuthenticated());
    }

    @Property(tries = 150)
    void mutatedTokensNeverAuthenticateAsSomeoneElse(@ForAll("names") String namespace, @ForAll("names") String name,
                                                    @ForAll @IntRange(min = 0, max = 10_000) int position,
                                                    @ForAll @IntRange(min = 0, max = 63) int replacement) {
        clock.set(Instant.ofEpochSecond(T0));
        String token = issuer.issue(TokenRequest.forServiceAccount(namespace, name, "uid-" + name)).token();
        int at = position % token.length();
        char c = token.charAt(at) == '.' ? '.' : B64URL.charAt(replacement);
        String mutated = token.substring(0, at) + c + token.substring(at + 1);
        AuthenticationResult r = authenticator.authenticate(mutated, List.of());
        assertNotNull(r);
        if (r instanceof Authenticated ok) {
            assertEquals(token, mutated, "only the unchanged token authenticates");
            assertEquals("system:serviceaccount:" + namespace + ":" + name, ok.user().name());
        }
    }

    @Property(tries = 200)
    void arbitraryInputNeverThrowsOrAuthenticates(@ForAll String junk) {
        AuthenticationResult r = authenticator.authenticate(junk, List.of());
        assertNotNull(r);
        assertFalse(r.isAuthenticated());
    }
}
