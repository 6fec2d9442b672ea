package io.gatehouse.oidc;

import io.gatehouse.core.internal.GoText;
import java.util.Arrays;

/**
 * IP addresses and prefixes as Go's {@code net/netip} parses, prints and classifies them, for Kubernetes' CEL
 * {@code ip()} and {@code cidr()} libraries: {@link #parseAddr} and {@link #parsePrefix} with netip's error texts,
 * {@link Addr#toString()} in netip's canonical form (RFC 5952 for IPv6), and netip's predicates.
 */
final class GoNetip {

    private GoNetip() {
    }

    /** A netip parse failure, worded as netip's error. */
    static final class ParseException extends Exception {
        private static final long serialVersionUID = 1L;

        ParseException(String message) {
            super(message, null, false, false);
        }
    }

    /** An address: 4 bytes (IPv4) or 16 (IPv6), and an IPv6 zone (empty when none). */
    static final class Addr {
        final byte[] bytes;
        final String zone;

        Addr(byte[] bytes, String zone) {
            this.bytes = bytes;
            this.zone = zone;
        }

        boolean is4() {
            return bytes.length == 4;
        }

        boolean is4In6() {
            if (bytes.length != 16) {
                return false;
            }
            for (int i = 0; i < 10; i++) {
                if (bytes[i] != 0) {
                    return false;
                }
            }
            return (bytes[10] & 0xFF) == 0xFF && (bytes[11] & 0xFF) == 0xFF;
        }

        private int u16(int i) {
            return (bytes[2 * i] & 0xFF) << 8 | (bytes[2 * i + 1] & 0xFF);
        }

        private boolean allZero() {
            for (byte b : bytes) {
                if (b != 0) {
                    return false;
                }
            }
            return true;
        }

        boolean isUnspecified() {
            return allZero();
        }

        boolean isLoopback() {
            if (is4()) {
                return (bytes[0] & 0xFF) == 127;
            }
            for (int i = 0; i < 15; i++) {
                if (bytes[i] != 0) {
                    return false;
                }
            }
            return bytes[15] == 1;
        }

        boolean isMulticast() {
            return is4() ? (bytes[0] & 0xF0) == 0xE0 : (bytes[0] & 0xFF) == 0xFF;
        }

        boolean isLinkLocalUnicast() {
            return is4() ? (bytes[0] & 0xFF) == 169 && (bytes[1] & 0xFF) == 254 : (u16(0) & 0xFFC0) == 0xFE80;
        }

        boolean isLinkLocalMulticast() {
            return is4() ? (bytes[0] & 0xFF) == 224 && bytes[1] == 0 && bytes[2] == 0 : (u16(0) & 0xFF0F) == 0xFF02;
        }

        boolean isGlobalUnicast() {
            if (is4() && (allZero() || Arrays.equals(bytes, new byte[] {-1, -1, -1, -1}))) {
                return false;
            }
            return !(!is4() && allZero()) && !isLoopback() && !isMulticast() && !isLinkLocalUnicast();
        }

        int bitLength() {
            return bytes.length * 8;
        }

