package io.gatehouse.oidc;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/**
 * A semantic version as blang/semver v4's {@code Parse} reads and compares it (what Kubernetes' CEL
 * {@code semver()} uses), with its error texts, and Kubernetes' {@code normalizeAndParse} for
 * {@code semver(s, true)}: a leading {@code v} dropped, leading zeros removed, missing minor and patch filled.
 * Build metadata is kept but never compared.
 */
final class GoSemver implements Comparable<GoSemver> {

    private static final BigInteger MAX_UINT64 = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

    /** A parse failure, in blang/semver's words. */
    static final class SemverException extends Exception {
        private static final long serialVersionUID = 1L;

        SemverException(String message) {
            super(message, null, false, false);
        }
    }

    final long major;
    final long minor;
    final long patch;
    /** Pre-release identifiers: a {@link BigInteger} for numeric ones, a {@link String} otherwise. */
    private final List<Object> pre;

    private GoSemver(long major, long minor, long patch, List<Object> pre) {
        this.major = major;
        this.minor = minor;
        this.patch = patch;
        this.pre = pre;
    }

    /** blang/semver's {@code Parse}. */
    static GoSemver parse(String s) throws SemverException {
        if (s.isEmpty()) {
            throw new SemverException("Version string empty");
        }
        String[] parts = s.split("\\.", 3);
        if (parts.length != 3) {
            throw new SemverException("No Major.Minor.Patch elements found");
        }
        long major = number(parts[0], "major", "Major");
        long minor = number(parts[1], "minor", "Minor");
        String patchText = parts[2];
        List<String> build = new ArrayList<>();
        List<String> prerelease = new ArrayList<>();
        int plus = patchText.indexOf('+');
        if (plus >= 0) {
            build = List.of(patchText.substring(plus + 1).split("\\.", -1));
            patchText = patchText.substring(0, plus);
        }
        int dash = patchText.indexOf('-');
        if (dash >= 0) {
            prerelease = List.of(patchText.substring(dash + 1).split("\\.", -1));
            patchText = patchText.substring(0, dash);
        }
        long patch = number(patchText, "patch", "Patch");
        List<Object> pre = new ArrayList<>();
        for (String p : prerelease) {
            if (p.isEmpty()) {
                throw new SemverException("Prerelease is empty");
            }
            if (only(p, false)) {
                if (p.length() > 1 && p.charAt(0) == '0') {
                    throw new SemverException("Numeric PreRelease version must not contain leading zeroes " + quote(p));
                }
                BigInteger n = new BigInteger(p);
                if (n.compareTo(MAX_UINT64) > 0) {
                    throw new SemverException("strconv.ParseUint: parsing " + quote(p) + ": value out of range");
                }
                pre.add(n);
            } else if (only(p, true)) {
                pre.add(p);
            } else {
                throw new SemverException("Invalid character(s) found in prerelease " + quote(p));
            }
        }
        for (String b : build) {
            if (b.isEmpty()) {
                throw new SemverException("Build meta data is empty");
            }
            if (!only(b, true)) {
                throw new SemverException("Invalid character(s) found in build meta data " + quote(b));
            }
        }
        return new GoSemver(major, minor, patch, List.copyOf(pre));
    }

    /** Kubernetes' {@code normalizeAndParse}. */
    static GoSemver normalizeAndParse(String s) throws SemverException {
        if (s.startsWith("v")) {
            s = s.substring(1);
        }
        List<String> parts = new ArrayList<>(List.of(s.split("\\.", 3)));
        for (int i = 0; i < parts.size(); i++) {
            String p = parts.get(i);
            if (p.length() > 1) {
                int z = 0;
                while (z < p.length() && p.charAt(z) == '0') {
                    z++;
                }
                p = p.substring(z);
                if (p.isEmpty() || !(p.charAt(0) >= '0' && p.charAt(0) <= '9')) {
                    p = "0" + p;
                }
                parts.set(i, p);
            }
        }
        if (parts.size() < 3) {
            String last = parts.get(parts.size() - 1);
            if (last.contains("+") || last.contains("-")) {
                throw new SemverException("short version cannot contain PreRelease/Build meta data");
            }
            while (parts.size() < 3) {
                parts.add("0");
            }
        }
        return parse(String.join(".", parts));
    }

    private static long number(String text, String lower, String upper) throws SemverException {
        if (!only(text, false)) {
            throw new SemverException("Invalid character(s) found in " + lower + " number " + quote(text));
        }
        if (text.length() > 1 && text.charAt(0) == '0') {
            throw new SemverException(upper + " number must not contain leading zeroes " + quote(text));
        }
        if (text.isEmpty()) {
            throw new SemverException("strconv.ParseUint: parsing \"\": invalid syntax");
        }
        BigInteger n = new BigInteger(text);
        if (n.compareTo(MAX_UINT64) > 0) {
            throw new SemverException("strconv.ParseUint: parsing " + quote(text) + ": value out of range");
        }
        // CEL ints are signed 64-bit; a version number beyond that is read as Go's int64(uint64) conversion.
        return n.longValue();
    }

    /** Only digits, or (alphanumeric) letters, digits and '-'. */
    private static boolean only(String s, boolean alphanumeric) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = c >= '0' && c <= '9' || alphanumeric && (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '-');
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private static String quote(String s) {
        return io.gatehouse.core.internal.GoText.quote(s);
    }

    /** blang/semver's {@code Compare}: numbers, then pre-releases (a release ranks above any of its pre-releases). */
    @Override
    public int compareTo(GoSemver o) {
        int c = Long.compareUnsigned(major, o.major);
        if (c == 0) {
            c = Long.compareUnsigned(minor, o.minor);
        }
        if (c == 0) {
            c = Long.compareUnsigned(patch, o.patch);
        }
        if (c != 0) {
            return Integer.signum(c);
        }
        if (pre.isEmpty() && o.pre.isEmpty()) {
            return 0;
        }
        if (pre.isEmpty()) {
            return 1;
        }
        if (o.pre.isEmpty()) {
            return -1;
        }
        for (int i = 0; i < Math.min(pre.size(), o.pre.size()); i++) {
            int r = comparePre(pre.get(i), o.pre.get(i));
            if (r != 0) {
                return r;
            }
        }
        return Integer.compare(pre.size(), o.pre.size());
    }

    private static int comparePre(Object a, Object b) {
        if (a instanceof BigInteger x && b instanceof BigInteger y) {
            return Integer.signum(x.compareTo(y));
        }
        if (a instanceof BigInteger) {
            return -1;
        }
        if (b instanceof BigInteger) {
            return 1;
        }
        return Integer.signum(((String) a).compareTo((String) b));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GoSemver v && compareTo(v) == 0;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(major) * 961 + Long.hashCode(minor) * 31 + Long.hashCode(patch) + pre.hashCode();
    }
}
