package io.gatehouse.statictoken;

import io.gatehouse.core.AuthenticationResult.Authenticated;
import io.gatehouse.core.UserInfo;
import io.gatehouse.core.internal.Sha256;
import java.security.MessageDigest;

/**
 * An immutable table from token to user that holds tokens only as SHA-256 digests, so that neither the
 * heap nor the file need hold a token in plain text. A lookup finds candidates by the digest's first eight
 * bytes (an open-addressing table of primitive longs, no boxing and no list per token) and confirms the whole
 * digest with {@link MessageDigest#isEqual}, a constant-time comparison. A
 * token longer than every token in the table (a JWT offered to a chain that also holds static tokens) is a
 * miss without being hashed; a table with digest-only entries, whose lengths are unknown, hashes every token.
 */
final class TokenTable {

    /** Open addressing on the digest's first eight bytes: {@code prefixes[i]} and the entries sharing it. */
    private final long[] prefixes;
    private final Entry[] slots;
    private final int mask;
    private final int size;
    /** The longest token in the table, in chars; {@link Integer#MAX_VALUE} when a length is unknown. */
    private final int maxLength;

    private TokenTable(long[] prefixes, Entry[] slots, int size, int maxLength) {
        this.prefixes = prefixes;
        this.slots = slots;
        this.mask = slots.length - 1;
        this.size = size;
        this.maxLength = maxLength;
    }

    /** The verdict for {@code token}, made once per entry so that a lookup allocates nothing for it; or null. */
    Authenticated find(String token) {
        if (token.length() > maxLength) {
            return null;
        }
        byte[] digest = digest(token);
        long prefix = prefix(digest);
        for (int i = spread(prefix) & mask; slots[i] != null; i = (i + 1) & mask) {
            if (prefixes[i] == prefix) {
                for (Entry e = slots[i]; e != null; e = e.next) {
                    if (MessageDigest.isEqual(e.digest, digest)) {
                        return e.verdict;
                    }
                }
                return null;
            }
        }
        return null;
    }

    /** How many tokens the table holds. */
    int size() {
        return size;
    }

    @Override
    public String toString() {
        return "TokenTable{" + size + " tokens}";
    }

    /** SHA-256 of the token's UTF-8 bytes. */
    static byte[] digest(String token) {
        return Sha256.digest(token);
    }

    private static long prefix(byte[] digest) {
        long p = 0;
        for (int i = 0; i < 8; i++) {
            p = (p << 8) | (digest[i] & 0xFF);
        }
        return p;
    }

    /** The slot a prefix starts probing at; a SHA-256 prefix is already uniform, its high bits are folded in. */
    private static int spread(long prefix) {
        return (int) (prefix ^ (prefix >>> 32));
    }

    /** The tokens whose digests share a prefix (almost always one), newest replacing in place. */
    private static final class Entry {
        final byte[] digest;
        Authenticated verdict;
        Entry next;

        Entry(byte[] digest, Authenticated verdict) {
            this.digest = digest;
            this.verdict = verdict;
        }
    }

    /**
     * Builds a table; a later entry for the same token replaces the earlier one. Not thread-safe. A built table
     * shares the builder's arrays; a later {@link #put} copies them first, so a built table never changes.
     */
    static final class Builder {
        private long[] prefixes;
        private Entry[] slots;
        private int used;
        private int size;
        private int maxLength;
        private boolean shared;

        /** A builder for a few tokens. */
        Builder() {
            this(16);
        }

        /** A builder sized for about {@code expected} tokens, so that filling it never rehashes. */
        Builder(int expected) {
            int capacity = Integer.highestOneBit(Math.max(16, Math.min(expected, 1 << 28)) * 2 - 1) * 2;
            prefixes = new long[capacity];
            slots = new Entry[capacity];
        }

        /**
         * Maps the token with SHA-256 {@code digest} to {@code user}.
         *
         * @param tokenLength the token's length in chars, or -1 when only its digest is known
         * @return true if it replaced an earlier entry for the same token
         */
        boolean put(byte[] digest, int tokenLength, UserInfo user) {
            if (shared) {
                unshare();
            }
            maxLength = tokenLength < 0 ? Integer.MAX_VALUE : Math.max(maxLength, tokenLength);
            long prefix = prefix(digest);
            int mask = slots.length - 1;
            int i = spread(prefix) & mask;
            while (slots[i] != null && prefixes[i] != prefix) {
                i = (i + 1) & mask;
            }
            if (slots[i] != null) {
                for (Entry e = slots[i]; e != null; e = e.next) {
                    if (MessageDigest.isEqual(e.digest, digest)) {
                        e.verdict = Authenticated.of(user);
                        return true;
                    }
                }
                Entry added = new Entry(digest, Authenticated.of(user));
                added.next = slots[i];
                slots[i] = added;
                size++;
                return false;
            }
            prefixes[i] = prefix;
            slots[i] = new Entry(digest, Authenticated.of(user));
            size++;
            if (++used * 2 > slots.length) {
                grow();
            }
            return false;
        }

        /** Doubles the arrays, keeping the load at most one half. */
        private void grow() {
            long[] oldPrefixes = prefixes;
            Entry[] oldSlots = slots;
            prefixes = new long[oldSlots.length * 2];
            slots = new Entry[oldSlots.length * 2];
            int mask = slots.length - 1;
            for (int j = 0; j < oldSlots.length; j++) {
                if (oldSlots[j] != null) {
                    int i = spread(oldPrefixes[j]) & mask;
                    while (slots[i] != null) {
                        i = (i + 1) & mask;
                    }
                    prefixes[i] = oldPrefixes[j];
                    slots[i] = oldSlots[j];
                }
            }
        }

        TokenTable build() {
            shared = true;
            return new TokenTable(prefixes, slots, size, maxLength);
        }

        /** Copies the arrays and entries a built table holds, before they are changed. */
        private void unshare() {
            prefixes = prefixes.clone();
            slots = slots.clone();
            for (int i = 0; i < slots.length; i++) {
                Entry copy = null;
                Entry tail = null;
                for (Entry e = slots[i]; e != null; e = e.next) {
                    Entry c = new Entry(e.digest, e.verdict);
                    if (copy == null) {
                        copy = c;
                    } else {
                        tail.next = c;
                    }
                    tail = c;
                }
                slots[i] = copy;
            }
            shared = false;
        }
    }
}
