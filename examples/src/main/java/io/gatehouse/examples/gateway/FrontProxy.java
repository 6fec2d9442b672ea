package io.gatehouse.examples.gateway;

import io.gatehouse.core.AuthenticationListener;
import io.gatehouse.core.ConfigurationException;
import io.gatehouse.x509.DeferringTrustManager;
import io.gatehouse.x509.RequestHeaderAuthenticator;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The gateway in a chain of proxies: the request-header authenticator built from kube-apiserver's flags (with
 * kube-apiserver's startup checks), the TLS trust that advertises its CA to clients, and the client TLS context
 * with which {@code --upstream} is shown the proxy client certificate.
 */
final class FrontProxy {

    private FrontProxy() {
    }

    /** The request-header authenticator the flags describe, or null without {@code --requestheader-client-ca-file}. */
    static RequestHeaderAuthenticator requestHeader(GatewayOptions options, Clock clock, AuthenticationListener listener)
            throws GatewayFlags.FlagException {
        FrontProxyOptions o = options.frontProxy();
        if (o.requestheaderClientCaFile() == null) {
            return null;
        }
        if (options.clientCaFile() != null && o.allowedNames().isEmpty()
                && overlap(options.clientCaFile(), o.requestheaderClientCaFile())) {
            // kube-apiserver's own wording.
            throw new GatewayFlags.FlagException("--requestheader-client-ca-file and --client-ca-file contain overlapping "
                    + "certificates; --requestheader-allowed-names must be specified to ensure regular client certificates "
                    + "cannot set authenticating proxy headers for arbitrary users");
        }
        try {
            // kube-apiserver's flags have no header defaults: exactly the lists given.
            return RequestHeaderAuthenticator.builder().clientCaFile(o.requestheaderClientCaFile())
                    .allowedNames(o.allowedNames()).usernameHeaders(o.usernameHeaders()).uidHeaders(o.uidHeaders())
                    .groupHeaders(o.groupHeaders()).extraHeaderPrefixes(o.extraHeadersPrefix())
                    .clock(clock).listener(listener).build();
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new GatewayFlags.FlagException(e.getMessage());
        } catch (ConfigurationException e) {
            throw new GatewayFlags.FlagException("--requestheader-client-ca-file: " + e.getMessage());
        }
    }

    /** Client certificates requested in the handshake may chain to the client CA or to the front-proxy CA. */
    static DeferringTrustManager clientTrust(DeferringTrustManager clientCa, RequestHeaderAuthenticator requestHeader) {
        return new DeferringTrustManager(() -> {
            List<X509Certificate> all = new ArrayList<>(Arrays.asList(clientCa.getAcceptedIssuers()));
            all.addAll(requestHeader.trustAnchors());
            return all;
        });
    }

    /**
     * The TLS context for {@code --upstream}: the proxy client certificate and key when given, and the upstream CA
     * bundle when given (else the JVM's trust store); null when neither is set.
     */
    static SSLContext upstreamTls(FrontProxyOptions o) throws IOException {
        if (o.proxyClientCertFile() == null && o.upstreamCaFile() == null) {
            return null;
        }
        try {
            KeyManagerFactory kmf = null;
            if (o.proxyClientCertFile() != null) {
                List<X509Certificate> chain = Pem.readCertificates(o.proxyClientCertFile());
                PrivateKey key = Pem.readPrivateKey(o.proxyClientKeyFile());
                KeyStore ks = KeyStore.getInstance("PKCS12");
                ks.load(null, null);
                char[] password = new char[0];
                ks.setKeyEntry("proxy-client", key, password, chain.toArray(X509Certificate[]::new));
                kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(ks, password);
            }
            TrustManagerFactory tmf = null;
            if (o.upstreamCaFile() != null) {
                KeyStore trust = KeyStore.getInstance("PKCS12");
                trust.load(null, null);
                int i = 0;
                for (X509Certificate ca : Pem.readCertificates(o.upstreamCaFile())) {
                    trust.setCertificateEntry("upstream-ca-" + i++, ca);
                }
                tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                tmf.init(trust);
            }
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf == null ? null : kmf.getKeyManagers(), tmf == null ? null : tmf.getTrustManagers(), null);
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot set up TLS to --upstream: " + e.getMessage(), e);
        }
    }

    private static boolean overlap(Path clientCa, Path requestHeaderCa) throws GatewayFlags.FlagException {
        try {
            List<byte[]> a = new ArrayList<>();
            for (X509Certificate c : Pem.readCertificates(clientCa)) {
                a.add(c.getEncoded());
            }
            for (X509Certificate c : Pem.readCertificates(requestHeaderCa)) {
                byte[] der = c.getEncoded();
                for (byte[] other : a) {
                    if (Arrays.equals(der, other)) {
                        return true;
                    }
                }
            }
            return false;
        } catch (IOException | CertificateEncodingException e) {
            throw new GatewayFlags.FlagException("cannot compare --client-ca-file and --requestheader-client-ca-file: "
                    + e.getMessage());
        }
    }
}
