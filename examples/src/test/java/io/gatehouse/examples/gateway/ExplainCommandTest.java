package io.gatehouse.examples.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gatehouse.core.testing.LogCapture;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code gateway.jar explain}: every authenticator's verdict and reason for one credential. */
class ExplainCommandTest {

    @TempDir
    Path dir;

    private String explain(List<String> args, int expectedStatus) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = GatewayMain.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), new CountDownLatch(0));
        String text = out.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8);
        assertEquals(expectedStatus, code, text);
        return text;
    }

    @Test
    void explainsATokenAcrossTheChain() throws Exception {
        DemoEnvironment demo = DemoEnvironment.create(dir, Instant.now());
        String token = LogCapture.secret(Files.readString(demo.tokenValueFile));
        List<String> flags = List.of("explain", "--client-ca-file=" + demo.caFile, "--token-auth-file=" + demo.tokenFile,
                "--enable-bootstrap-token-auth", "--bootstrap-token-dir=" + demo.bootstrapDir);

        String good = explain(concat(flags, "--token", token), 0);
        assertTrue(good.contains("x509: abstained"), good);
        assertTrue(good.contains("token-file: authenticated as demo-viewer"), good);
        assertTrue(good.contains("bootstrap: abstained"), good);
        assertTrue(good.contains("=> authenticated as demo-viewer"), good);
        assertFalse(good.contains(token), "explain never prints the credential");

        String forged = explain(concat(flags, "--token", "abcdef.0123456789abcdef"), 1);
        assertTrue(forged.contains("bootstrap: rejected (NOT_FOUND) No secret of name bootstrap-token-abcdef"), forged);

        String cert = explain(concat(flags, "--cert", demo.clientCert.toString()), 0);
        assertTrue(cert.contains("x509: authenticated as demo-admin"), cert);
    }

    @Test
    void explainNeedsACredential() throws Exception {
        String text = explain(List.of("explain", "--anonymous-auth"), 2);
        assertTrue(text.contains("explain needs --token T or --cert FILE"), text);
    }

    private static List<String> concat(List<String> a, String... more) {
        List<String> all = new java.util.ArrayList<>(a);
        all.addAll(List.of(more));
        return all;
    }
}
