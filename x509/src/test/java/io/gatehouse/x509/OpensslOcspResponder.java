package io.gatehouse.x509;

import io.gatehouse.testing.TestPki;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real OCSP responder: {@code openssl ocsp -index ... -port 0}, started and stopped by the test, listening on
 * the port it prints. Its database is an openssl CA index file written from the certificates given.
 */
final class OpensslOcspResponder implements AutoCloseable {

    private static final DateTimeFormatter INDEX_TIME = DateTimeFormatter.ofPattern("yyMMddHHmmss'Z'").withZone(ZoneOffset.UTC);

    private final Process process;
    private final int port;

    private OpensslOcspResponder(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** Null when openssl can be run, else why not. */
    static String unavailableReason() {
        try {
            Process p = new ProcessBuilder("openssl", "version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return "openssl version did not finish";
            }
            return p.exitValue() == 0 ? null : "openssl version exited with " + p.exitValue();
        } catch (IOException e) {
            return "openssl is not on PATH (" + e.getMessage() + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    /**
     * Starts a responder for certificates issued by {@code ca}, signing with {@code signer} (the CA itself or a
     * delegated OCSP responder), answering with a nextUpdate {@code nextUpdateMinutes} ahead (0: none).
     */
    static OpensslOcspResponder start(Path dir, TestPki.Issued ca, TestPki.Issued signer, List<X509Certificate> good,
                                      List<X509Certificate> revoked, int nextUpdateMinutes) throws IOException {
        Path index = dir.resolve("index.txt");
        List<String> lines = new ArrayList<>();
        for (X509Certificate c : good) {
            lines.add("V\t" + INDEX_TIME.format(c.getNotAfter().toInstant()) + "\t\t" + serial(c) + "\tunknown\t/CN=serial-" + serial(c));
        }
        for (X509Certificate c : revoked) {
            lines.add("R\t" + INDEX_TIME.format(c.getNotAfter().toInstant()) + "\t"
                    + INDEX_TIME.format(Instant.now().minusSeconds(3600)) + ",keyCompromise\t" + serial(c) + "\tunknown\t/CN=serial-" + serial(c));
        }
        Files.write(index, lines, StandardCharsets.US_ASCII);
        Path caFile = Files.writeString(dir.resolve("ocsp-ca.pem"), TestPki.pem(ca.cert()));
        Path signerFile = Files.writeString(dir.resolve("ocsp-signer.pem"), TestPki.pem(signer.cert()));
        Path keyFile = Files.writeString(dir.resolve("ocsp-signer.key"), TestPki.privateKeyPem(signer.key()));
        List<String> cmd = new ArrayList<>(List.of("openssl", "ocsp", "-index", index.toString(), "-port", "0",
                "-rsigner", signerFile.toString(), "-rkey", keyFile.toString(), "-CA", caFile.toString()));
        if (nextUpdateMinutes > 0) {
            cmd.addAll(List.of("-nmin", String.valueOf(nextUpdateMinutes)));
        }
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        long deadline = System.nanoTime() + 20_000_000_000L;
        String line;
        int port = -1;
        StringBuilder transcript = new StringBuilder();
        while ((line = out.readLine()) != null && System.nanoTime() < deadline) {
            transcript.append(line).append(" | ");
            if (line.startsWith("ACCEPT ")) {
                port = Integer.parseInt(line.replaceAll(".*:(\\d+).*", "$1"));
            }
            if (port > 0 && line.contains("waiting for OCSP client connections")) {
                Thread drain = new Thread(() -> {
                    try {
                        String l;
                        while ((l = out.readLine()) != null) {
                            // keep the pipe empty; openssl reports problems here
                            if (Boolean.getBoolean("gatehouse.debug")) {
                                System.err.println("openssl ocsp: " + l);
                            }
                        }
                    } catch (IOException e) {
                        // the responder stopped
                    }
                }, "openssl-ocsp-output");
                drain.setDaemon(true);
                drain.start();
                return new OpensslOcspResponder(p, port);
            }
        }
        p.destroyForcibly();
        throw new IOException("openssl ocsp did not start: " + transcript);
    }

    private static String serial(X509Certificate c) {
        String hex = c.getSerialNumber().toString(16).toUpperCase(java.util.Locale.ROOT);
        return hex.length() % 2 == 0 ? hex : "0" + hex;
    }

    /** The responder's URL on the loopback address. */
    URI url() {
        return URI.create("http://127.0.0.1:" + port + "/");
    }

    /** Stops the responder (the process this test started) and waits for it to end. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
