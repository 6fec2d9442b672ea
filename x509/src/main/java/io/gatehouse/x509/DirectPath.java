package io.gatehouse.x509;

import java.security.AlgorithmParameters;
import java.security.PublicKey;
import java.security.Security;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.EdECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Accepts, without the JDK's PKIX validator, the candidate paths that the validator is certain to accept: the
 * common shape of a client-certificate chain, where PKIX's general machinery (policy trees, name-constraint
 * merging, algorithm-constraint evaluation, a {@code CertPath} and its parameters per call) costs about as much
 * as the one signature that matters. Everything else goes to PKIX, which then gives the verdict and its
 * message, so this class never rejects anything.
 *
 * <p>A path is accepted here only when every one of these holds, each a condition under which a PKIX check
 * cannot fail (the JDK's checkers in brackets):
 * <ul>
 *   <li>[BasicChecker] every certificate's signature verifies with the next one's key (the path search has
 *       verified each link; a self-signed root in the path is verified here), its issuer name is the next
 *       one's subject, and it is valid at the verification time (both bounds inclusive, as the JDK);</li>
 *   <li>[AlgorithmChecker] every signature is RSA PKCS#1 v1.5, ECDSA with SHA-256/384/512 or Ed25519, every
 *       RSA key has 2048 to 16384 bits, every EC key is on P-256, P-384 or P-521, and the security properties
 *       {@code jdk.certpath.disabledAlgorithms} and {@code jdk.disabled.namedCurves} disable none of these
 *       (read when the verifier is built; any entry naming one of them, other than a key-size floor no higher
 *       than ours, turns this class off);</li>
 *   <li>[ConstraintsChecker, KeyChecker] every certificate is version 3; every certificate above the leaf is a
 *       CA (basicConstraints cA), allows certificate signing by its key usage when it has one, and its path
 *       length constraint is met, counted as RFC 5280 6.1.4 counts it;</li>
 *   <li>[PolicyChecker, ConstraintsChecker] no certificate of the chain has certificatePolicies,
 *       policyMappings, policyConstraints, inhibitAnyPolicy or nameConstraints, so there is no policy tree and
 *       no name constraint to evaluate;</li>
 *   <li>[unresolved critical extensions] every critical extension is basicConstraints, keyUsage,
 *       extendedKeyUsage or subjectAltName.</li>
 * </ul>
 * One PKIX check has no counterpart: the JDK's short built-in list of distrusted certificates (a few
 * compromised public CAs from 2011-2013), which no client CA bundle should hold.
 *
 * <p>{@code DirectPathEquivalenceTest} runs every x509-limbo case and generated chains both ways and
 * requires identical verdicts and messages.
 */
final class DirectPath {

    private static final Set<String> SIGNATURE_OIDS = Set.of(
            "1.2.840.113549.1.1.11", // sha256WithRSAEncryption
            "1.2.840.113549.1.1.12", // sha384WithRSAEncryption
            "1.2.840.113549.1.1.13", // sha512WithRSAEncryption
            "1.2.840.10045.4.3.2", // ecdsa-with-SHA256
            "1.2.840.10045.4.3.3", // ecdsa-with-SHA384
            "1.2.840.10045.4.3.4", // ecdsa-with-SHA512
            "1.3.101.112"); // Ed25519

    /** Critical extensions every PKIX checker set handles without a policy tree or name constraints. */
    private static final Set<String> CRITICAL_OK = Set.of(
            "2.5.29.15", // key usage
            "2.5.29.17", // subject alternative name
            "2.5.29.19", // basic constraints
            "2.5.29.37"); // extended key usage

    /** Extensions that call for PKIX's policy or name-constraint processing. */
    private static final List<String> NEEDS_PKIX = List.of(
            "2.5.29.30", // name constraints
            "2.5.29.32", // certificate policies
            "2.5.29.33", // policy mappings
            "2.5.29.36", // policy constraints
            "2.5.29.54"); // inhibit anyPolicy

    /** Names in the JDK's algorithm-constraint properties that concern the algorithms accepted here. */
    private static final Set<String> RELEVANT_NAMES = Set.of(
            "RSA", "EC", "ECDSA", "EDDSA", "ED25519", "SHA256", "SHA384", "SHA512", "SHA2",
            "SHA256WITHRSA", "SHA384WITHRSA", "SHA512WITHRSA",
            "SHA256WITHECDSA", "SHA384WITHECDSA", "SHA512WITHECDSA",
            "SECP256R1", "SECP384R1", "SECP521R1", "PRIME256V1", "NISTP256", "NISTP384", "NISTP521");

    private static final Pattern KEY_SIZE_FLOOR = Pattern.compile("(RSA|EC)\\s+keySize\\s*<\\s*(\\d+)",
            Pattern.CASE_INSENSITIVE);

    private static final int MIN_RSA_BITS = 2048;
    private static final int MAX_RSA_BITS = 16384;
    private static final List<ECParameterSpec> CURVES = curves();

    private DirectPath() {
    }

    /**
     * Whether the JDK's algorithm constraints, as configured now, leave every algorithm accepted here enabled.
     */
    static boolean permittedByJdk() {
        return permits(Security.getProperty("jdk.certpath.disabledAlgorithms"),
                Security.getProperty("jdk.disabled.namedCurves"));
    }

