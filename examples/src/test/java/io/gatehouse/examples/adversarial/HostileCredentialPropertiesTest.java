package io.gatehouse.examples.adversarial;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gatehouse.core.AuthenticationChain;
import io.gatehouse.core.AuthenticationListener;
import io.gatehouse.core.AuthenticationResult.Authenticated;
import io.gatehouse.core.AuthenticationResult.Rejected;
import io.gatehouse.core.AuthenticationResult;
import io.gatehouse.core.RejectionReason;
import io.gatehouse.core.TokenCachePolicy;
import io.gatehouse.core.testing.LogCapture;
import io.gatehouse.examples.adversarial.Mutations.Case;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.BeforeProperty;

/**
 * Near-valid credentials of all five kinds against the assembled chain (client certificates, static tokens,
 * bootstrap tokens, service account tokens, OIDC), with the token cache on and off: the chain always answers,
 * never crashes, and a mutation can only turn a success into a refusal, never into another user.
 */
@AddLifecycleHook(LongProfile.class)
class HostileCredentialPropertiesTest {

    private final World world = World.shared();
    private AuthenticationChain uncached;
    private AuthenticationChain cached;
    /** One measured input: the least its verification allocated in three runs. */
    private record Sample(World.Kind kind, String what, io.gatehouse.core.AuthenticationRequest request, long bytes) {
    }

    private final List<Sample> samples = new ArrayList<>();
    /** Outcomes of the mutation property, so that it cannot pass by refusing everything or nothing. */
    private final java.util.concurrent.atomic.AtomicInteger authenticated = new java.util.concurrent.atomic.AtomicInteger();
    private final java.util.concurrent.atomic.AtomicInteger refused = new java.util.concurrent.atomic.AtomicInteger();

    @BeforeProperty
    void chains() {
        uncached = world.chain(TokenCachePolicy.DISABLED, AuthenticationListener.NONE);
        // Failures cached too: a cached refusal must never be served for another token, nor a cached success.
        cached = world.chain(new TokenCachePolicy(Duration.ofMinutes(1), Duration.ofMinutes(1), 256), AuthenticationListener.logging());
    }

    @AfterProperty
    void close() throws InterruptedException {
        try {
            checkRatios();
            if (authenticated.get() + refused.get() > 100) {
                assertTrue(authenticated.get() > 0 && refused.get() > authenticated.get(),
                        "mutations should mostly be refused, and harmless ones still succeed: "
                                + authenticated.get() + " authenticated, " + refused.get() + " refused");
            }
        } finally {
            uncached.close();
            cached.close();
        }
    }

    @Provide
    Arbitrary<Case> hostile() {
        return Mutations.cases(world);
    }

    @Property(tries = 400)
    void aMutatedCredentialIsRefusedOrStaysTheSameUser(@ForAll("hostile") Case hostile) {
        int mark = LogCapture.mark();
        for (AuthenticationChain chain : List.of(uncached, cached)) {
            AuthenticationResult r;
            try {
                r = chain.authenticate(hostile.request());
            } catch (RuntimeException e) {
                throw new AssertionError("authenticate threw " + e.getClass().getName(), e);
            }
            judge(hostile, r);
            (r.isAuthenticated() ? authenticated : refused).incrementAndGet();
        }
        // explain runs every verifier on the same input, bypassing the cache: it never throws, agrees with the
        // chain, and each verdict in it obeys the same rules.
        io.gatehouse.core.Explanation explanation = uncached.explain(hostile.request());
        judge(hostile, explanation.outcome());
        for (io.gatehouse.core.Explanation.Verdict v : explanation.verdicts()) {
            judgeIdentity(hostile, v.result());
        }
        assertFalse(explanation.render().isEmpty());
        // The chain turns a crashing authenticator into INTERNAL_ERROR and logs it at ERROR; neither may happen.
        for (String line : LogCapture.linesSince(mark)) {
            assertFalse(line.startsWith("ERROR"), () -> hostile + " made something crash: " + line);
        }
    }

    static void judge(Case hostile, AuthenticationResult r) {
        if (hostile.exactly() != null) {
            assertEquals(hostile.exactly(), r.isAuthenticated(), () -> hostile + ": Kubernetes' bearer rule says otherwise: " + r);
        }
        judgeIdentity(hostile, r);
    }

