package io.gatehouse.examples.gateway;

import java.io.IOException;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;

/** The serving side of TLS: the gateway's certificate, and client certificates requested but judged later. */
final class ServingTls {

    private ServingTls() {
    }

    static SSLContext context(List<X509Certificate> chain, PrivateKey key, List<X509Certificate> clientCas) {
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            char[] password = new char[0];
            ks.setKeyEntry("serving", key, password, chain.toArray(X509Certificate[]::new));
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, password);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf.getKeyManagers(), new TrustManager[] {new DeferToAuthenticator(clientCas)}, null);
            return ctx;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot set up TLS: " + e.getMessage(), e);
        }
    }

    /**
     * Accepts any client certificate in the handshake, as kube-apiserver does with its request-client-cert
     * mode: the x509 authenticator verifies the chain, so that a bad certificate is a rejection with a
     * reason (and a good bearer token can still authenticate) rather than a failed handshake. The client
     * CAs are advertised so that clients pick the right certificate.
     */
    private static final class DeferToAuthenticator extends X509ExtendedTrustManager {
        private final X509Certificate[] advertised;

        DeferToAuthenticator(List<X509Certificate> clientCas) {
            this.advertised = clientCas.toArray(X509Certificate[]::new);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws java.security.cert.CertificateException {
            throw new java.security.cert.CertificateException("a server does not verify servers");
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws java.security.cert.CertificateException {
            throw new java.security.cert.CertificateException("a server does not verify servers");
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws java.security.cert.CertificateException {
            throw new java.security.cert.CertificateException("a server does not verify servers");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return advertised.clone();
        }
    }
}
