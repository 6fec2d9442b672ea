package io.gatehouse.examples.gateway;

import io.gatehouse.bootstrap.BootstrapTokenDirectory;
import io.gatehouse.bootstrap.BootstrapTokenGenerator;
import io.gatehouse.bootstrap.GeneratedBootstrapToken;
import io.gatehouse.core.AuthenticationListener;
import io.gatehouse.serviceaccount.ServiceAccountTokenIssuer;
import io.gatehouse.serviceaccount.TokenRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The no-flags demo: a throwaway CA, a serving certificate for 127.0.0.1, a client certificate for a demo
 * admin, a token file, and a kubeconfig for each credential, all in a fresh temporary directory.
 */
final class DemoEnvironment {

    static final String ADMIN = "demo-admin";
    static final String VIEWER = "demo-viewer";

    final Path directory;
    final Path caFile;
    final Path servingCert;
    final Path servingKey;
    final Path clientCert;
    final Path clientKey;
    final Path tokenFile;
    final Path tokenValueFile;
    final Path serviceAccountKey;
    final Path bootstrapDir;
    final Path bootstrapTokenFile;
    final List<Path> kubeconfigs = new ArrayList<>();

    private DemoEnvironment(Path directory) {
        this.directory = directory;
        this.caFile = directory.resolve("ca.crt");
        this.servingCert = directory.resolve("serving.crt");
        this.servingKey = directory.resolve("serving.key");
        this.clientCert = directory.resolve("admin.crt");
        this.clientKey = directory.resolve("admin.key");
        this.tokenFile = directory.resolve("tokens.csv");
        this.tokenValueFile = directory.resolve("viewer.token");
        this.serviceAccountKey = directory.resolve("service-account.key");
        this.bootstrapDir = directory.resolve("bootstrap-tokens");
        this.bootstrapTokenFile = directory.resolve("bootstrap.token");
    }

    static DemoEnvironment create(Path directory, Instant now) throws IOException {
        DemoEnvironment d = new DemoEnvironment(directory);
        Certificates.Issued ca = Certificates.certificateAuthority("gatehouse-demo-ca", now, Duration.ofDays(2));
        Certificates.Issued serving = Certificates.server(ca, List.of("127.0.0.1", "localhost"), now, Duration.ofDays(1));
        Certificates.Issued admin = Certificates.client(ca, ADMIN, List.of("system:masters"), now, Duration.ofDays(1));
        writePrivate(d.caFile, Pem.write(ca.certificate()));
        writePrivate(d.servingCert, Pem.write(serving.certificate()));
        writePrivate(d.servingKey, Pem.write(serving.keys().getPrivate()));
        writePrivate(d.clientCert, Pem.write(admin.certificate()));
        writePrivate(d.clientKey, Pem.write(admin.keys().getPrivate()));
        String token = randomToken();
        writePrivate(d.tokenValueFile, token);
        writePrivate(d.tokenFile, token + "," + VIEWER + ",1001,\"demo:viewers\"\n");
        Files.createDirectories(d.bootstrapDir);
        GeneratedBootstrapToken bootstrap = BootstrapTokenGenerator.builder().ttl(Duration.ofHours(24))
                .description("gatehouse demo").build().generate();
        try (BootstrapTokenDirectory secrets = BootstrapTokenDirectory.builder(d.bootstrapDir)
                .listener(AuthenticationListener.NONE).reloadInterval(Duration.ZERO).build()) {
            secrets.write(bootstrap.secret());
        }
        writePrivate(d.bootstrapTokenFile, bootstrap.token());
        writePrivate(d.serviceAccountKey, Pem.write(Certificates.ecKeyPair().getPrivate()));
        return d;
    }

    /** The service account issuer of the demo (any URL will do: the gateway verifies its own tokens). */
    static final String ISSUER = "https://gatehouse.demo";
    static final String BUILDER = "demo-builder";

    /** Writes kubeconfigs for the server at {@code port}; call once the port is known. */
    void writeKubeconfigs(int port) throws IOException {
        writeKubeconfigs(port, null);
    }

    /** As {@link #writeKubeconfigs(int)}, plus one with a service account token from {@code issuer} when given. */
    void writeKubeconfigs(int port, ServiceAccountTokenIssuer issuer) throws IOException {
        String server = "https://127.0.0.1:" + port;
        Path token = directory.resolve("token.kubeconfig");
        writePrivate(token, kubeconfig(server, "viewer", "    token: " + Files.readString(tokenValueFile) + "\n"));
        kubeconfigs.add(token);
        Path bootstrap = directory.resolve("bootstrap.kubeconfig");
        writePrivate(bootstrap, kubeconfig(server, "bootstrap", "    token: " + Files.readString(bootstrapTokenFile) + "\n"));
        kubeconfigs.add(bootstrap);
        Path cert = directory.resolve("admin.kubeconfig");
        writePrivate(cert, kubeconfig(server, "admin", "    client-certificate: " + clientCert + "\n"
                + "    client-key: " + clientKey + "\n"));
        kubeconfigs.add(cert);
        if (issuer != null) {
            String uid = TokenRequestEndpoint.serviceAccountUid("default", BUILDER);
            String minted = issuer.issue(TokenRequest.forServiceAccount("default", BUILDER, uid)).token();
            Path sa = directory.resolve("service-account.kubeconfig");
            writePrivate(sa, kubeconfig(server, BUILDER, "    token: " + minted + "\n"));
            kubeconfigs.add(sa);
        }
    }

    private String kubeconfig(String server, String user, String credentials) throws IOException {
        String caData = Base64.getEncoder().encodeToString(Files.readAllBytes(caFile));
        return "apiVersion: v1\nkind: Config\n"
                + "clusters:\n- name: gatehouse-demo\n  cluster:\n    server: " + server + "\n"
                + "    certificate-authority-data: " + caData + "\n"
                + "users:\n- name: " + user + "\n  user:\n" + credentials
                + "contexts:\n- name: " + user + "@gatehouse-demo\n  context:\n    cluster: gatehouse-demo\n    user: " + user + "\n"
                + "current-context: " + user + "@gatehouse-demo\n";
    }

    private static String randomToken() {
        byte[] b = new byte[24];
        new SecureRandom().nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    /** Demo credentials are still credentials: readable by their owner only. */
    static void writePrivate(Path file, String content) throws IOException {
        Files.writeString(file, content);
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException notPosix) {
            // Windows: the temporary directory is already per-user.
        }
    }
}
