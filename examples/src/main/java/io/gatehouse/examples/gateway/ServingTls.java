package io.gatehouse.examples.gateway;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/** The serving side of TLS: the gateway's certificate and what to do with client certificates. */
final class ServingTls {

    private ServingTls() {
    }

    /**
     * A server context with the serving chain and {@code clientTrust}, which decides what happens to client
     * certificates in the handshake (the gateway passes x509's {@code DeferringTrustManager}: requested,
     * judged later by the authenticator).
     */
    static SSLContext context(List<X509Certificate> chain, PrivateKey key, X509TrustManager clientTrust) {
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            char[] password = new char[0];
            ks.setKeyEntry("serving", key, password, chain.toArray(X509Certificate[]::new));
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, password);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf.getKeyManagers(), new TrustManager[] {clientTrust}, null);
            return ctx;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot set up TLS: " + e.getMessage(), e);
        }
    }
}
