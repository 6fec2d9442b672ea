package io.gatehouse.x509;

import io.gatehouse.core.internal.ExpireAt;
import io.gatehouse.core.internal.CappedBody;
import io.gatehouse.core.internal.GoText;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.gatehouse.core.AuthenticationListener;
import io.gatehouse.core.RejectionReason;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.x509.AccessDescription;
import org.bouncycastle.asn1.x509.AuthorityInformationAccess;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cert.ocsp.BasicOCSPResp;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.CertificateStatus;
import org.bouncycastle.cert.ocsp.OCSPException;
import org.bouncycastle.cert.ocsp.OCSPReqBuilder;
import org.bouncycastle.cert.ocsp.OCSPResp;
import org.bouncycastle.cert.ocsp.RevokedStatus;
import org.bouncycastle.cert.ocsp.SingleResp;
import org.bouncycastle.cert.ocsp.UnknownStatus;
import org.bouncycastle.operator.ContentVerifierProvider;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;

/**
 * Asks an OCSP responder (RFC 6960) about a verified client certificate (the leaf; intermediates are covered
 * by CRLs), and caches the answers until their nextUpdate.
 *
 * <p>The responder is the configured one, else the OCSP address of the certificate's Authority Information
 * Access (http or https only, read only after the path is verified). Requests carry no nonce, so answers
 * can be cached (RFC 5019). An answer counts only if it is signed by the issuer, or by a responder
 * certificate that the issuer signed with the id-kp-OCSPSigning usage and that is valid now; it must
 * concern this certificate, its thisUpdate must not be more than five minutes in the future and its
 * nextUpdate (when present) not in the past. Good and revoked answers with a nextUpdate are cached until
 * then; answers without one are not cached.
 *
 * <p>Every exchange is bounded: one timeout covers connecting, sending and reading the whole response, and
 * a response larger than the cap is abandoned as it arrives. Redirects are not followed and no proxy is used.
 *
 * <p>Thread-safe.
 */
final class OcspChecker {

    static final String AIA_OID = "1.3.6.1.5.5.7.1.1";
    private static final String ID_AD_OCSP = "1.3.6.1.5.5.7.48.1";
    private static final Duration FUTURE_SKEW = Duration.ofMinutes(5);

    /** The outcome of a check that did not reject: whether it may be cached, and until when. */
    record Outcome(boolean cacheable, Instant freshUntil) {
    }

    private record Answer(boolean revoked, Instant revokedAt, String reason, Instant nextUpdate) {
    }

    private final OcspSettings settings;
    private final Clock clock;
    private final AuthenticationListener listener;
    private final HttpClient http;
    private final Cache<String, Answer> answers;

