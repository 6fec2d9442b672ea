package io.gatehouse.x509;

import io.gatehouse.core.AuthenticationRequest;
import io.gatehouse.core.AuthenticationResult.Authenticated;
import io.gatehouse.core.AuthenticationResult.Rejected;
import io.gatehouse.core.AuthenticationResult;
import io.gatehouse.core.RejectionReason;
import io.gatehouse.core.UserInfo;
import io.gatehouse.core.testing.MutableClock;
import io.gatehouse.testing.TestPki;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;

/**
 * The verified-chain cache: keyed by the SHA-256 of the presented chain, bounded by the earliest notAfter and
 * the TTL, and never answering for a chain it did not verify. Verifications are counted through the user
 * conversion, which runs only after a verification.
 */
class VerifiedChainCacheTest {

    static final Instant NOW = Instant.now();
    static final TestPki.Issued ROOT = TestPki.root("cache-root");
    static final TestPki.Issued INT_A = TestPki.intermediate("cache-int-a", ROOT);
    static final TestPki.Issued INT_B = TestPki.intermediate("cache-int-b", ROOT);
    static final TestPki.Issued SHORT = TestPki.cert("CN=short").issuer(INT_A).clientAuth()
            .validity(NOW.minusSeconds(60), NOW.plusSeconds(120)).issue();

    final MutableClock clock = new MutableClock(NOW);
    final AtomicInteger verifications = new AtomicInteger();

    X509Authenticator authenticator(long size, Duration ttl) {
        return X509Authenticator.builder().trustAnchors(List.of(ROOT.cert())).clock(clock).cacheMaximumSize(size)
                .cacheTtl(ttl).userConversion(chain -> {
                    verifications.incrementAndGet();
                    return CommonNameUserConversion.instance().user(chain);
                }).build();
    }

    static AuthenticationResult authenticate(X509Authenticator a, X509Certificate... chain) {
        return a.authenticate(AuthenticationRequest.builder().peerCertificates(List.of(chain)).build());
    }

    @Test
    void aRepeatedChainIsVerifiedOnce() {
        try (X509Authenticator a = authenticator(100, Duration.ofMinutes(5))) {
            AuthenticationResult first = authenticate(a, SHORT.cert(), INT_A.cert(), INT_B.cert());
            AuthenticationResult second = authenticate(a, SHORT.cert(), INT_A.cert(), INT_B.cert());
            assertSame(first, second);
            assertEquals(1, verifications.get());
            // Another presentation (another order) is another key.
            authenticate(a, SHORT.cert(), INT_B.cert(), INT_A.cert());
            assertEquals(2, verifications.get());
            assertEquals(2, a.cachedChains());
        }
    }

    @Test
    void entriesEndAtTheTtlAndAtTheEarliestNotAfter() {
        try (X509Authenticator a = authenticator(100, Duration.ofSeconds(30))) {
            authenticate(a, SHORT.cert(), INT_A.cert());
            clock.advance(Duration.ofSeconds(31));
            assertInstanceOf(Authenticated.class, authenticate(a, SHORT.cert(), INT_A.cert()));
            assertEquals(2, verifications.get());
            clock.advance(Duration.ofSeconds(100));
            Rejected r = assertInstanceOf(Rejected.class, authenticate(a, SHORT.cert(), INT_A.cert()));
            assertEquals(RejectionReason.EXPIRED, r.reason());
        }
        verifications.set(0);
        clock.set(NOW);
        try (X509Authenticator a = authenticator(100, Duration.ofHours(1))) {
            authenticate(a, SHORT.cert(), INT_A.cert());
            clock.advance(Duration.ofSeconds(121));
            assertEquals(RejectionReason.EXPIRED,
                    assertInstanceOf(Rejected.class, authenticate(a, SHORT.cert(), INT_A.cert())).reason());
        }
    }

    @Test
    void aClockSetBackBeforeNotBeforeIsNotServedFromTheCache() {
        try (X509Authenticator a = authenticator(100, Duration.ofHours(1))) {
            authenticate(a, SHORT.cert(), INT_A.cert());
            clock.set(NOW.minusSeconds(3600));
            assertEquals(RejectionReason.NOT_YET_VALID,
                    assertInstanceOf(Rejected.class, authenticate(a, SHORT.cert(), INT_A.cert())).reason());
        }
    }

    @Test
    void rejectionsAndAbstentionsAreNotCachedAndSizeZeroDisables() {
        TestPki.Issued stranger = TestPki.client("CN=stranger", TestPki.root("stranger-root"));
        try (X509Authenticator a = authenticator(100, Duration.ofMinutes(5))) {
            authenticate(a, stranger.cert());
            assertEquals(0, a.cachedChains());
        }
        try (X509Authenticator a = authenticator(0, Duration.ofMinutes(5))) {
            authenticate(a, SHORT.cert(), INT_A.cert());
            authenticate(a, SHORT.cert(), INT_A.cert());
            assertEquals(2, verifications.get());
            assertEquals(0, a.cachedChains());
        }
    }

    @Test
    void aCustomConversionResultIsCachedAsIs() {
        try (X509Authenticator a = X509Authenticator.builder().trustAnchors(List.of(ROOT.cert())).clock(clock)
                .userConversion(chain -> {
                    verifications.incrementAndGet();
                    return Authenticated.of(UserInfo.of("custom", ""));
                }).build()) {
            authenticate(a, SHORT.cert(), INT_A.cert());
            assertEquals("custom", assertInstanceOf(Authenticated.class, authenticate(a, SHORT.cert(), INT_A.cert())).user().name());
            assertEquals(1, verifications.get());
        }
    }
}
