package io.gatehouse.examples.gateway;

import java.net.http.HttpClient;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** JDK HttpClients that trust the demo CA, with or without a client certificate. */
final class TestClients {

    private TestClients() {
    }

    /** A client that trusts only the CA in {@code caFile}. */
    static HttpClient trusting(Path caFile) throws Exception {
        return build(caFile, null, null);
    }

    /** A client that trusts the CA in {@code caFile} and presents {@code cert}. */
    static HttpClient presenting(Path caFile, X509Certificate cert, PrivateKey key) throws Exception {
        return build(caFile, cert, key);
    }

    /** A client that trusts the CA in {@code caFile} and prefers HTTP/2 (ALPN), as kubectl does. */
    static HttpClient http2(Path caFile) throws Exception {
        return HttpClient.newBuilder().sslContext(context(caFile, null, null)).version(HttpClient.Version.HTTP_2).build();
    }

    private static HttpClient build(Path caFile, X509Certificate cert, PrivateKey key) throws Exception {
        return HttpClient.newBuilder().sslContext(context(caFile, cert, key)).version(HttpClient.Version.HTTP_1_1).build();
    }

    /** A TLS context that trusts the CA in {@code caFile} and presents {@code cert} when not null. */
    static SSLContext context(Path caFile, X509Certificate cert, PrivateKey key) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", Pem.readCertificates(caFile).get(0));
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        KeyManagerFactory kmf = null;
        if (cert != null) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry("client", key, new char[0], new Certificate[] {cert});
            kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, new char[0]);
        }
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return tls;
    }
}
