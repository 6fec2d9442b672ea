package io.gatehouse.x509;

import io.gatehouse.core.internal.GoText;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.regex.Pattern;
import org.bouncycastle.asn1.ASN1IA5String;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.GeneralSubtree;
import org.bouncycastle.asn1.x509.NameConstraints;

/**
 * Name-constraint hygiene the JDK's validator lacks, applied before it runs:
 * <ul>
 *   <li>a bound on the work name constraints can cause (Go's {@code maxConstraintComparisons}: constraints
 *       times names below them, at most 250000), so that a CA with thousands of constraints and a leaf with
 *       thousands of names cannot make verification quadratic;</li>
 *   <li>under a name-constrained CA, every rfc822Name, dNSName and iPAddress in the subject alternative names
 *       below it must be well formed ({@code invalid@address@example.com}, {@code .example.com} and a CIDR
 *       range in place of an address would otherwise slip past the constraint), and the constraints
 *       themselves must be well formed (an iPAddress constraint is an address and a contiguous mask; a
 *       dNSName constraint holds no wildcard).</li>
 * </ul>
 * Constraints that Go accepts and RFC 5280 does not (a dNSName constraint with a leading period) are kept, for
 * Kubernetes parity.
 */
final class NameChecks {

    /** Go's {@code maxConstraintComparisons}. */
    static final long MAX_COMPARISONS = 250_000;

