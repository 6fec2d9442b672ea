package io.gatehouse.examples.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatehouse.core.AuthenticationListener;
import io.gatehouse.core.AuthenticationRequest;
import io.gatehouse.core.AuthenticationResult;
import io.gatehouse.core.ConfigurationException;
import io.gatehouse.core.Explanation;
import io.gatehouse.core.RejectionReason;
import io.gatehouse.core.internal.GoText;
import io.gatehouse.core.spi.ProviderSettings;
import io.gatehouse.micrometer.GatehouseMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;

/**
 * {@code java -jar gateway.jar} — a kube-style authentication gateway.
 *
 * <ul>
 *   <li>no arguments: a demo on throwaway credentials, with the commands to try printed;</li>
 *   <li>kube-apiserver flags ({@code --client-ca-file}, {@code --token-auth-file}, …): serve as configured;</li>
 *   <li>{@code explain [flags] --token T | --cert F}: print every authenticator's verdict and reason.</li>
 * </ul>
 * Unknown or conflicting flags print one line and exit with status 2 before anything listens.
 */
public final class GatewayMain {

    private GatewayMain() {
    }

    public static void main(String[] args) throws Exception {
        CountDownLatch stop = new CountDownLatch(1);
        CountDownLatch stopped = new CountDownLatch(1);
        // SIGTERM and Ctrl-C: stop accepting, let in-flight requests finish (--shutdown-timeout), then exit.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stop.countDown();
            try {
                stopped.await(10, TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "gateway-shutdown"));
        int code;
        try {
            code = run(Arrays.asList(args), System.out, System.err, stop);
        } finally {
            stopped.countDown();
        }
        if (code != 0) {
            System.exit(code);
        }
    }

    /** Runs the gateway; blocks until {@code stop} counts down when serving. Returns the exit status. */
    static int run(List<String> args, PrintStream out, PrintStream err, CountDownLatch stop) throws Exception {
        try {
            if (!args.isEmpty() && args.get(0).equals("explain")) {
                return explain(args.subList(1, args.size()), out);
            }
            if (args.isEmpty()) {
                return demo(out, stop);
            }
            GatewayOptions options = GatewayFlags.parse(args, Set.of(), new LinkedHashMap<>());
            try (Running r = start(options)) {
                out.println("gatehouse gateway listening on https://" + options.bindAddress() + ":" + r.port());
                stop.await();
            }
            return 0;
        } catch (GatewayFlags.FlagException e) {
            err.println("gateway: " + e.getMessage());
            return 2;
        } catch (ConfigurationException | IOException e) {
            err.println("gateway: " + e.getMessage());
            return 1;
        }
    }

    /** A started gateway. */
    record Running(GatewayServer server, int port) implements AutoCloseable {
        @Override
        public void close() {
            server.close();
        }
    }

    static Running start(GatewayOptions o) throws IOException, GatewayFlags.FlagException {
        Clock clock = Clock.systemUTC();
        List<X509Certificate> chain;
        PrivateKey key;
        if (o.tlsCertFile() != null) {
            chain = Pem.readCertificates(o.tlsCertFile());
            key = Pem.readPrivateKey(o.tlsPrivateKeyFile());
        } else {
            // As kube-apiserver without --tls-cert-file: a self-signed serving certificate.
            Certificates.Issued self = Certificates.certificateAuthority("gatehouse-self-signed", clock.instant(), Duration.ofDays(365));
            chain = List.of(self.certificate());
            key = self.keys().getPrivate();
        }
        // Every event is counted for /metrics and then logged, as before.
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        ChainFactory.Chains chains = ChainFactory.build(o, clock,
                GatehouseMetrics.listener(registry, AuthenticationListener.logging()));
        SSLContext tls = ServingTls.context(chain, key, chains.clientTrust());
        AuditLog audit = AuditLog.open(o.auditLogPath(), clock);
        GatewayServer server = new GatewayServer(o, chains, tls, audit, registry);
        return new Running(server, server.start());
    }

