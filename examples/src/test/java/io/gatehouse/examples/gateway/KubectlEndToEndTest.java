package io.gatehouse.examples.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.gatehouse.core.testing.LogCapture;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** kubectl as the client, when it is on PATH: {@code kubectl auth whoami} against the gateway. */
class KubectlEndToEndTest {

    @TempDir
    static Path dir;

    static String kubectl;
    static DemoEnvironment demo;
    static GatewayMain.Running gateway;

    @BeforeAll
    static void start() throws Exception {
        kubectl = findOnPath("kubectl");
        if (kubectl == null) {
            System.out.println("KubectlEndToEndTest skipped: kubectl is not on PATH");
            return;
        }
        demo = DemoEnvironment.create(dir, Instant.now());
        LogCapture.secret(Files.readString(demo.tokenValueFile));
        LogCapture.secret(Files.readString(demo.bootstrapTokenFile));
        List<String> flags = new ArrayList<>(List.of("--bind-address=127.0.0.1", "--secure-port=0",
                "--tls-cert-file=" + demo.servingCert, "--tls-private-key-file=" + demo.servingKey,
                "--token-auth-file=" + demo.tokenFile, "--client-ca-file=" + demo.caFile,
                "--service-account-signing-key-file=" + demo.serviceAccountKey,
                "--service-account-issuer=" + DemoEnvironment.ISSUER,
                "--enable-bootstrap-token-auth", "--bootstrap-token-dir=" + demo.bootstrapDir));
        gateway = GatewayMain.start(GatewayFlags.parse(flags, java.util.Set.of(), new LinkedHashMap<>()));
        demo.writeKubeconfigs(gateway.port(), gateway.server().issuer());
    }

    @AfterAll
    static void stop() {
        if (gateway != null) {
            gateway.close();
        }
    }

    @Test
    void whoamiWithATokenKubeconfig() throws Exception {
        assumeTrue(kubectl != null, "kubectl is not on PATH");
        String out = run(kubectl, "--kubeconfig", demo.kubeconfigs.get(0).toString(), "auth", "whoami", "-o", "json");
        assertTrue(out.contains("\"username\": \"demo-viewer\""), out);
        assertTrue(out.contains("system:authenticated"), out);
    }

    @Test
    void whoamiWithABootstrapToken() throws Exception {
        assumeTrue(kubectl != null, "kubectl is not on PATH");
        String out = run(kubectl, "--kubeconfig", demo.kubeconfigs.get(1).toString(), "auth", "whoami", "-o", "json");
        assertTrue(out.contains("\"username\": \"system:bootstrap:"), out);
        assertTrue(out.contains("system:bootstrappers"), out);
    }

    @Test
    void whoamiWithAClientCertificate() throws Exception {
        assumeTrue(kubectl != null, "kubectl is not on PATH");
        String out = run(kubectl, "--kubeconfig", demo.kubeconfigs.get(2).toString(), "auth", "whoami", "-o", "json");
        assertTrue(out.contains("\"username\": \"demo-admin\""), out);
        assertTrue(out.contains("system:masters"), out);
    }

    @Test
    void createTokenThenWhoamiWithIt() throws Exception {
        assumeTrue(kubectl != null, "kubectl is not on PATH");
        String minted = run(kubectl, "--kubeconfig", demo.kubeconfigs.get(2).toString(), "create", "token", "ci-bot",
                "--namespace", "builds", "--duration", "15m").trim();
        LogCapture.secret(minted);
        Path sa = dir.resolve("minted.kubeconfig");
        Files.writeString(sa, Files.readString(demo.kubeconfigs.get(0)).replace(Files.readString(demo.tokenValueFile), minted));
        String out = run(kubectl, "--kubeconfig", sa.toString(), "auth", "whoami", "-o", "json");
        assertTrue(out.contains("\"username\": \"system:serviceaccount:builds:ci-bot\""), out);
        String pre = run(kubectl, "--kubeconfig", demo.kubeconfigs.get(3).toString(), "auth", "whoami", "-o", "json");
        assertTrue(pre.contains("system:serviceaccount:default:demo-builder"), pre);
    }

    @Test
    void aWrongTokenIsUnauthorized() throws Exception {
        assumeTrue(kubectl != null, "kubectl is not on PATH");
        Path bad = dir.resolve("bad.kubeconfig");
        Files.writeString(bad, Files.readString(demo.kubeconfigs.get(0))
                .replace(Files.readString(demo.tokenValueFile), "not-the-token"));
        ProcessBuilder pb = new ProcessBuilder(kubectl, "--kubeconfig", bad.toString(), "auth", "whoami").redirectErrorStream(true);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(1, p.exitValue(), out);
        assertTrue(out.contains("Unauthorized"), out);
    }

    static String run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "kubectl timed out");
        assertEquals(0, p.exitValue(), out);
        return out;
    }

    static String findOnPath(String tool) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path p = Path.of(d, tool);
            if (Files.isExecutable(p)) {
                return p.toString();
            }
        }
        return null;
    }
}