    /** A verdict on a mutated credential: a refusal that says why, or the original's identity; never a crash or a leak. */
    static void judgeIdentity(Case hostile, AuthenticationResult r) {
        if (r instanceof Authenticated a) {
            assertFalse(hostile.forged(), () -> hostile + " was authenticated as " + a.user().name());
            String name = hostile.original().user().name();
            String uid = hostile.original().user().uid();
            if (hostile.issuerSignedNull() && !a.user().name().equals(name)) {
                // Only the empty value may take the original's place: the username prefix alone.
                assertEquals(name.substring(0, name.indexOf(':') + 1), a.user().name(), () -> hostile + " became another user");
            } else if (hostile.issuerSignedNull() && !a.user().uid().equals(uid)) {
                assertEquals("", a.user().uid(), () -> hostile + " became another uid");
            } else {
                assertEquals(name, a.user().name(), () -> hostile + " became another user");
                assertEquals(uid, a.user().uid(), () -> hostile + " became another uid");
            }
        } else if (r instanceof Rejected rej) {
            for (Rejected single : rej.singles()) {
                assertNotEquals(RejectionReason.INTERNAL_ERROR, single.reason(), () -> hostile + " crashed a verifier: " + single);
            }
            assertFalse(rej.message().isEmpty(), "a rejection says why");
        }
        // Nothing in a verdict may quote the credential.
        String token = hostile.original().token();
        if (token != null) {
            assertFalse(r.toString().contains(token), () -> hostile + ": the verdict quotes the token");
        }
    }

    /**
     * No input costs more than 100 times the median input (of the whole chain, or of its own kind when that
     * is higher). Cost is counted, not timed: the bytes the verifying thread allocates, which grow with every
     * parse step, signature check and path tried, and which no GC pause or other tenant of the machine can
     * inflate. Each input is measured three times and the least kept (a path still running interpreted allocates
     * more than its compiled form); the unmutated credentials are measured alongside, so the median is a real
     * verification.
     */
    @Property(tries = 300)
    void noInputCostsMoreThanAHundredTimesTheMedian(@ForAll("hostile") Case hostile) {
        if (samples.isEmpty()) {
            for (int i = 0; i < 200; i++) {
                world.credentials.forEach(c -> uncached.authenticate(c.request()));
            }
        }
        World.Kind kind = hostile.original().kind();
        samples.add(new Sample(kind, "original", hostile.original().request(), leastAllocation(hostile.original().request())));
        samples.add(new Sample(kind, hostile.mutation(), hostile.request(), leastAllocation(hostile.request())));
    }

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();

    private long leastAllocation(io.gatehouse.core.AuthenticationRequest request) {
        long least = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            long before = THREADS.getCurrentThreadAllocatedBytes();
            uncached.authenticate(request);
            least = Math.min(least, THREADS.getCurrentThreadAllocatedBytes() - before);
        }
        return least;
    }

    /** After the cost property: every input within 100x the median (the other property records no samples). */
    private void checkRatios() {
        if (samples.isEmpty()) {
            return;
        }
        long overall = median(samples.stream().map(Sample::bytes).toList());
        for (World.Kind kind : World.Kind.values()) {
            List<Sample> ofKind = samples.stream().filter(x -> x.kind() == kind).toList();
            if (ofKind.isEmpty()) {
                continue;
            }
            // The yardstick is the typical request of the whole chain, or of this kind when that costs more (path
            // validation of a certificate chain costs far more than a table lookup, for every input of the kind).
            // For certificates it is at least one signature check: the typical request re-presents a certificate
            // the JDK has already verified (its per-object memo skips the signature), while a forged chain that
            // offers two same-named issuers costs real checks on every call, within Go's budget of 100.
            long typical = Math.max(1, Math.max(overall, median(ofKind.stream().map(Sample::bytes).toList())));
            long median = kind == World.Kind.X509 ? Math.max(typical, oneSignatureCheck()) : typical;
            for (Sample x : ofKind) {
                // Reading an input once costs in proportion to its size (a 70,000-character token is copied to bytes
                // to be hashed): each input may also allocate 4 bytes per character it carries. What the property
                // refuses is work beyond that, which a pathological input would cause.
                long bound = 100 * median + 4 * inputChars(x.request());
                assertTrue(x.bytes() <= bound, () -> kind + " input '" + x.what() + "' allocates " + x.bytes()
                        + " bytes, more than 100x the median " + median + " bytes plus 4 per input character ("
                        + bound + ")");
            }
        }
        assertTrue(samples.size() > 20, "enough samples");
    }

    /** The characters of every header value of the request: the size of what it asks the chain to read. */
    private static long inputChars(io.gatehouse.core.AuthenticationRequest request) {
        long n = 0;
        for (java.util.List<String> values : request.headers().values()) {
            for (String v : values) {
                n += v.length();
            }
        }
        return n;
    }

    /** The least allocation of twenty uncached signature checks of the world's CA certificate with its own key. */
    private long oneSignatureCheck() {
        java.security.cert.X509Certificate ca = world.attackerCa.cert();
        long least = Long.MAX_VALUE;
        try {
            for (int i = 0; i < 20; i++) {
                long before = THREADS.getCurrentThreadAllocatedBytes();
                java.security.Signature s = java.security.Signature.getInstance(ca.getSigAlgName());
                s.initVerify(ca.getPublicKey());
                s.update(ca.getTBSCertificate());
                assertTrue(s.verify(ca.getSignature()));
                least = Math.min(least, THREADS.getCurrentThreadAllocatedBytes() - before);
            }
        } catch (java.security.GeneralSecurityException e) {
            throw new AssertionError(e);
        }
        return least;
    }

    private static long median(List<Long> values) {
        return values.stream().sorted().toList().get(values.size() / 2);
    }
}
