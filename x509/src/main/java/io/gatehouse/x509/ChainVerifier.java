package io.gatehouse.x509;

import io.gatehouse.core.internal.GoText;
import io.gatehouse.core.RejectionReason;
import java.security.InvalidAlgorithmParameterException;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertPathValidatorException.BasicReason;
import java.security.cert.CertificateException;
import java.security.cert.PKIXParameters;
import java.security.cert.PKIXReason;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.List;
import java.util.Set;

/**
 * Builds and validates a client's certificate path the way Kubernetes' {@code leaf.Verify(opts)} does, with
 * the JDK's PKIX {@link CertPathValidator} as the validation engine.
 *
 * <p><b>Path building</b> follows Go's {@code buildChains}: the certificates after the leaf are an unordered
 * pool; issuers are found by name (key identifiers only order the candidates), trust anchors before pool
 * certificates; a certificate never appears twice in a path; signature checks are capped at 100 per
 * verification and complete candidate paths at {@value #MAX_CANDIDATE_PATHS}, so that hostile pools
 * (cycles, many same-named issuers) end quickly. When a candidate path fails validation the search goes on
 * with the next one, so an alternate path is found where one exists.
 *
 * <p><b>Validation</b> of each candidate path is the JDK's PKIX validator (signatures, validity at the
 * injected clock, basicConstraints and pathLen, key usage, name constraints, policy processing, unknown
 * critical extensions). Where the JDK is laxer than Go or RFC 5280, the trust anchor is validated as part of
 * the path: a self-signed anchor is placed at the end of the path and the anchor given to the JDK is its
 * name and key, so the root's own validity, basicConstraints, key usage, critical extensions and name
 * constraints are processed as Go processes them (the JDK ignores a {@link TrustAnchor} certificate's
 * extensions). On top of PKIX: Go's extended-key-usage rule through the whole chain (an EKU list without
 * the required usage anywhere in the chain fails; no EKU extension allows any usage) and an empty EKU
 * extension is refused. Paths of the common shape that PKIX is certain to accept (no policies, no name
 * constraints, well-known algorithms; see {@link DirectPath}) are accepted without running it: the same
 * verdicts at a fraction of the cost.
 *
 * <p>Known differences from Go, all from the JDK's validator: it checks the subject CN of a certificate that
 * has no DNS SAN against dNSName constraints (a legacy hostname rule Go dropped), and it refuses an
 * intermediate whose key usage lacks keyCertSign (Go ignores key usage).
 *
 * <p>Error messages are Go's {@code crypto/x509} texts, for example {@code x509: certificate signed by
 * unknown authority}, so that operators see what Kubernetes prints.
 *
 * <p>Thread-safe; its only state is a count of directly accepted paths, for tests.
 */
final class ChainVerifier {

    /** Go's {@code maxChainSignatureChecks}. */
    static final int MAX_SIGNATURE_CHECKS = 100;
    /** Complete candidate paths validated before giving up. */
    static final int MAX_CANDIDATE_PATHS = 8;

    private final List<String> requiredUsages;
    private final int maxDepth;
    private final boolean direct;
    private final java.util.concurrent.atomic.LongAdder directlyAccepted = new java.util.concurrent.atomic.LongAdder();

    /**
     * @param requiredUsages EKU OIDs of which the chain must allow at least one (Go's {@code KeyUsages});
     *                       empty: any usage
     * @param maxDepth       the most certificates in a path, the anchor included
     */
    ChainVerifier(List<String> requiredUsages, int maxDepth) {
        this(requiredUsages, maxDepth, DirectPath.permittedByJdk());
    }

    /**
     * @param direct whether paths that PKIX is certain to accept are accepted by {@link DirectPath} without
     *               running PKIX (tests compare both ways)
     */
    ChainVerifier(List<String> requiredUsages, int maxDepth, boolean direct) {
        this.requiredUsages = List.copyOf(requiredUsages);
        this.maxDepth = maxDepth;
        this.direct = direct;
    }

    /** How many candidate paths {@link DirectPath} has accepted (tests). */
    long directlyAccepted() {
        return directlyAccepted.sum();
    }