    OcspChecker(OcspSettings settings, Clock clock, AuthenticationListener listener, long cacheMaximumSize) {
        this.settings = settings;
        this.clock = clock;
        this.listener = listener;
        this.http = HttpClient.newBuilder()
                .connectTimeout(settings.timeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .proxy(HttpClient.Builder.NO_PROXY)
                .build();
        this.answers = Caffeine.newBuilder()
                .maximumSize(Math.max(1, cacheMaximumSize))
                .expireAfter(ExpireAt.<String, Answer>until(clock, Answer::nextUpdate))
                .build();
    }

    /**
     * Checks {@code cert}, issued by {@code issuer}.
     *
     * @throws VerifyException REVOKED for a revoked certificate; in hard-fail mode also when no good answer
     *                         could be had
     */
    Outcome check(X509Certificate cert, X509Certificate issuer, Instant now) throws VerifyException {
        CertificateID id;
        try {
            id = new CertificateID(new JcaDigestCalculatorProviderBuilder().build().get(CertificateID.HASH_SHA1),
                    new JcaX509CertificateHolder(issuer), cert.getSerialNumber());
        } catch (OperatorCreationException | OCSPException | CertificateException e) {
            return failed(cert, "cannot build the request: " + e.getMessage());
        }
        String key = HexFormat.of().formatHex(id.getIssuerNameHash()) + "/"
                + HexFormat.of().formatHex(id.getIssuerKeyHash()) + "/" + id.getSerialNumber().toString(16);
        Answer cached = answers.getIfPresent(key);
        if (cached != null && now.isBefore(cached.nextUpdate())) {
            return judge(cert, issuer, cached);
        }
        URI responder = settings.responderUrl() != null ? settings.responderUrl() : responderFromAia(cert);
        if (responder == null) {
            return failed(cert, "the certificate names no OCSP responder and none is configured");
        }
        byte[] body;
        try {
            body = exchange(responder, new OCSPReqBuilder().addRequest(id).build().getEncoded());
        } catch (OCSPException | IOException e) {
            return failed(cert, "request to " + responder + " failed: " + describe(e));
        } catch (TimeoutException e) {
            return failed(cert, "no answer from " + responder + " within " + settings.timeout().toMillis() + " ms");
        }
        Answer answer;
        try {
            answer = parse(body, id, issuer, now);
        } catch (BadResponse e) {
            return failed(cert, "unusable answer from " + responder + ": " + e.getMessage());
        }
        if (answer == null) {
            return unknown(cert, responder);
        }
        if (answer.nextUpdate() != null) {
            answers.put(key, answer);
        }
        return judge(cert, issuer, answer);
    }

    private Outcome judge(X509Certificate cert, X509Certificate issuer, Answer answer) throws VerifyException {
        if (answer.revoked()) {
            throw new VerifyException(RejectionReason.REVOKED, "x509: certificate SN=" + cert.getSerialNumber() + " ("
                    + GoText.quote(Certificates.displayName(cert)) + ") was revoked at "
                    + Certificates.rfc3339(answer.revokedAt()) + (answer.reason() == null ? "" : ", reason " + answer.reason())
                    + ", according to the OCSP responder of " + GoText.quote(Certificates.displayName(issuer)));
        }
        return new Outcome(answer.nextUpdate() != null, answer.nextUpdate());
    }

    private Outcome unknown(X509Certificate cert, URI responder) throws VerifyException {
        String message = "the OCSP responder " + responder + " does not know certificate SN=" + cert.getSerialNumber();
        if (settings.mode() == OcspSettings.Mode.HARD_FAIL) {
            throw new VerifyException(RejectionReason.UNTRUSTED_CERTIFICATE, "x509: " + message);
        }
        listener.warning("x509 OCSP", message + "; accepted (soft-fail)");
        return new Outcome(false, null);
    }

    private Outcome failed(X509Certificate cert, String why) throws VerifyException {
        String message = "OCSP check of certificate SN=" + cert.getSerialNumber() + " failed: " + why;
        if (settings.mode() == OcspSettings.Mode.HARD_FAIL) {
            throw new VerifyException(RejectionReason.INTERNAL_ERROR, "x509: " + message);
        }
        listener.warning("x509 OCSP", message + "; accepted (soft-fail)");
        return new Outcome(false, null);
    }

    /** The first http(s) OCSP address of the certificate's AIA, or null. */
    static URI responderFromAia(X509Certificate cert) {
        byte[] ext = Certificates.extensionValue(cert, AIA_OID);
        if (ext == null) {
            return null;
        }
        try {
            ASN1Primitive value = Certificates.unwrap(ext);
            for (AccessDescription d : AuthorityInformationAccess.getInstance(value).getAccessDescriptions()) {
                if (!d.getAccessMethod().getId().equals(ID_AD_OCSP)
                        || d.getAccessLocation().getTagNo() != GeneralName.uniformResourceIdentifier) {
                    continue;
                }
                URI uri = URI.create(d.getAccessLocation().getName().toString());
                String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
                if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null) {
                    return uri;
                }
            }
        } catch (RuntimeException e) {
            return null;
        }
        return null;
    }

    private byte[] exchange(URI responder, byte[] request) throws IOException, TimeoutException {
        HttpRequest req = HttpRequest.newBuilder(responder)
                .timeout(settings.timeout())
                .header("Content-Type", "application/ocsp-request")
                .header("Accept", "application/ocsp-response")
                .POST(HttpRequest.BodyPublishers.ofByteArray(request))
                .build();
        CompletableFuture<HttpResponse<byte[]>> future = http.sendAsync(req, CappedBody.handler(settings.maxResponseBytes()));
        HttpResponse<byte[]> response;
        try {
            response = future.get(settings.timeout().toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        } catch (TimeoutException e) {
            future.cancel(true);
            throw e;
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof java.net.http.HttpTimeoutException) {
                throw new TimeoutException();
            }
            throw cause instanceof IOException io ? io : new IOException(String.valueOf(cause));
        }
        if (response.statusCode() != 200) {
            throw new IOException("HTTP status " + response.statusCode());
        }
        return response.body();
    }

    private static String describe(Exception e) {
        String m = e.getMessage();
        return e.getClass().getSimpleName() + (m == null || m.isBlank() ? "" : " " + m);
    }

