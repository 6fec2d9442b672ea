package io.gatehouse.examples.gateway;

import io.gatehouse.kubernetes.KubernetesApiHealth;
import io.gatehouse.oidc.IssuerHealth;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /healthz}, {@code /livez} and {@code /readyz}, answered as kube-apiserver answers them: {@code ok} (200)
 * when every check passes; with {@code ?verbose} one line per check ({@code [+]name ok}, {@code [-]name failed:
 * reason withheld}) and a last line; 500 when a check fails. The reason of a failed check goes to the log only, never
 * to the caller (an issuer URL is the operator's business). {@code /healthz} and {@code /livez} check that the server
 * answers; {@code /readyz} also checks what the gateway needs to judge credentials: each OIDC issuer has keys, the
 * Kubernetes API's caches are synced and fresh.
 */
final class HealthEndpoint {

    private static final Logger LOG = LoggerFactory.getLogger(HealthEndpoint.class);

    /** The paths served, kube-apiserver's. */
    static final List<String> PATHS = List.of("/healthz", "/livez", "/readyz");

    /**
     * One named check.
     *
     * @param name    the check's name in verbose output
     * @param problem what is wrong now, or null when the check passes
     */
    record Check(String name, Supplier<String> problem) {
        Check {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(problem, "problem");
        }
    }

    private static final Check PING = new Check("ping", () -> null);

    private final List<Check> readiness;

    HealthEndpoint(List<Check> readiness) {
        this.readiness = List.copyOf(readiness);
    }

    /** The OIDC issuers' key state: ready once every issuer can verify tokens. */
    static Check oidc(Supplier<List<IssuerHealth>> health) {
        return new Check("oidc-issuers", () -> {
            for (IssuerHealth h : health.get()) {
                if (h.problem() != null) {
                    return h.problem();
                }
            }
            return null;
        });
    }

    /** The Kubernetes API's informer caches: ready once synced and not stale. */
    static Check kubernetes(Supplier<KubernetesApiHealth> health) {
        return new Check("kubernetes-api", () -> {
            KubernetesApiHealth h = health.get();
            return h.ready() ? null : String.join("; ", h.problems());
        });
    }

    /** Whether this endpoint serves {@code path}. */
    static boolean serves(String path) {
        return PATHS.contains(path);
    }

    void serve(Exchange ex) {
        String path = ex.path();
        List<Check> checks = new ArrayList<>();
        checks.add(PING);
        if (path.equals("/readyz")) {
            checks.addAll(readiness);
        }
        String query = ex.rawQuery();
        boolean verbose = query != null && List.of(query.split("&")).contains("verbose");
        StringBuilder body = new StringBuilder();
        boolean failed = false;
        for (Check c : checks) {
            String problem;
            try {
                problem = c.problem().get();
            } catch (RuntimeException e) {
                problem = e.getClass().getSimpleName();
            }
            if (problem == null) {
                body.append("[+]").append(c.name()).append(" ok\n");
            } else {
                failed = true;
                LOG.info("{} check {} failed: {}", path, c.name(), problem);
                body.append("[-]").append(c.name()).append(" failed: reason withheld\n");
            }
        }
        String name = path.substring(1);
        String text;
        if (failed) {
            text = body + name + " check failed\n";
        } else if (verbose) {
            text = body + name + " check passed\n";
        } else {
            text = "ok";
        }
        ex.setResponseHeader("X-Content-Type-Options", "nosniff");
        ex.send(failed ? 500 : 200, "text/plain; charset=utf-8", text);
    }
}