    /**
     * Verifies {@code leaf} with the {@code pool} of presented intermediates.
     *
     * @return the verified chain, leaf first, ending with the trust anchor
     * @throws VerifyException with Go's error text when no valid path exists
     */
    List<X509Certificate> verify(X509Certificate leaf, List<X509Certificate> pool, TrustAnchors anchors, Instant now)
            throws VerifyException {
        return verify(leaf, pool, anchors, now, null).chain();
    }

    /**
     * A verified chain and the window in which all of its certificates are valid.
     *
     * @param chain     leaf first, ending with the trust anchor
     * @param notBefore the latest notBefore of the chain, epoch milliseconds
     * @param notAfter  the earliest notAfter of the chain, epoch milliseconds
     */
    record Verified(List<X509Certificate> chain, long notBefore, long notAfter) {
    }

    /**
     * {@link #verify(X509Certificate, List, TrustAnchors, Instant)} with the encodings of the leaf and the pool
     * (in that order) that the caller already holds, or null.
     */
    Verified verify(X509Certificate leaf, List<X509Certificate> pool, TrustAnchors anchors, Instant now,
                    List<byte[]> encodings) throws VerifyException {
        Search search = new Search(anchors, pool, now);
        if (encodings != null) {
            search.known(leaf, encodings.get(0));
            for (int i = 0; i < pool.size(); i++) {
                search.known(pool.get(i), encodings.get(i + 1));
            }
        }
        CertFacts leafFacts = search.facts(leaf);
        // Go's isValid(leaf): unhandled critical extensions, then the validity period.
        if (leafFacts.unhandledCriticalExtension) {
            throw new VerifyException(RejectionReason.UNTRUSTED_CERTIFICATE, "x509: unhandled critical extension");
        }
        String validity = validityError(leafFacts, now);
        if (validity != null) {
            throw new VerifyException(now.isBefore(leafFacts.notBeforeInstant)
                    ? RejectionReason.NOT_YET_VALID : RejectionReason.EXPIRED, validity);
        }

        if (anchors.contains(leafFacts)) {
            search.candidates.add(List.of(leaf));
        } else {
            List<X509Certificate> start = new ArrayList<>();
            start.add(leaf);
            search.build(start);
        }

        boolean usageFailed = false;
        for (List<X509Certificate> chain : search.candidates) {
            Failure failure = validate(chain, search, now);
            if (failure != null) {
                search.record(failure);
                continue;
            }
            if (!allowsUsage(chain, search)) {
                usageFailed = true;
                continue;
            }
            long notBefore = Long.MIN_VALUE;
            long notAfter = Long.MAX_VALUE;
            for (X509Certificate c : chain) {
                CertFacts f = search.facts(c);
                notBefore = Math.max(notBefore, f.notBefore);
                notAfter = Math.min(notAfter, f.notAfter);
            }
            return new Verified(chain, notBefore, notAfter);
        }
        if (usageFailed || search.emptyEku) {
            throw new VerifyException(RejectionReason.INVALID_CREDENTIAL,
                    "x509: certificate specifies an incompatible key usage");
        }
        if (search.leafError != null) {
            throw new VerifyException(RejectionReason.UNTRUSTED_CERTIFICATE, search.leafError);
        }
        if (search.limitReached && search.candidates.isEmpty()) {
            throw new VerifyException(RejectionReason.UNTRUSTED_CERTIFICATE,
                    "x509: signature check attempts limit reached while verifying certificate chain");
        }
        String message = "x509: certificate signed by unknown authority";
        if (search.hintError != null) {
            message += " (possibly because of " + GoText.quote(search.hintError)
                    + " while trying to verify candidate authority certificate "
                    + GoText.quote(Certificates.displayName(search.hintCert)) + ")";
        }
        throw new VerifyException(RejectionReason.UNTRUSTED_CERTIFICATE, message);
    }

    /** Why a candidate chain failed: an error of the leaf itself, a hint about a CA, or an empty EKU. */
    private record Failure(Kind kind, String text, X509Certificate cert) {
        enum Kind { LEAF, HINT, EMPTY_EKU }
    }

