package io.gatehouse.x509;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** The shared corpora beside the repository (../shared/corpora), and helpers to read them. */
final class Fixtures {

    private Fixtures() {
    }

    /** The corpora directory; the calling test is skipped, with the reason printed, when it is absent. */
    static Path corpora() {
        Path p = Path.of(System.getProperty("gatehouse.repoRoot", "."), "..", "shared", "corpora").toAbsolutePath().normalize();
        if (!Files.isDirectory(p)) {
            System.out.println("SKIPPED: shared corpora not found at " + p);
        }
        assumeTrue(Files.isDirectory(p), "shared corpora not found at " + p);
        return p;
    }

    static Path k8s(String file) {
        Path p = corpora().resolve("k8s/x509").resolve(file);
        assumeTrue(Files.isRegularFile(p), "missing fixture " + p);
        return p;
    }

    static X509Certificate k8sCert(String file) {
        return cert(k8s(file));
    }

    static X509Certificate cert(Path file) {
        List<X509Certificate> all = certs(file);
        return all.get(0);
    }

    static List<X509Certificate> certs(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            Collection<? extends java.security.cert.Certificate> cs = Certificates.factory().generateCertificates(in);
            List<X509Certificate> out = new ArrayList<>();
            for (java.security.cert.Certificate c : cs) {
                out.add((X509Certificate) c);
            }
            return out;
        } catch (IOException | CertificateException e) {
            throw new AssertionError("cannot read " + file, e);
        }
    }

    static X509Certificate fromPem(String pem) {
        try {
            return (X509Certificate) Certificates.factory()
                    .generateCertificate(new java.io.ByteArrayInputStream(pem.getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
        } catch (CertificateException e) {
            throw new AssertionError("bad PEM", e);
        }
    }
}
