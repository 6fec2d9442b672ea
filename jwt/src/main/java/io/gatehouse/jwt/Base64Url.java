package io.gatehouse.jwt;

/**
 * Strict base64url (RFC 7515 section 2): the URL-safe alphabet only, no padding, no whitespace, and the
 * unused trailing bits zero, so that every byte string has exactly one accepted encoding. The JDK and Nimbus
 * decoders are lenient on some of these points, which Wycheproof's base64 group shows.
 */
final class Base64Url {

    private static final byte[] VALUES = new byte[128];

    static {
        java.util.Arrays.fill(VALUES, (byte) -1);
        for (int i = 0; i < 26; i++) {
            VALUES['A' + i] = (byte) i;
            VALUES['a' + i] = (byte) (26 + i);
        }
        for (int i = 0; i < 10; i++) {
            VALUES['0' + i] = (byte) (52 + i);
        }
        VALUES['-'] = 62;
        VALUES['_'] = 63;
    }

    private Base64Url() {
    }

    /** Decodes {@code s[from, to)}, or returns null if it is not canonical strict base64url. */
    static byte[] decode(String s, int from, int to) {
        int n = to - from;
        int rem = n & 3;
        if (rem == 1) {
            return null;
        }
        byte[] out = new byte[(n >> 2) * 3 + (rem == 0 ? 0 : rem - 1)];
        int o = 0;
        int i = from;
        int full = to - rem;
        for (; i < full; i += 4) {
            int b = v(s, i) << 18 | v(s, i + 1) << 12 | v(s, i + 2) << 6 | v(s, i + 3);
            if (b < 0) {
                return null;
            }
            out[o++] = (byte) (b >> 16);
            out[o++] = (byte) (b >> 8);
            out[o++] = (byte) b;
        }
        if (rem == 2) {
            int a = v(s, i);
            int b = v(s, i + 1);
            if ((a | b) < 0 || (b & 0xF) != 0) {
                return null;
            }
            out[o] = (byte) (a << 2 | b >> 4);
        } else if (rem == 3) {
            int a = v(s, i);
            int b = v(s, i + 1);
            int c = v(s, i + 2);
            if ((a | b | c) < 0 || (c & 0x3) != 0) {
                return null;
            }
            out[o++] = (byte) (a << 2 | b >> 4);
            out[o] = (byte) (b << 4 | c >> 2);
        }
        return out;
    }

    private static int v(String s, int i) {
        char c = s.charAt(i);
        return c < 128 ? VALUES[c] : -1;
    }
}