    /**
     * The validation of one candidate chain (leaf first, anchor last): {@link DirectPath} where it is certain
     * of PKIX's verdict, else the JDK's PKIX validator; null when it is valid.
     */
    private Failure validate(List<X509Certificate> chain, Search search, Instant now) {
        X509Certificate anchor = chain.get(chain.size() - 1);
        CertFacts anchorFacts = search.facts(anchor);
        // A self-signed root is validated as part of the path, under a trust anchor of its name and key.
        boolean rootInPath = anchorFacts.selfSigned();
        List<X509Certificate> path = rootInPath ? chain : chain.subList(0, chain.size() - 1);
        if (direct) {
            List<CertFacts> pathFacts = new ArrayList<>(path.size());
            for (X509Certificate c : path) {
                pathFacts.add(search.facts(c));
            }
            if (DirectPath.accepts(pathFacts, rootInPath ? null : anchorFacts, anchorFacts.publicKey, now)) {
                directlyAccepted.increment();
                return emptyEku(chain, search);
            }
        }
        TrustAnchor trustAnchor = rootInPath
                ? new TrustAnchor(anchor.getSubjectX500Principal(), anchor.getPublicKey(), null)
                : new TrustAnchor(anchor, null);
        String names = NameChecks.check(chain);
        if (names != null) {
            return new Failure(Failure.Kind.HINT, names, anchor);
        }
        PKIXParameters params;
        try {
            params = new PKIXParameters(Set.of(trustAnchor));
        } catch (InvalidAlgorithmParameterException e) {
            return new Failure(Failure.Kind.HINT, "x509: " + e.getMessage(), anchor);
        }
        params.setRevocationEnabled(false);
        params.setDate(Date.from(now));
        try {
            CertPathValidator.getInstance("PKIX").validate(Certificates.factory().generateCertPath(path), params);
        } catch (CertPathValidatorException e) {
            return describe(e, path, chain, now);
        } catch (CertificateException | InvalidAlgorithmParameterException | NoSuchAlgorithmException e) {
            return new Failure(Failure.Kind.HINT, "x509: " + e.getMessage(), anchor);
        } catch (RuntimeException e) {
            return new Failure(Failure.Kind.HINT, "x509: path validation failed: " + e.getClass().getSimpleName(),
                    anchor);
        }
        return emptyEku(chain, search);
    }

    /** An empty EKU extension anywhere: RFC 5280 requires at least one purpose; the JDK accepts none. */
    private static Failure emptyEku(List<X509Certificate> chain, Search search) {
        for (X509Certificate c : chain) {
            CertFacts f = search.facts(c);
            if (f.extendedKeyUsageUnparseable || (f.extendedKeyUsages != null && f.extendedKeyUsages.isEmpty())) {
                return new Failure(Failure.Kind.EMPTY_EKU, null, c);
            }
        }
        return null;
    }

    /**
     * Go's {@code checkChainForKeyUsage}: walking from the anchor down, every certificate with an EKU list
     * that lacks anyExtendedKeyUsage crosses out the required usages it does not list.
     */
    private boolean allowsUsage(List<X509Certificate> chain, Search search) {
        if (requiredUsages.isEmpty()) {
            return true;
        }
        Set<String> remaining = null;
        for (int i = chain.size() - 1; i >= 0; i--) {
            CertFacts f = search.facts(chain.get(i));
            if (f.extendedKeyUsageUnparseable) {
                return false;
            }
            List<String> ekus = f.extendedKeyUsages;
            if (ekus == null || ekus.isEmpty() || ekus.contains(Certificates.EKU_ANY)) {
                continue;
            }
            if (remaining == null) {
                remaining = new HashSet<>(requiredUsages);
            }
            remaining.retainAll(ekus);
            if (remaining.isEmpty()) {
                return false;
            }
        }
        return true;
    }

