package io.gatehouse.x509;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * A server-side trust manager that accepts whatever client chain is presented and leaves its judgement to
 * an {@link X509Authenticator}, as Kubernetes' API server does (Go's {@code tls.RequestClientCert}: the
 * handshake asks for a certificate but does not verify it; the authenticator does, per request, and a
 * refused certificate can still be outvoted by a bearer token).
 *
 * <p>The handshake still proves that the client holds the certificate's private key (TLS CertificateVerify).
 * {@link #getAcceptedIssuers()} advertises the current trust anchors, so clients pick a matching
 * certificate. Use it with {@code setWantClientAuth(true)} and hand {@code SSLSession.getPeerCertificates()}
 * to {@link io.gatehouse.core.AuthenticationRequest.Builder#peerCertificates}.
 *
 * <p>It never trusts servers: {@code checkServerTrusted} always throws.
 */
public final class DeferringTrustManager extends X509ExtendedTrustManager {

    private final Supplier<List<X509Certificate>> anchors;

    /** @param anchors the trust anchors to advertise, read at every handshake */
    public DeferringTrustManager(Supplier<List<X509Certificate>> anchors) {
        this.anchors = Objects.requireNonNull(anchors, "anchors");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {
        // Deferred to the authenticator.
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {
        // Deferred to the authenticator.
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        // Deferred to the authenticator.
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException("this trust manager judges no servers");
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        throw new CertificateException("this trust manager judges no servers");
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        throw new CertificateException("this trust manager judges no servers");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return anchors.get().toArray(new X509Certificate[0]);
    }
}
