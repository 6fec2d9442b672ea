package io.gatehouse.webhook;

import io.gatehouse.testing.TestPki;
import java.nio.file.Path;

/** The tests' shared PKI: one CA for servers and clients, a client certificate, and a CA nobody trusts. */
final class Fixture {

    static final TestPki.Issued PKI = TestPki.ca("gatehouse-test-ca", java.time.Instant.now());
    static final TestPki.Issued OTHER = TestPki.ca("untrusted-ca", java.time.Instant.now());
    static final TestPki.Issued CLIENT = client("gatehouse-client", false);

    /** A client certificate from {@link #PKI} with common name {@code cn}, of an RSA key when {@code rsa}. */
    static TestPki.Issued client(String cn, boolean rsa) {
        return TestPki.cert("CN=" + cn).issuer(PKI).keys(rsa ? TestPki.rsaKey() : TestPki.ecKey()).clientAuth().issue();
    }

    private Fixture() {
    }

    /** A server that requires a client certificate from {@link #PKI}. */
    static ReviewServer server() throws Exception {
        return new ReviewServer(PKI, PKI);
    }

    /** A mutual-TLS kubeconfig for {@code server}. */
    static Path kubeconfig(ReviewServer server, Path dir) throws Exception {
        return server.kubeconfig(dir, PKI, CLIENT, null);
    }

    /** A TokenReview answer of {@code version} with the given status object. */
    static ReviewServer.Answer review(String version, String statusJson) {
        return ReviewServer.Answer.json(200, "{\"apiVersion\":\"authentication.k8s.io/" + version
                + "\",\"kind\":\"TokenReview\",\"status\":" + statusJson + "}");
    }

    /** Retries without noticeable pauses, as Kubernetes' tests use (1 ms, factor 1.5, jitter 0.2, 5 steps). */
    static final WebhookTokenAuthenticator.Backoff FAST = new WebhookTokenAuthenticator.Backoff(
            java.time.Duration.ofMillis(1), 1.5, 0.2, 5);
}