    /** Go's text for a PKIX failure, and whom it concerns. */
    private static Failure describe(CertPathValidatorException e, List<X509Certificate> path,
                                    List<X509Certificate> chain, Instant now) {
        int index = e.getIndex();
        X509Certificate failing = index >= 0 && index < path.size() ? path.get(index) : null;
        String text;
        CertPathValidatorException.Reason reason = e.getReason();
        boolean blameIssuer = false;
        if (reason == BasicReason.EXPIRED || reason == BasicReason.NOT_YET_VALID) {
            String exact = failing == null ? null : Certificates.validityError(failing, now);
            text = exact != null ? exact : "x509: certificate has expired or is not yet valid";
        } else if (reason == PKIXReason.NOT_CA_CERT) {
            text = "x509: certificate is not authorized to sign other certificates";
        } else if (reason == PKIXReason.PATH_TOO_LONG) {
            text = "x509: too many intermediates for path length constraint";
        } else if (reason == PKIXReason.UNRECOGNIZED_CRIT_EXT) {
            text = "x509: unhandled critical extension";
        } else if (reason == PKIXReason.INVALID_KEY_USAGE) {
            text = "x509: certificate is not allowed to sign certificates by its key usage";
        } else if (reason == PKIXReason.INVALID_NAME) {
            text = "x509: a root or intermediate certificate is not authorized to sign for this name";
            blameIssuer = true;
        } else if (reason == BasicReason.INVALID_SIGNATURE) {
            text = "x509: signature verification failure";
            blameIssuer = true;
        } else if (reason == BasicReason.ALGORITHM_CONSTRAINED) {
            text = "x509: certificate uses a disabled algorithm or key size";
        } else if (reason == PKIXReason.INVALID_POLICY) {
            text = "x509: no valid chains built: certificate policies do not validate";
        } else {
            String m = e.getMessage() == null ? "" : e.getMessage();
            text = m.toLowerCase(java.util.Locale.ROOT).contains("name constraint")
                    ? "x509: a root or intermediate certificate is not authorized to sign for this name"
                    : "x509: " + firstLine(m);
            blameIssuer = m.toLowerCase(java.util.Locale.ROOT).contains("name constraint");
        }
        X509Certificate anchor = chain.get(chain.size() - 1);
        if (failing == null) {
            return new Failure(Failure.Kind.HINT, text, anchor);
        }
        int pos = chain.indexOf(failing);
        if (blameIssuer) {
            return new Failure(Failure.Kind.HINT, text, pos + 1 < chain.size() ? chain.get(pos + 1) : anchor);
        }
        if (pos == 0) {
            return new Failure(Failure.Kind.LEAF, text, failing);
        }
        return new Failure(Failure.Kind.HINT, text, failing);
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    /** The state of one path search. */
    private final class Search {
        final TrustAnchors anchors;
        final List<X509Certificate> pool;
        final Instant now;
        final List<List<X509Certificate>> candidates = new ArrayList<>();
        /** Facts of the presented certificates, read once per verification (anchors' come from the bundle). */
        private final Map<X509Certificate, CertFacts> facts = new IdentityHashMap<>(4);
        int signatureChecks;
        boolean limitReached;
        boolean emptyEku;
        String hintError;
        X509Certificate hintCert;
        String leafError;

        Search(TrustAnchors anchors, List<X509Certificate> pool, Instant now) {
            this.anchors = anchors;
            List<X509Certificate> p = new ArrayList<>();
            for (X509Certificate c : pool) {
                if (!anchors.contains(facts(c))) {
                    p.add(c);
                }
            }
            this.pool = p;
            this.now = now;
        }

        /** Reads the facts of a presented certificate from the encoding the caller holds. */
        void known(X509Certificate c, byte[] der) {
            if (anchors.facts(c) == null) {
                facts.put(c, CertFacts.of(c, der));
            }
        }

        CertFacts facts(X509Certificate c) {
            CertFacts f = anchors.facts(c);
            if (f != null) {
                return f;
            }
            f = facts.get(c);
            if (f == null) {
                f = CertFacts.of(c);
                facts.put(c, f);
            }
            return f;
        }

        void hint(String error, X509Certificate cert) {
            if (hintError == null) {
                hintError = error;
                hintCert = cert;
            }
        }

        void record(Failure f) {
            switch (f.kind()) {
                case EMPTY_EKU -> emptyEku = true;
                case LEAF -> {
                    if (leafError == null) {
                        leafError = f.text();
                    }
                }
                case HINT -> hint(f.text(), f.cert());
                default -> throw new IllegalStateException();
            }
        }

        void build(List<X509Certificate> chain) {
            X509Certificate child = chain.get(chain.size() - 1);
            CertFacts childFacts = facts(child);
            for (Parent parent : parents(childFacts)) {
                if (candidates.size() >= MAX_CANDIDATE_PATHS || limitReached) {
                    return;
                }
                X509Certificate cand = parent.cert();
                CertFacts candFacts = facts(cand);
                if (alreadyInChain(candFacts, chain)) {
                    continue;
                }
                if (++signatureChecks > MAX_SIGNATURE_CHECKS) {
                    limitReached = true;
                    return;
                }
                if (!Certificates.verifies(child, candFacts.publicKey)) {
                    hint(signatureError(cand), cand);
                    continue;
                }
                String invalid = candidateError(candFacts, parent.anchor(), chain);
                if (invalid != null) {
                    hint(invalid, cand);
                    continue;
                }
                List<X509Certificate> next = new ArrayList<>(chain);
                next.add(cand);
                if (parent.anchor()) {
                    candidates.add(List.copyOf(next));
                } else if (intermediates(next, this) + 2 < maxDepth + 1 && next.size() < 2 * maxDepth) {
                    build(next);
                }
            }
        }

        /** Go's {@code isValid} for a candidate issuer: the checks that make it a hint rather than a path. */
        private String candidateError(CertFacts cand, boolean anchor, List<X509Certificate> chain) {
            if (cand.unhandledCriticalExtension) {
                return "x509: unhandled critical extension";
            }
            String validity = validityError(cand, now);
            if (validity != null) {
                return validity;
            }
            if (!anchor && cand.basicConstraints < 0) {
                return "x509: certificate is not authorized to sign other certificates";
            }
            int maxPathLen = cand.basicConstraints;
            if (maxPathLen >= 0 && maxPathLen != Integer.MAX_VALUE && intermediates(chain, this) > maxPathLen) {
                return "x509: too many intermediates for path length constraint";
            }
            return null;
        }

        private List<Parent> parents(CertFacts child) {
            byte[] akid = child.authorityKeyId;
            List<Parent> preferred = new ArrayList<>();
            List<Parent> neutral = new ArrayList<>();
            List<Parent> mismatched = new ArrayList<>();
            for (int pass = 0; pass < 2; pass++) {
                List<X509Certificate> source = pass == 0
                        ? anchors.issuersOf(child)
                        : pool;
                for (X509Certificate c : source) {
                    if (pass == 1 && !child.issuedBy(facts(c))) {
                        continue;
                    }
                    Parent p = new Parent(c, pass == 0);
                    byte[] skid = facts(c).subjectKeyId();
                    if (akid.length == 0 || skid.length == 0) {
                        neutral.add(p);
                    } else if (java.util.Arrays.equals(akid, skid)) {
                        preferred.add(p);
                    } else {
                        mismatched.add(p);
                    }
                }
            }
            List<Parent> all = new ArrayList<>(preferred);
            all.addAll(neutral);
            all.addAll(mismatched);
            return all;
        }

        private boolean alreadyInChain(CertFacts cand, List<X509Certificate> chain) {
            for (X509Certificate c : chain) {
                if (c == cand.cert || c.equals(cand.cert)) {
                    return true;
                }
                CertFacts f = facts(c);
                if (f.sameSubject(cand) && f.publicKey.equals(cand.publicKey)) {
                    return true;
                }
            }
            return false;
        }
    }

    private record Parent(X509Certificate cert, boolean anchor) {
    }

    /** The intermediates of a partial chain (the leaf excluded) that count for path length: not self-issued. */
    private static int intermediates(List<X509Certificate> chain, Search search) {
        int n = 0;
        for (int i = 1; i < chain.size(); i++) {
            if (!search.facts(chain.get(i)).selfIssued()) {
                n++;
            }
        }
        return n;
    }

    /** Go's validity error for {@code c} at {@code now}, or null when it is valid (both bounds inclusive). */
    private static String validityError(CertFacts c, Instant now) {
        if (now.isBefore(c.notBeforeInstant) || now.isAfter(c.notAfterInstant)) {
            return Certificates.validityError(c.cert, now);
        }
        return null;
    }

    /** Go's error for a signature that does not verify with {@code issuer}'s key. */
    static String signatureError(X509Certificate issuer) {
        String alg = issuer.getPublicKey().getAlgorithm();
        return switch (alg) {
            case "RSA", "RSASSA-PSS" -> "crypto/rsa: verification error";
            case "EC" -> "x509: ECDSA verification failure";
            case "Ed25519", "EdDSA" -> "x509: Ed25519 verification failure";
            default -> "x509: signature verification failure";
        };
    }
}