    private static int demo(PrintStream out, CountDownLatch stop) throws Exception {
        Path dir = Files.createTempDirectory("gatehouse-demo-");
        DemoEnvironment demo = DemoEnvironment.create(dir, Clock.systemUTC().instant());
        List<String> flags = new ArrayList<>(List.of(
                "--bind-address=127.0.0.1", "--secure-port=" + demoPort(),
                "--tls-cert-file=" + demo.servingCert, "--tls-private-key-file=" + demo.servingKey,
                "--client-ca-file=" + demo.caFile, "--token-auth-file=" + demo.tokenFile,
                "--enable-bootstrap-token-auth", "--bootstrap-token-dir=" + demo.bootstrapDir,
                "--service-account-signing-key-file=" + demo.serviceAccountKey,
                "--service-account-issuer=" + DemoEnvironment.ISSUER,
                "--audit-log-path=" + dir.resolve("audit.log")));
        GatewayOptions options = GatewayFlags.parse(flags, Set.of(), new LinkedHashMap<>());
        try (Running r = start(options)) {
            demo.writeKubeconfigs(r.port(), r.server().issuer());
            String url = "https://127.0.0.1:" + r.port();
            out.println("Gatehouse demo gateway on " + url + " (throwaway credentials in " + dir + ")");
            out.println();
            out.println("Try:");
            out.println("  curl --cacert " + demo.caFile + " -H \"Authorization: Bearer $(cat " + demo.tokenValueFile + ")\" \\");
            out.println("       -X POST " + url + GatewayServer.SELF_SUBJECT_REVIEWS);
            out.println("  curl --cacert " + demo.caFile + " --cert " + demo.clientCert + " --key " + demo.clientKey
                    + " -X POST " + url + GatewayServer.SELF_SUBJECT_REVIEWS);
            for (Path kubeconfig : demo.kubeconfigs) {
                out.println("  kubectl --kubeconfig " + kubeconfig + " auth whoami");
            }
            out.println("  kubectl --kubeconfig " + demo.directory.resolve("admin.kubeconfig") + " create token "
                    + DemoEnvironment.BUILDER + "   # TokenRequest, as system:masters");
            out.println("  curl --cacert " + demo.caFile + " " + url + "/openid/v1/jwks   # the issuer's keys, public");
            out.println("  curl --cacert " + demo.caFile + " -H \"Authorization: Bearer wrong\" " + url + "/version   # 401");
            out.println("  curl --cacert " + demo.caFile + " -H \"Authorization: Bearer $(cat " + demo.tokenValueFile + ")\" "
                    + url + "/metrics   # Prometheus metrics");
            out.println("  curl --cacert " + demo.caFile + " " + url + "/readyz?verbose   # probes need no credential");
            out.println();
            out.println("Audit log: " + dir.resolve("audit.log") + ". Stop with Ctrl-C.");
            out.flush();
            stop.await();
        }
        return 0;
    }

    /** 6443 as kube-apiserver, or GATEHOUSE_DEMO_PORT (0 picks a free port). */
    private static String demoPort() {
        String p = System.getenv("GATEHOUSE_DEMO_PORT");
        return p == null || p.isBlank() ? "6443" : p;
    }

    /** How long explain waits, by default, for OIDC issuers' first key fetch before it judges. */
    static final Duration DEFAULT_KEY_WAIT = Duration.ofSeconds(10);

    private static int explain(List<String> args, PrintStream out) throws Exception {
        Map<String, String> extras = new LinkedHashMap<>();
        GatewayOptions o = GatewayFlags.parse(args, Set.of("token", "cert", "key-wait"), extras);
        if (!extras.containsKey("token") && !extras.containsKey("cert")) {
            throw new GatewayFlags.FlagException("explain needs --token T or --cert FILE");
        }
        String waitFlag = extras.get("key-wait");
        Duration keyWait = waitFlag == null ? DEFAULT_KEY_WAIT : ProviderSettings.parseDuration(waitFlag)
                .filter(d -> !d.isNegative()).orElseThrow(() -> new GatewayFlags.FlagException(
                        "invalid argument \"" + waitFlag + "\" for --key-wait: a Go duration such as 10s"));
        AuthenticationRequest.Builder request = AuthenticationRequest.builder();
        if (extras.containsKey("token")) {
            request.header("Authorization", "Bearer " + extras.get("token"));
        }
        if (extras.containsKey("cert")) {
            request.peerCertificates(Pem.readCertificates(Path.of(extras.get("cert"))));
        }
        try (ChainFactory.Chains chains = ChainFactory.build(o, Clock.systemUTC(), AuthenticationListener.NONE)) {
            AuthenticationRequest r = request.build();
            Explanation e = chains.requests().explain(r);
            // Keys load in the background: right after start an issuer's tokens are "not initialized". Wait
            // (bounded) for the first fetches before judging, and name the issuers that never answered.
            if (!notInitialized(e).isEmpty()) {
                String issuer = unverifiedIssuer(extras.get("token"));
                out.println("waiting up to " + keyWait.toSeconds() + "s for the first key fetch of "
                        + String.join(", ", notInitialized(e)) + issuer);
                long deadline = System.nanoTime() + keyWait.toNanos();
                while (!notInitialized(e).isEmpty() && System.nanoTime() < deadline) {
                    Thread.sleep(100);
                    e = chains.requests().explain(r);
                }
                for (String authenticator : notInitialized(e)) {
                    out.println(authenticator + issuer + " has no keys after " + keyWait.toSeconds()
                            + "s: the issuer never answered (--key-wait sets the wait)");
                }
            }
            out.println(e.render());
            return e.outcome().isAuthenticated() ? 0 : 1;
        }
    }

    /** The authenticators still waiting for their first keys. */
    private static List<String> notInitialized(Explanation e) {
        List<String> waiting = new ArrayList<>();
        for (Explanation.Verdict v : e.verdicts()) {
            if (v.result() instanceof AuthenticationResult.Rejected rej
                    && rej.reason() == RejectionReason.NOT_INITIALIZED) {
                waiting.add(v.authenticator());
            }
        }
        return waiting;
    }

    /**
     * " (issuer \"…\")" from the token's unverified {@code iss} claim, for the message only (an issuer URL is not a
     * secret; the token itself is never printed); empty when the token is not a readable JWT.
     */
    static String unverifiedIssuer(String token) {
        if (token == null) {
            return "";
        }
        String[] parts = token.split("\\.", -1);
        if (parts.length != 3) {
            return "";
        }
        try {
            JsonNode claims = WireJson.readObject(Base64.getUrlDecoder().decode(parts[1]));
            String iss = WireJson.string(claims, "iss");
            return iss == null || iss.isEmpty() ? "" : " (issuer " + GoText.quote(iss) + ")";
        } catch (RuntimeException notJson) {
            return "";
        }
    }
}