        /** netip's {@code Addr.String()}: dotted IPv4, RFC 5952 IPv6, {@code %zone} appended. */
        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder();
            if (is4()) {
                for (int i = 0; i < 4; i++) {
                    sb.append(i == 0 ? "" : ".").append(bytes[i] & 0xFF);
                }
                return sb.toString();
            }
            if (is4In6()) {
                sb.append("::ffff:");
                for (int i = 12; i < 16; i++) {
                    sb.append(i == 12 ? "" : ".").append(bytes[i] & 0xFF);
                }
            } else {
                int zeroStart = 255;
                int zeroEnd = 255;
                for (int i = 0; i < 8; i++) {
                    int j = i;
                    while (j < 8 && u16(j) == 0) {
                        j++;
                    }
                    if (j - i >= 2 && j - i > zeroEnd - zeroStart) {
                        zeroStart = i;
                        zeroEnd = j;
                    }
                }
                for (int i = 0; i < 8; i++) {
                    if (i == zeroStart) {
                        sb.append("::");
                        i = zeroEnd;
                        if (i >= 8) {
                            break;
                        }
                    } else if (i > 0) {
                        sb.append(':');
                    }
                    sb.append(Integer.toHexString(u16(i)));
                }
            }
            return zone.isEmpty() ? sb.toString() : sb + "%" + zone;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Addr a && Arrays.equals(bytes, a.bytes) && zone.equals(a.zone);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(bytes) * 31 + zone.hashCode();
        }
    }

    /** A prefix: an address and a number of leading bits. */
    static final class Prefix {
        final Addr addr;
        final int bits;

        Prefix(Addr addr, int bits) {
            this.addr = addr;
            this.bits = bits;
        }

        /** netip's {@code Prefix.Masked()}: the host bits cleared. */
        Prefix masked() {
            byte[] b = addr.bytes.clone();
            for (int i = 0; i < b.length; i++) {
                int keep = Math.max(0, Math.min(8, bits - 8 * i));
                b[i] &= (byte) (0xFF << (8 - keep));
            }
            return new Prefix(new Addr(b, ""), bits);
        }

        /** netip's {@code Prefix.Contains}: same family and the first {@code bits} bits equal. */
        boolean contains(Addr ip) {
            if (ip.bytes.length != addr.bytes.length || !ip.zone.isEmpty()) {
                return false;
            }
            for (int i = 0; i < bits; i++) {
                int mask = 0x80 >> (i % 8);
                if ((ip.bytes[i / 8] & mask) != (addr.bytes[i / 8] & mask)) {
                    return false;
                }
            }
            return true;
        }

        /** Kubernetes' {@code containsCIDR}: the other prefix lies inside this one. */
        boolean containsPrefix(Prefix other) {
            return other.addr.bytes.length == addr.bytes.length && bits <= other.bits && contains(other.masked().addr);
        }

        @Override
        public String toString() {
            return addr + "/" + bits;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Prefix p && p.bits == bits && p.addr.equals(addr);
        }

        @Override
        public int hashCode() {
            return addr.hashCode() * 31 + bits;
        }
    }

    /** netip's {@code ParseAddr}. */
    static Addr parseAddr(String s) throws ParseException {
        for (int i = 0; i < s.length(); i++) {
            switch (s.charAt(i)) {
                case '.':
                    byte[] v4 = new byte[4];
                    parseIPv4Fields(s, 0, s.length(), v4, 0);
                    return new Addr(v4, "");
                case ':':
                    return parseIPv6(s);
                case '%':
                    throw addrError(s, "missing IPv6 address", null);
                default:
                    break;
            }
        }
        throw addrError(s, "unable to parse IP", null);
    }

    /** netip's {@code ParsePrefix}. */
    static Prefix parsePrefix(String s) throws ParseException {
        int slash = s.lastIndexOf('/');
        if (slash < 0) {
            throw prefixError(s, "no '/'");
        }
        Addr ip;
        try {
            ip = parseAddr(s.substring(0, slash));
        } catch (ParseException e) {
            throw prefixError(s, e.getMessage());
        }
        if (!ip.is4() && !ip.zone.isEmpty()) {
            throw prefixError(s, "IPv6 zones cannot be present in a prefix");
        }
        String bitsText = s.substring(slash + 1);
        if (bitsText.length() > 1 && (bitsText.charAt(0) < '1' || bitsText.charAt(0) > '9')
                || bitsText.isEmpty() || !bitsText.chars().allMatch(c -> c >= '0' && c <= '9') || bitsText.length() > 9) {
            throw prefixError(s, "bad bits after slash: " + GoText.quote(bitsText));
        }
        int bits = Integer.parseInt(bitsText);
        if (bits > ip.bitLength()) {
            throw prefixError(s, "prefix length out of range");
        }
        return new Prefix(ip, bits);
    }

    private static void parseIPv4Fields(String in, int off, int end, byte[] fields, int at) throws ParseException {
        int val = 0;
        int pos = 0;
        int digits = 0;
        String s = in.substring(off, end);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= '0' && c <= '9') {
                if (digits == 1 && val == 0) {
                    throw addrError(in, "IPv4 field has octet with leading zero", null);
                }
                val = val * 10 + (c - '0');
                digits++;
                if (val > 255) {
                    throw addrError(in, "IPv4 field has value >255", null);
                }
            } else if (c == '.') {
                if (i == 0 || i == s.length() - 1 || s.charAt(i - 1) == '.') {
                    throw addrError(in, "IPv4 field must have at least one digit", s.substring(i));
                }
                if (pos == 3) {
                    throw addrError(in, "IPv4 address too long", null);
                }
                fields[at + pos] = (byte) val;
                pos++;
                val = 0;
                digits = 0;
            } else {
                throw addrError(in, "unexpected character", s.substring(i));
            }
        }
        if (pos < 3) {
            throw addrError(in, "IPv4 address too short", null);
        }
        fields[at + 3] = (byte) val;
    }

    private static Addr parseIPv6(String in) throws ParseException {
        String s = in;
        String zone = "";
        int pct = s.indexOf('%');
        if (pct >= 0) {
            zone = s.substring(pct + 1);
            s = s.substring(0, pct);
            if (zone.isEmpty()) {
                throw addrError(in, "zone must be a non-empty string", null);
            }
        }
        byte[] ip = new byte[16];
        int ellipsis = -1;
        if (s.length() >= 2 && s.charAt(0) == ':' && s.charAt(1) == ':') {
            ellipsis = 0;
            s = s.substring(2);
            if (s.isEmpty()) {
                return new Addr(ip, zone);
            }
        }
        int i = 0;
        while (i < 16) {
            int off = 0;
            int acc = 0;
            for (; off < s.length(); off++) {
                char c = s.charAt(off);
                if (c >= '0' && c <= '9') {
                    acc = (acc << 4) + (c - '0');
                } else if (c >= 'a' && c <= 'f') {
                    acc = (acc << 4) + (c - 'a' + 10);
                } else if (c >= 'A' && c <= 'F') {
                    acc = (acc << 4) + (c - 'A' + 10);
                } else {
                    break;
                }
                if (off > 3) {
                    throw addrError(in, "each group must have 4 or less digits", s);
                }
                if (acc > 0xFFFF) {
                    throw addrError(in, "IPv6 field has value >=2^16", s);
                }
            }
            if (off == 0) {
                throw addrError(in, "each colon-separated field must have at least one digit", s);
            }
            if (off < s.length() && s.charAt(off) == '.') {
                if (ellipsis < 0 && i != 12) {
                    throw addrError(in, "embedded IPv4 address must replace the final 2 fields of the address", s);
                }
                if (i + 4 > 16) {
                    throw addrError(in, "too many hex fields to fit an embedded IPv4 at the end of the address", s);
                }
                int end = in.length() - (zone.isEmpty() ? 0 : zone.length() + 1);
                parseIPv4Fields(in, end - s.length(), end, ip, i);
                s = "";
                i += 4;
                break;
            }
            ip[i] = (byte) (acc >> 8);
            ip[i + 1] = (byte) acc;
            i += 2;
            s = s.substring(off);
            if (s.isEmpty()) {
                break;
            }
            if (s.charAt(0) != ':') {
                throw addrError(in, "unexpected character, want colon", s);
            } else if (s.length() == 1) {
                throw addrError(in, "colon must be followed by more characters", s);
            }
            s = s.substring(1);
            if (s.charAt(0) == ':') {
                if (ellipsis >= 0) {
                    throw addrError(in, "multiple :: in address", s);
                }
                ellipsis = i;
                s = s.substring(1);
                if (s.isEmpty()) {
                    break;
                }
            }
        }
        if (!s.isEmpty()) {
            throw addrError(in, "trailing garbage after address", s);
        }
        if (i < 16) {
            if (ellipsis < 0) {
                throw addrError(in, "address string too short", null);
            }
            int n = 16 - i;
            for (int j = i - 1; j >= ellipsis; j--) {
                ip[j + n] = ip[j];
            }
            Arrays.fill(ip, ellipsis, ellipsis + n, (byte) 0);
        } else if (ellipsis >= 0) {
            throw addrError(in, "the :: must expand to at least one field of zeros", null);
        }
        return new Addr(ip, zone);
    }

    private static ParseException addrError(String in, String msg, String at) {
        return new ParseException("ParseAddr(" + GoText.quote(in) + "): " + msg
                + (at == null || at.isEmpty() ? "" : " (at " + GoText.quote(at) + ")"));
    }

    private static ParseException prefixError(String in, String msg) {
        return new ParseException("netip.ParsePrefix(" + GoText.quote(in) + "): " + msg);
    }

}
