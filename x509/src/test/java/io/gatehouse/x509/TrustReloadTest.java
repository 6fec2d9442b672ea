package io.gatehouse.x509;

import io.gatehouse.core.AuthenticationRequest;
import io.gatehouse.core.AuthenticationResult.Authenticated;
import io.gatehouse.core.AuthenticationResult.Rejected;
import io.gatehouse.core.AuthenticationResult;
import io.gatehouse.core.ConfigurationException;
import io.gatehouse.core.RejectionReason;
import io.gatehouse.core.testing.RecordingListener;
import io.gatehouse.testing.TestPki;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The client-CA bundle reloads on change; a bad or empty new file keeps the last good anchors and is reported. */
class TrustReloadTest {

    static final TestPki.Issued CA_ONE = TestPki.root("reload-ca-one");
    static final TestPki.Issued CA_TWO = TestPki.root("reload-ca-two");
    static final TestPki.Issued ALICE = TestPki.client("CN=alice", CA_ONE);
    static final TestPki.Issued BOB = TestPki.client("CN=bob", CA_TWO);

    @TempDir
    Path dir;

    static AuthenticationResult authenticate(X509Authenticator a, TestPki.Issued client) {
        return a.authenticate(AuthenticationRequest.builder().peerCertificates(List.of(client.cert())).build());
    }

    @Test
    void aChangedBundleIsUsedAndABadOneKeepsTheLastGood() throws Exception {
        Path bundle = dir.resolve("client-ca.pem");
        Files.writeString(bundle, TestPki.pem(CA_ONE.cert()));
        RecordingListener listener = new RecordingListener();
        try (X509Authenticator a = X509Authenticator.builder().clientCaFile(bundle).listener(listener)
                .reloadInterval(Duration.ZERO).build()) {
            assertEquals(List.of("reloaded " + bundle + " 1 CA certificate [reload-ca-one]"), listener.events());
            assertInstanceOf(Authenticated.class, authenticate(a, ALICE));
            assertEquals(RejectionReason.UNTRUSTED_CERTIFICATE, assertInstanceOf(Rejected.class, authenticate(a, BOB)).reason());

            // Several CAs in one bundle, with text around the blocks as openssl writes it.
            TestPki.write(bundle, "subject=CN=reload-ca-one\n" + TestPki.pem(CA_ONE.cert()) + "# second\n" + TestPki.pem(CA_TWO.cert()));
            assertTrue(a.reloadIfChanged());
            assertInstanceOf(Authenticated.class, authenticate(a, BOB));
            assertEquals(2, a.trustAnchors().size());

            // An empty file: Kubernetes' error, and the last good anchors stay.
            listener.clear();
            TestPki.write(bundle, "");
            assertFalse(a.reloadIfChanged());
            assertEquals(List.of("reloadFailed " + bundle + " " + bundle + ": missing content for CA bundle \"client-ca::"
                    + bundle + "\""), listener.events());
            assertInstanceOf(Authenticated.class, authenticate(a, BOB));

            // Garbage, a truncated block, and a bundle of non-certificates: all kept out.
            for (String bad : List.of("not a certificate", "-----BEGIN CERTIFICATE-----\nMIIB", TestPki.privateKeyPem(TestPki.ecKey().getPrivate()),
                    "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n")) {
                listener.clear();
                TestPki.write(bundle, bad);
                assertFalse(a.reloadIfChanged());
                assertEquals(1, listener.eventsStartingWith("reloadFailed").size(), listener.events().toString());
                assertInstanceOf(Authenticated.class, authenticate(a, ALICE));
                assertInstanceOf(Authenticated.class, authenticate(a, BOB));
            }

            // Dropping a CA takes effect even for a client whose chain was cached.
            TestPki.write(bundle, TestPki.pem(CA_ONE.cert()));
            assertTrue(a.reloadIfChanged());
            assertEquals(RejectionReason.UNTRUSTED_CERTIFICATE, assertInstanceOf(Rejected.class, authenticate(a, BOB)).reason());
            assertInstanceOf(Authenticated.class, authenticate(a, ALICE));
        }
    }

    @Test
    void theWatcherPicksUpAChangeByItself() throws Exception {
        Path bundle = dir.resolve("watched.pem");
        Files.writeString(bundle, TestPki.pem(CA_ONE.cert()));
        try (X509Authenticator a = X509Authenticator.builder().clientCaFile(bundle)
                .reloadInterval(Duration.ofMillis(20)).build()) {
            assertInstanceOf(Rejected.class, authenticate(a, BOB));
            TestPki.write(bundle, TestPki.pem(CA_TWO.cert()));
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (!(authenticate(a, BOB) instanceof Authenticated) && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertInstanceOf(Authenticated.class, authenticate(a, BOB));
            assertInstanceOf(Rejected.class, authenticate(a, ALICE));
        }
    }

    @Test
    void aChainNeverStartsOnABrokenBundle() throws Exception {
        Path empty = Files.writeString(dir.resolve("empty.pem"), "");
        ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> X509Authenticator.builder().clientCaFile(empty).build());
        assertEquals(empty + ": missing content for CA bundle \"client-ca::" + empty + "\"", e.getMessage());

        Path keyOnly = Files.writeString(dir.resolve("key.pem"), TestPki.privateKeyPem(TestPki.ecKey().getPrivate()));
        ConfigurationException e2 = assertThrows(ConfigurationException.class,
                () -> X509Authenticator.builder().clientCaFile(keyOnly).build());
        assertTrue(e2.getMessage().endsWith("data does not contain any valid RSA or ECDSA certificates"), e2.getMessage());
        assertFalse(e2.getMessage().contains("PRIVATE KEY"), "an error must not quote key material");

        ConfigurationException missing = assertThrows(ConfigurationException.class,
                () -> X509Authenticator.builder().clientCaFile(dir.resolve("absent.pem")).build());
        assertTrue(missing.getMessage().contains("no such file"), missing.getMessage());
    }
}