    /** {@link #permittedByJdk()} for given property values (null: unset). */
    static boolean permits(String disabledAlgorithms, String disabledCurves) {
        List<String> entries = new ArrayList<>();
        split(disabledAlgorithms, entries);
        for (int i = 0; i < entries.size(); i++) {
            String entry = entries.get(i);
            String[] tokens = entry.split("\\s+");
            if (tokens[0].equalsIgnoreCase("include")) {
                if (tokens.length == 2 && tokens[1].equals("jdk.disabled.namedCurves")) {
                    split(disabledCurves, entries);
                    continue;
                }
                return false; // an include we do not know how to read
            }
            String name = tokens[0].toUpperCase(Locale.ROOT).replace("-", "").replace("_", "");
            if (!RELEVANT_NAMES.contains(name)) {
                continue;
            }
            Matcher m = KEY_SIZE_FLOOR.matcher(entry);
            if (!m.matches()) {
                return false;
            }
            int floor;
            try {
                floor = Integer.parseInt(m.group(2));
            } catch (NumberFormatException e) {
                return false;
            }
            int ours = m.group(1).equalsIgnoreCase("RSA") ? MIN_RSA_BITS : 256;
            if (floor > ours) {
                return false;
            }
        }
        return true;
    }

    private static void split(String property, List<String> into) {
        if (property == null) {
            return;
        }
        for (String e : property.split(",")) {
            String t = e.trim();
            if (!t.isEmpty()) {
                into.add(t);
            }
        }
    }

    /**
     * Whether PKIX is certain to accept {@code path} (leaf first) under a trust anchor with {@code anchorKey}.
     *
     * @param path          the certificates PKIX would be given, leaf first; a self-signed root is included
     * @param anchor        the anchor certificate when it is not part of {@code path}, else null
     * @param anchorKey     the trust anchor's key
     */
    static boolean accepts(List<CertFacts> path, CertFacts anchor, PublicKey anchorKey, Instant now) {
        // A candidate's key is acceptable: the anchor's when it is apart, the root's when it is in the path.
        if (path.isEmpty() || (anchor != null && !anchor.directCandidate)) {
            return false;
        }
        long at = now.toEpochMilli(); // the JDK's validity check is at Date precision
        int n = path.size();
        // RFC 5280 6.1.2 (k): max_path_length starts at n and counts down over non-self-issued CAs.
        int maxPathLength = n;
        for (int i = n - 1; i >= 0; i--) {
            CertFacts c = path.get(i);
            if (!c.directCandidate || !c.validAt(at)) {
                return false;
            }
            PublicKey issuerKey = i + 1 < n ? path.get(i + 1).publicKey : anchorKey;
            if (!signatureMatchesKey(c.sigAlgOid, issuerKey)) {
                return false;
            }
            if (i + 1 < n && !c.issuedBy(path.get(i + 1))) {
                return false;
            }
            if (i == 0) {
                break; // the leaf: no CA checks
            }
            if (c.basicConstraints < 0) {
                return false;
            }
            boolean[] keyUsage = c.keyUsage;
            if (keyUsage != null && (keyUsage.length <= 5 || !keyUsage[5])) {
                return false;
            }
            if (!c.selfIssued()) {
                if (maxPathLength <= 0) {
                    return false;
                }
                maxPathLength--;
            }
            if (c.basicConstraints < maxPathLength) {
                maxPathLength = c.basicConstraints;
            }
        }
        CertFacts top = path.get(n - 1);
        if (anchor == null) {
            // The self-signed root is in the path, under an anchor of its own name and key.
            return top.selfSigned() && top.publicKey.equals(anchorKey);
        }
        return top.issuedBy(anchor);
    }

    /**
     * Whether a certificate's extensions leave PKIX nothing to do beyond what {@link #accepts} checks: no
     * policy or name-constraint extension, and only critical extensions every checker set handles.
     */
    static boolean handles(Set<String> critical, Set<String> nonCritical) {
        for (String oid : NEEDS_PKIX) {
            if ((nonCritical != null && nonCritical.contains(oid)) || (critical != null && critical.contains(oid))) {
                return false;
            }
        }
        return critical == null || CRITICAL_OK.containsAll(critical);
    }

    static boolean acceptableSignature(String sigAlgOid) {
        return sigAlgOid != null && SIGNATURE_OIDS.contains(sigAlgOid);
    }

    private static boolean signatureMatchesKey(String sigOid, PublicKey key) {
        if (sigOid.startsWith("1.2.840.113549.1.1.")) {
            return key instanceof RSAPublicKey;
        }
        if (sigOid.startsWith("1.2.840.10045.4.3.")) {
            return key instanceof ECPublicKey;
        }
        return key instanceof EdECPublicKey;
    }

    static boolean acceptableKey(PublicKey key) {
        if (key instanceof RSAPublicKey rsa) {
            int bits = rsa.getModulus().bitLength();
            return "RSA".equals(key.getAlgorithm()) && bits >= MIN_RSA_BITS && bits <= MAX_RSA_BITS;
        }
        if (key instanceof ECPublicKey ec) {
            ECParameterSpec p = ec.getParams();
            for (ECParameterSpec curve : CURVES) {
                if (curve.getCurve().equals(p.getCurve()) && curve.getOrder().equals(p.getOrder())
                        && curve.getGenerator().equals(p.getGenerator()) && curve.getCofactor() == p.getCofactor()) {
                    return true;
                }
            }
            return false;
        }
        if (key instanceof EdECPublicKey ed) {
            return "Ed25519".equalsIgnoreCase(ed.getParams().getName());
        }
        return false;
    }

    private static List<ECParameterSpec> curves() {
        List<ECParameterSpec> specs = new ArrayList<>();
        for (String name : List.of("secp256r1", "secp384r1", "secp521r1")) {
            try {
                AlgorithmParameters params = AlgorithmParameters.getInstance("EC");
                params.init(new ECGenParameterSpec(name));
                specs.add(params.getParameterSpec(ECParameterSpec.class));
            } catch (java.security.GeneralSecurityException e) {
                // A JDK without this curve: its keys go to PKIX.
            }
        }
        return List.copyOf(specs);
    }
}
