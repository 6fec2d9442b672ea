package io.gatehouse.x509;

import io.gatehouse.core.AuthenticationRequest;
import io.gatehouse.core.AuthenticationResult.Authenticated;
import io.gatehouse.core.AuthenticationResult;
import io.gatehouse.testing.TestPki;
import java.security.cert.X509Certificate;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * Whatever chain a client presents, {@code authenticate} returns a verdict and never throws: real
 * certificates in any order and number, bit-flipped and truncated encodings, random bytes, and certificates
 * whose encoding throws. A mutated certificate is never accepted.
 */
class AuthenticateNeverThrowsPropertyTest {

    static final TestPki.Issued ROOT = TestPki.root("prop-root");
    static final TestPki.Issued INTERMEDIATE = TestPki.intermediate("prop-intermediate", ROOT);
    static final TestPki.Issued LEAF = TestPki.client("CN=prop-user,O=prop", INTERMEDIATE);
    static final X509Authenticator AUTHENTICATOR = X509Authenticator.builder()
            .trustAnchors(List.of(ROOT.cert())).cacheMaximumSize(16).build();
    static final List<byte[]> REAL = List.of(BadInputTest.der(LEAF.cert()), BadInputTest.der(INTERMEDIATE.cert()),
            BadInputTest.der(ROOT.cert()));

    static final java.util.Map<String, java.util.concurrent.atomic.AtomicInteger> VERDICTS = new java.util.concurrent.ConcurrentHashMap<>();

    @AfterContainer
    static void close() {
        AUTHENTICATOR.close();
        System.out.println("authenticate-never-throws verdicts: " + new java.util.TreeMap<>(VERDICTS));
        int total = VERDICTS.values().stream().mapToInt(java.util.concurrent.atomic.AtomicInteger::get).sum();
        if (total < 200) {
            throw new AssertionError("expected 200 tries, ran " + total);
        }
    }

    @Provide
    Arbitrary<X509Certificate> certificates() {
        Arbitrary<X509Certificate> real = Arbitraries.of(LEAF.cert(), INTERMEDIATE.cert(), ROOT.cert());
        Arbitrary<X509Certificate> flipped = Arbitraries.integers().between(0, 2).flatMap(which -> {
            byte[] base = REAL.get(which);
            return Arbitraries.integers().between(0, base.length * 8 - 1).list().ofMinSize(1).ofMaxSize(4).map(bits -> {
                byte[] copy = base.clone();
                for (int bit : bits) {
                    copy[bit / 8] ^= (byte) (1 << (bit % 8));
                }
                return (X509Certificate) new FakeCertificate(copy);
            });
        });
        Arbitrary<X509Certificate> truncated = Arbitraries.integers().between(0, 2).flatMap(which -> {
            byte[] base = REAL.get(which);
            return Arbitraries.integers().between(0, base.length - 1)
                    .map(n -> (X509Certificate) new FakeCertificate(java.util.Arrays.copyOf(base, n)));
        });
        Arbitrary<X509Certificate> random = Arbitraries.bytes().array(byte[].class).ofMaxSize(512)
                .map(b -> (X509Certificate) new FakeCertificate(b));
        Arbitrary<X509Certificate> throwing = Arbitraries.just(FakeCertificate.unencodable());
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(10, real), net.jqwik.api.Tuple.of(3, flipped), net.jqwik.api.Tuple.of(2, truncated),
                net.jqwik.api.Tuple.of(2, random), net.jqwik.api.Tuple.of(1, throwing));
    }

    @Property(tries = 200)
    void authenticateNeverThrows(@ForAll("chains") List<X509Certificate> chain) {
        AuthenticationResult r = AUTHENTICATOR.authenticate(AuthenticationRequest.builder().peerCertificates(chain).build());
        assertNotNull(r);
        VERDICTS.computeIfAbsent(r instanceof io.gatehouse.core.AuthenticationResult.Rejected rej ? "rejected " + rej.reason()
                : r.getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT), k -> new java.util.concurrent.atomic.AtomicInteger())
                .incrementAndGet();
        if (r instanceof Authenticated a) {
            // Only a genuine certificate (the CAs carry no EKU, so as in Kubernetes they may act as clients too)
            // authenticates, and as its own common name: a mutated encoding never does.
            int which = -1;
            for (int i = 0; i < REAL.size(); i++) {
                if (sameBytes(chain.get(0), REAL.get(i))) {
                    which = i;
                }
            }
            List<String> names = List.of("prop-user", "prop-intermediate", "prop-root");
            if (which < 0 || !a.user().name().equals(names.get(which))) {
                throw new AssertionError("accepted an unexpected chain as " + a.user());
            }
        }
    }

    @Provide
    Arbitrary<List<X509Certificate>> chains() {
        return certificates().list().ofMinSize(0).ofMaxSize(6);
    }

    private static boolean sameBytes(X509Certificate c, byte[] expected) {
        try {
            return java.util.Arrays.equals(c.getEncoded(), expected);
        } catch (Exception e) {
            return false;
        }
    }
}