    private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9_]([A-Za-z0-9_-]*[A-Za-z0-9_])?");

    private NameChecks() {
    }

    /** An error in Go's style, or null when the chain (leaf first, anchor last) passes. */
    static String check(List<X509Certificate> chain) {
        long activeConstraints = 0;
        long comparisons = 0;
        List<String> excludedDns = new java.util.ArrayList<>();
        for (int i = chain.size() - 1; i >= 0; i--) {
            X509Certificate c = chain.get(i);
            if (activeConstraints > 0) {
                GeneralName[] names;
                try {
                    names = subjectAltNames(c);
                } catch (RuntimeException e) {
                    return "x509: cannot parse the subject alternative names of a name-constrained certificate";
                }
                comparisons += activeConstraints * (names.length + (long) subjectAttributes(c));
                if (comparisons > MAX_COMPARISONS) {
                    return "x509: too many name constraint comparisons";
                }
                for (GeneralName n : names) {
                    String error = sanError(n);
                    if (error == null) {
                        error = wildcardError(n, excludedDns);
                    }
                    if (error != null) {
                        return error;
                    }
                }
            }
            byte[] ext = Certificates.extensionValue(c, "2.5.29.30");
            if (ext == null) {
                continue;
            }
            NameConstraints nc;
            try {
                nc = NameConstraints.getInstance(Certificates.unwrap(ext));
            } catch (RuntimeException e) {
                return "x509: cannot parse the name constraints of " + GoText.quote(Certificates.displayName(c));
            }
            if (nc.getExcludedSubtrees() != null) {
                for (GeneralSubtree s : nc.getExcludedSubtrees()) {
                    if (s.getBase().getTagNo() == GeneralName.dNSName) {
                        excludedDns.add(ASN1IA5String.getInstance(s.getBase().getName()).getString());
                    }
                }
            }
            for (GeneralSubtree[] subtrees : new GeneralSubtree[][] {nc.getPermittedSubtrees(), nc.getExcludedSubtrees()}) {
                if (subtrees == null) {
                    continue;
                }
                for (GeneralSubtree s : subtrees) {
                    activeConstraints++;
                    String error = constraintError(s.getBase());
                    if (error != null) {
                        return error;
                    }
                }
            }
            if (activeConstraints > MAX_COMPARISONS) {
                return "x509: too many name constraint comparisons";
            }
        }
        return null;
    }

    private static int subjectAttributes(X509Certificate c) {
        try {
            return Math.max(1, org.bouncycastle.asn1.x500.X500Name.getInstance(c.getSubjectX500Principal().getEncoded())
                    .getAttributeTypes().length);
        } catch (RuntimeException e) {
            return 1;
        }
    }

    private static GeneralName[] subjectAltNames(X509Certificate c) {
        byte[] ext = Certificates.extensionValue(c, "2.5.29.17");
        if (ext == null) {
            return new GeneralName[0];
        }
        return GeneralNames.getInstance(Certificates.unwrap(ext)).getNames();
    }

    private static String sanError(GeneralName n) {
        switch (n.getTagNo()) {
            case GeneralName.rfc822Name -> {
                String v = ASN1IA5String.getInstance(n.getName()).getString();
                return isMailbox(v) ? null : "x509: cannot parse rfc822Name " + GoText.quote(v);
            }
            case GeneralName.dNSName -> {
                String v = ASN1IA5String.getInstance(n.getName()).getString();
                String host = v.startsWith("*.") ? v.substring(2) : v;
                return isHostname(host) ? null : "x509: cannot parse dnsName " + GoText.quote(v);
            }
            case GeneralName.iPAddress -> {
                int len = ASN1OctetString.getInstance(n.getName()).getOctets().length;
                return len == 4 || len == 16 ? null : "x509: cannot parse IP address of length " + len;
            }
            default -> {
                return null;
            }
        }
    }

    /**
     * A wildcard dNSName ({@code *.example.com}) covers every single-label subdomain, so an excluded subtree
     * one label below it ({@code bar.example.com}) excludes it (CVE-2025-61727; the JDK's check misses it).
     */
    private static String wildcardError(GeneralName n, List<String> excludedDns) {
        if (n.getTagNo() != GeneralName.dNSName || excludedDns.isEmpty()) {
            return null;
        }
        String v = ASN1IA5String.getInstance(n.getName()).getString();
        if (!v.startsWith("*.")) {
            return null;
        }
        String domain = v.substring(2).toLowerCase(java.util.Locale.ROOT);
        for (String c : excludedDns) {
            String excluded = (c.startsWith(".") ? c.substring(1) : c).toLowerCase(java.util.Locale.ROOT);
            int dot = excluded.indexOf('.');
            if (dot > 0 && excluded.substring(dot + 1).equals(domain)) {
                return "x509: a root or intermediate certificate is not authorized to sign for this name: DNS name "
                        + GoText.quote(v) + " is excluded by constraint " + GoText.quote(c);
            }
        }
        return null;
    }

    private static String constraintError(GeneralName n) {
        switch (n.getTagNo()) {
            case GeneralName.rfc822Name -> {
                String v = ASN1IA5String.getInstance(n.getName()).getString();
                boolean ok = v.contains("@") ? isMailbox(v) : isHostname(v.startsWith(".") ? v.substring(1) : v);
                return ok ? null : "x509: invalid rfc822Name constraint " + GoText.quote(v);
            }
            case GeneralName.dNSName -> {
                String v = ASN1IA5String.getInstance(n.getName()).getString();
                String host = v.startsWith(".") ? v.substring(1) : v;
                return v.isEmpty() || isHostname(host) ? null : "x509: invalid dNSName constraint " + GoText.quote(v);
            }
            case GeneralName.iPAddress -> {
                byte[] b = ASN1OctetString.getInstance(n.getName()).getOctets();
                if (b.length != 8 && b.length != 32) {
                    return "x509: invalid iPAddress constraint of length " + b.length;
                }
                return contiguousMask(b, b.length / 2) ? null : "x509: invalid iPAddress constraint: the mask is not contiguous";
            }
            default -> {
                return null;
            }
        }
    }

    private static boolean contiguousMask(byte[] b, int from) {
        boolean zeros = false;
        for (int i = from; i < b.length; i++) {
            for (int bit = 7; bit >= 0; bit--) {
                boolean one = (b[i] >> bit & 1) == 1;
                if (one && zeros) {
                    return false;
                }
                zeros |= !one;
            }
        }
        return true;
    }

    /** An RFC 5321 mailbox: a local part (dot-atom or quoted string) and a hostname. */
    static boolean isMailbox(String v) {
        int at;
        if (v.startsWith("\"")) {
            int close = v.indexOf('"', 1);
            while (close > 0 && v.charAt(close - 1) == '\\') {
                close = v.indexOf('"', close + 1);
            }
            if (close < 0 || close + 1 >= v.length() || v.charAt(close + 1) != '@') {
                return false;
            }
            at = close + 1;
        } else {
            at = v.indexOf('@');
            if (at <= 0 || v.indexOf('@', at + 1) >= 0) {
                return false;
            }
            String local = v.substring(0, at);
            for (int i = 0; i < local.length(); i++) {
                char ch = local.charAt(i);
                if (ch <= ' ' || ch >= 0x7f || "()<>[]:;,\\\"".indexOf(ch) >= 0) {
                    return false;
                }
            }
            if (local.startsWith(".") || local.endsWith(".") || local.contains("..")) {
                return false;
            }
        }
        return isHostname(v.substring(at + 1));
    }

    /** Dot-separated labels of letters, digits, hyphens and underscores; no empty label; at most 253 characters. */
    static boolean isHostname(String v) {
        if (v.isEmpty() || v.length() > 253) {
            return false;
        }
        for (String label : v.split("\\.", -1)) {
            if (label.isEmpty() || label.length() > 63 || !LABEL.matcher(label).matches()) {
                return false;
            }
        }
        return true;
    }
}
