package io.gatehouse.examples.gateway;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsExchange;
import io.gatehouse.core.AuthenticationRequest;
import io.gatehouse.core.Fingerprint;
import java.security.cert.Certificate;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLPeerUnverifiedException;

/** The adapter from the JDK's {@link HttpExchange} to Gatehouse's transport-neutral {@link AuthenticationRequest}. */
final class ExchangeRequests {

    private ExchangeRequests() {
    }

    /** The exchange's headers and, over TLS, the client's certificate chain as presented. */
    static AuthenticationRequest of(HttpExchange ex) {
        // The path, for anonymous conditions (AuthenticationConfiguration's anonymous.conditions).
        AuthenticationRequest.Builder b = AuthenticationRequest.builder().path(ex.getRequestURI().getPath());
        ex.getRequestHeaders().forEach((name, values) -> values.forEach(v -> b.header(name, v)));
        if (ex instanceof HttpsExchange https) {
            try {
                List<X509Certificate> chain = new ArrayList<>();
                for (Certificate c : https.getSSLSession().getPeerCertificates()) {
                    if (c instanceof X509Certificate x) {
                        chain.add(x);
                    }
                }
                b.peerCertificates(chain);
            } catch (SSLPeerUnverifiedException noCertificate) {
                // No client certificate: the x509 authenticator abstains.
            }
        }
        return b.build();
    }

    /** Which credential decided, as a fingerprint: the bearer token's, else the client certificate's; null for none. */
    static String credentialFingerprint(AuthenticationRequest r) {
        Optional<String> token = r.bearerToken();
        if (token.isPresent()) {
            return Fingerprint.of(token.get());
        }
        if (!r.peerCertificates().isEmpty()) {
            try {
                return "x509:" + Fingerprint.of(r.peerCertificates().get(0).getEncoded()).substring("sha256:".length());
            } catch (CertificateEncodingException e) {
                return "x509:unencodable";
            }
        }
        return null;
    }
}
