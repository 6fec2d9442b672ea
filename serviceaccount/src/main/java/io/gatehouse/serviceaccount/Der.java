package io.gatehouse.serviceaccount;

import java.math.BigInteger;
import java.util.Arrays;

/**
 * Just enough of a DER reader for the key structures {@code --service-account-key-file} accepts (PKCS#1,
 * SEC1, PKCS#8). The JDK reads only SPKI and PKCS#8, and a crypto provider is too much weight for three
 * structures. Every failure is an {@link IllegalArgumentException} whose message never quotes input bytes.
 */
final class Der {

    static final int INTEGER = 0x02;
    static final int BIT_STRING = 0x03;
    static final int OCTET_STRING = 0x04;
    static final int OID = 0x06;
    static final int SEQUENCE = 0x30;

    private final byte[] buf;
    private int pos;
    private final int end;

    Der(byte[] der) {
        this(der, 0, der.length);
    }

    private Der(byte[] buf, int from, int to) {
        this.buf = buf;
        this.pos = from;
        this.end = to;
    }

    boolean hasMore() {
        return pos < end;
    }

    /** The tag of the next element, or -1 at the end. */
    int peekTag() {
        return pos < end ? buf[pos] & 0xFF : -1;
    }

    Der sequence() {
        int[] v = next(SEQUENCE);
        return new Der(buf, v[0], v[1]);
    }

    /** The contents of an explicit context tag {@code [n]}, or null when the next element is not that tag. */
    Der explicit(int n) {
        if (peekTag() != (0xA0 | n)) {
            return null;
        }
        int[] v = next(0xA0 | n);
        return new Der(buf, v[0], v[1]);
    }

    BigInteger integer() {
        int[] v = next(INTEGER);
        if (v[1] == v[0]) {
            throw new IllegalArgumentException("malformed DER: empty INTEGER");
        }
        return new BigInteger(Arrays.copyOfRange(buf, v[0], v[1]));
    }

    byte[] octetString() {
        return bytes(OCTET_STRING);
    }

    /** A BIT STRING's bytes; only whole bytes (no unused bits) occur in keys. */
    byte[] bitString() {
        byte[] b = bytes(BIT_STRING);
        if (b.length == 0 || b[0] != 0) {
            throw new IllegalArgumentException("malformed DER: BIT STRING with unused bits");
        }
        return Arrays.copyOfRange(b, 1, b.length);
    }

    /** An OBJECT IDENTIFIER's encoded value bytes (compared as bytes, never printed). */
    byte[] oid() {
        return bytes(OID);
    }

    /** Skips one element of any type. */
    void skip() {
        next(-1);
    }

    /** Requires that nothing follows. */
    void end() {
        if (pos != end) {
            throw new IllegalArgumentException("malformed DER: trailing data");
        }
    }

    private byte[] bytes(int tag) {
        int[] v = next(tag);
        return Arrays.copyOfRange(buf, v[0], v[1]);
    }

    /** Reads a tag and length; returns the value's [from, to). A negative expected tag accepts any tag. */
    private int[] next(int expectedTag) {
        if (pos + 2 > end) {
            throw new IllegalArgumentException("malformed DER: truncated");
        }
        int tag = buf[pos++] & 0xFF;
        if (expectedTag >= 0 && tag != expectedTag) {
            throw new IllegalArgumentException("malformed DER: unexpected element");
        }
        int len = buf[pos++] & 0xFF;
        if (len >= 0x80) {
            int n = len & 0x7F;
            if (n == 0 || n > 3 || pos + n > end) {
                throw new IllegalArgumentException("malformed DER: bad length");
            }
            len = 0;
            for (int i = 0; i < n; i++) {
                len = (len << 8) | (buf[pos++] & 0xFF);
            }
        }
        if (len > end - pos) {
            throw new IllegalArgumentException("malformed DER: truncated");
        }
        int from = pos;
        pos += len;
        return new int[] {from, pos};
    }
}
