package io.gatehouse.jwt;

import io.gatehouse.core.testing.MutableClock;
import io.gatehouse.jwt.JwtException.Kind;
import io.gatehouse.testing.JwtFixtures;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Time, audience and key-selection rules of the engine, with a fixed clock. */
class JwtVerifierTest {

    static final Instant NOW = Instant.parse("2009-11-10T23:00:00Z");
    final KeyPair rsa = JwtFixtures.fresh("rsa2048");
    final MutableClock clock = new MutableClock(NOW);

    JwtVerifier.Builder base() {
        return JwtVerifier.builder().keys(VerificationKeySet.of(List.of(VerificationKey.of("k", rsa.getPublic()))))
                .clock(clock).audiences(List.of("a", "b"));
    }

    String token(String claims) {
        return JwtFixtures.sign(rsa, "RS256", "k", claims);
    }

    Kind kind(JwtVerifier v, String claims) {
        try {
            v.verify(CompactJws.parse(token(claims), 16384));
            return null;
        } catch (JwtException e) {
            return e.kind();
        }
    }

    /** Kubernetes OIDC: exp without leeway (exp == now passes), nbf with 1 minute, iat unchecked. */
    @ParameterizedTest(name = "exp now{0}s, nbf now{1}s -> {2}")
    @CsvSource({
        "+0, -10, OK",
        "-1, -10, EXPIRED",
        "+1, +60, OK",
        "+120, +61, NOT_YET_VALID",
        "+3600, +0, OK"})
    void kubernetesOidcTimeRules(long expOffset, long nbfOffset, String expected) {
        long now = NOW.getEpochSecond();
        Kind k = kind(base().build(), "{\"aud\":\"a\",\"exp\":" + (now + expOffset) + ",\"nbf\":" + (now + nbfOffset) + "}");
        assertEquals(expected, k == null ? "OK" : k.name());
    }

    @Test
    void missingExpIsExpiredUnlessNotRequired() {
        assertEquals(Kind.EXPIRED, kind(base().build(), "{\"aud\":\"a\"}"));
        assertEquals(null, kind(base().requireExpiration(false).build(), "{\"aud\":\"a\"}"));
    }

    /** Service-account style: 60 s leeway on exp, and an iat bound when asked for. */
    @Test
    void leewaysAndIssuedAtAreConfigurable() {
        long now = NOW.getEpochSecond();
        JwtVerifier sa = base().expirationLeeway(Duration.ofSeconds(60)).issuedAtLeeway(Duration.ofSeconds(10)).build();
        assertEquals(null, kind(sa, "{\"aud\":\"a\",\"exp\":" + (now - 60) + "}"));
        assertEquals(Kind.EXPIRED, kind(sa, "{\"aud\":\"a\",\"exp\":" + (now - 61) + "}"));
        assertEquals(null, kind(sa, "{\"aud\":\"a\",\"exp\":" + (now + 60) + ",\"iat\":" + (now + 10) + "}"));
        assertEquals(Kind.ISSUED_IN_FUTURE, kind(sa, "{\"aud\":\"a\",\"exp\":" + (now + 60) + ",\"iat\":" + (now + 11) + "}"));
        assertEquals(null, kind(base().build(), "{\"aud\":\"a\",\"exp\":" + (now + 60) + ",\"iat\":" + (now + 9999) + "}"));
    }

    @Test
    void fractionalDatesTruncateToSeconds() throws JwtException {
        long now = NOW.getEpochSecond();
        VerifiedJwt v = base().build().verify(CompactJws.parse(token("{\"aud\":\"a\",\"exp\":" + now + ".9}"), 16384));
        assertEquals(NOW, v.expiresAt());
        clock.advance(Duration.ofMillis(500));
        assertEquals(Kind.EXPIRED, kind(base().build(), "{\"aud\":\"a\",\"exp\":" + now + ".9}"));
    }

    @Test
    void audienceMatchesAnyAndReportsTheTokensAudiences() {
        long exp = NOW.getEpochSecond() + 60;
        assertEquals(null, kind(base().build(), "{\"aud\":[\"x\",\"b\"],\"exp\":" + exp + "}"));
        JwtException e = assertThrows(JwtException.class,
                () -> base().build().verify(CompactJws.parse(token("{\"aud\":[\"x\",\"y\"],\"exp\":" + exp + "}"), 16384)));
        assertEquals(List.of("x", "y"), e.tokenAudiences());
        assertEquals(Kind.WRONG_AUDIENCE, kind(base().build(), "{\"exp\":" + exp + "}"));
    }

    @Test
    void algorithmAllowListIsEnforcedEvenWithAMatchingKey() {
        String ps = JwtFixtures.sign(rsa, "PS256", "k", "{\"aud\":\"a\",\"exp\":" + (NOW.getEpochSecond() + 60) + "}");
        JwtException e = assertThrows(JwtException.class, () -> base().build().verify(CompactJws.parse(ps, 16384)));
        assertEquals(Kind.UNSUPPORTED_ALGORITHM, e.kind());
        assertEquals("PS256", e.algorithm());
    }

    @Test
    void keyTypeBindsTheAlgorithmFamily() {
        KeyPair ec = JwtFixtures.fresh("ec256");
        JwtVerifier v = JwtVerifier.builder().keys(VerificationKeySet.of(List.of(VerificationKey.of("k", ec.getPublic()))))
                .algorithms(JwtAlgorithm.all()).clock(clock).build();
        // An RSA-signed token naming the EC key's kid finds no key that may verify RS256.
        JwtException e = assertThrows(JwtException.class, () -> v.verify(CompactJws.parse(
                JwtFixtures.sign(rsa, "RS256", "k", "{\"exp\":" + (NOW.getEpochSecond() + 60) + "}"), 16384)));
        assertEquals(Kind.UNKNOWN_KEY, e.kind());
        assertThrows(IllegalArgumentException.class,
                () -> VerificationKey.of("k", ec.getPublic(), java.util.Set.of(JwtAlgorithm.RS256)));
    }

    @Test
    void tokenWithoutKidTriesEveryKeyAndTheSourceIsAskedOncePerToken() throws JwtException {
        KeyPair other = JwtFixtures.fresh("rsa3072");
        AtomicInteger lookups = new AtomicInteger();
        VerificationKeySet set = VerificationKeySet.of(List.of(VerificationKey.of("o", other.getPublic()), VerificationKey.of("k", rsa.getPublic())));
        JwtVerifier v = JwtVerifier.builder().keys(kid -> {
            lookups.incrementAndGet();
            return set.lookup(kid);
        }).clock(clock).build();
        VerifiedJwt ok = v.verify(CompactJws.parse(JwtFixtures.sign(rsa, "RS256", null, "{\"exp\":" + (NOW.getEpochSecond() + 60) + "}"), 16384));
        assertEquals("k", ok.key().keyId());
        assertEquals(1, lookups.get());
    }

    @Test
    void weakKeysAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> VerificationKey.of("k", JwtFixtures.fresh("rsa1024").getPublic()));
    }
}
