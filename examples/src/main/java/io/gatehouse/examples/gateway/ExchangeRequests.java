package io.gatehouse.examples.gateway;

import io.gatehouse.core.AuthenticationRequest;
import io.gatehouse.core.Fingerprint;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import org.eclipse.jetty.http.HttpField;

/** The adapter from the gateway's {@link Exchange} to Gatehouse's transport-neutral {@link AuthenticationRequest}. */
final class ExchangeRequests {

    private ExchangeRequests() {
    }

    /** The exchange's headers and, over TLS, the client's certificate chain as presented. */
    static AuthenticationRequest of(Exchange ex) {
        // The path, for anonymous conditions (AuthenticationConfiguration's anonymous.conditions).
        AuthenticationRequest.Builder b = AuthenticationRequest.builder().path(ex.path());
        for (HttpField h : ex.requestHeaders()) {
            b.header(h.getName(), h.getValue());
        }
        List<X509Certificate> chain = ex.peerCertificates();
        if (!chain.isEmpty()) {
            // Without one the x509 authenticator abstains.
            b.peerCertificates(chain);
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
