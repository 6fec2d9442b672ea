package io.gatehouse.examples.gateway;

import io.gatehouse.core.ConfigurationException;
import io.gatehouse.core.internal.PemCertificates;
import io.gatehouse.serviceaccount.ServiceAccountKeys;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;

/**
 * PEM files as kube-apiserver reads and writes them: certificates, and PKCS#1, SEC1 or PKCS#8 private keys.
 * Reading goes through Gatehouse's one strict PEM reader; writing through BouncyCastle's PEM writer.
 */
final class Pem {

    private Pem() {
    }

    /** Every certificate of a PEM file, read by Gatehouse's one strict PEM reader. */
    static List<X509Certificate> readCertificates(Path file) throws IOException {
        try {
            return PemCertificates.parse(Files.readString(file, StandardCharsets.US_ASCII));
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": " + e.getMessage());
        }
    }

    /**
     * The first RSA or EC private key of a PEM file (PKCS#1, SEC1 or PKCS#8), read as kube-apiserver reads
     * {@code --tls-private-key-file}: with the same keyutil rules as service account signing keys, so with
     * {@link ServiceAccountKeys}.
     */
    static PrivateKey readPrivateKey(Path file) throws IOException {
        try {
            return ServiceAccountKeys.readSigningKey(file).getPrivate();
        } catch (ConfigurationException e) {
            throw new IOException(e.getMessage());
        }
    }

    /** PEM text of certificates and private keys (keys as PKCS#8 {@code PRIVATE KEY}, as kubeadm writes them). */
    static String write(Object... objects) {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter pem = new JcaPEMWriter(out)) {
            for (Object o : objects) {
                if (o instanceof PrivateKey key) {
                    pem.writeObject(new JcaPKCS8Generator(key, null));
                } else {
                    pem.writeObject(o);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }
}