    /** A response that cannot be used; the message says why. */
    private static final class BadResponse extends Exception {
        private static final long serialVersionUID = 1L;

        BadResponse(String message) {
            super(message, null, false, false);
        }
    }

    /** The answer about {@code id}; null when the responder says "unknown". */
    private Answer parse(byte[] body, CertificateID id, X509Certificate issuer, Instant now) throws BadResponse {
        OCSPResp resp;
        try {
            resp = new OCSPResp(body);
        } catch (IOException | RuntimeException e) {
            throw new BadResponse("not an OCSP response");
        }
        if (resp.getStatus() != OCSPResp.SUCCESSFUL) {
            throw new BadResponse("responder status " + statusName(resp.getStatus()));
        }
        Object object;
        try {
            object = resp.getResponseObject();
        } catch (OCSPException | RuntimeException e) {
            throw new BadResponse("malformed basic response");
        }
        if (!(object instanceof BasicOCSPResp basic)) {
            throw new BadResponse("not a basic OCSP response");
        }
        if (!signatureValid(basic, issuer, now)) {
            throw new BadResponse("not signed by the issuer or a responder it authorised");
        }
        SingleResp single = null;
        for (SingleResp s : basic.getResponses()) {
            if (s.getCertID().equals(id)) {
                single = s;
                break;
            }
        }
        if (single == null) {
            throw new BadResponse("no answer about this certificate");
        }
        Instant thisUpdate = single.getThisUpdate().toInstant();
        if (thisUpdate.isAfter(now.plus(FUTURE_SKEW))) {
            throw new BadResponse("thisUpdate " + Certificates.rfc3339(thisUpdate) + " is in the future");
        }
        Instant nextUpdate = single.getNextUpdate() == null ? null : single.getNextUpdate().toInstant();
        if (nextUpdate != null && nextUpdate.isBefore(now)) {
            throw new BadResponse("stale: nextUpdate " + Certificates.rfc3339(nextUpdate) + " has passed");
        }
        CertificateStatus status = single.getCertStatus();
        if (status == CertificateStatus.GOOD) {
            return new Answer(false, null, null, nextUpdate);
        }
        if (status instanceof RevokedStatus r) {
            String reason = null;
            if (r.hasRevocationReason()) {
                int code = r.getRevocationReason();
                java.security.cert.CRLReason[] all = java.security.cert.CRLReason.values();
                reason = code >= 0 && code < all.length ? CrlChecker.reasonName(all[code]) : String.valueOf(code);
            }
            return new Answer(true, r.getRevocationTime().toInstant(), reason, nextUpdate);
        }
        if (status instanceof UnknownStatus) {
            return null;
        }
        throw new BadResponse("unrecognised certificate status");
    }

    private boolean signatureValid(BasicOCSPResp basic, X509Certificate issuer, Instant now) {
        if (verifies(basic, issuer)) {
            return true;
        }
        X509CertificateHolder[] certs = basic.getCerts();
        if (certs == null) {
            return false;
        }
        JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
        for (int i = 0; i < Math.min(certs.length, 8); i++) {
            try {
                X509Certificate responder = Certificates.parseDer(converter.getCertificate(certs[i]).getEncoded());
                List<String> ekus = Certificates.extendedKeyUsages(responder);
                if (responder.getIssuerX500Principal().equals(issuer.getSubjectX500Principal())
                        && Certificates.verifies(responder, issuer.getPublicKey())
                        && ekus != null && ekus.contains(Certificates.EKU_OCSP_SIGNING)
                        && Certificates.validityError(responder, now) == null
                        && verifies(basic, responder)) {
                    return true;
                }
            } catch (CertificateException | RuntimeException e) {
                // not a usable responder certificate; try the next
            }
        }
        return false;
    }

    private static boolean verifies(BasicOCSPResp basic, X509Certificate signer) {
        try {
            ContentVerifierProvider verifier = new JcaContentVerifierProviderBuilder().build(signer.getPublicKey());
            return basic.isSignatureValid(verifier);
        } catch (OperatorCreationException | OCSPException | RuntimeException e) {
            return false;
        }
    }

    private static String statusName(int status) {
        return switch (status) {
            case 1 -> "malformedRequest";
            case 2 -> "internalError";
            case 3 -> "tryLater";
            case 5 -> "sigRequired";
            case 6 -> "unauthorized";
            default -> String.valueOf(status);
        };
    }
}
