package io.gatehouse.statictoken;

import io.gatehouse.core.AuthenticationResult.Authenticated;
import io.gatehouse.core.UserInfo;
import io.gatehouse.core.internal.Sha256;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An immutable table from token to user that holds tokens only as SHA-256 digests, so that neither the
 * heap nor the file need hold a token in plain text. A lookup finds candidates by the digest's first eight
 * bytes and confirms the whole digest with {@link MessageDigest#isEqual}, a constant-time comparison. A
 * token longer than every token in the table (a JWT offered to a chain that also holds static tokens) is a
 * miss without being hashed; a table with digest-only entries, whose lengths are unknown, hashes every token.
 */
final class TokenTable {


    private final Map<Long, List<Entry>> entries;
    private final int size;
    /** The longest token in the table, in chars; {@link Integer#MAX_VALUE} when a length is unknown. */
    private final int maxLength;

    private TokenTable(Map<Long, List<Entry>> entries, int size, int maxLength) {
        this.entries = entries;
        this.size = size;
        this.maxLength = maxLength;
    }

    /** The verdict for {@code token}, made once per entry so that a lookup allocates nothing for it; or null. */
    Authenticated find(String token) {
        if (token.length() > maxLength) {
            return null;
        }
        byte[] digest = digest(token);
        List<Entry> candidates = entries.get(prefix(digest));
        if (candidates != null) {
            for (int i = 0; i < candidates.size(); i++) {
                Entry e = candidates.get(i);
                if (MessageDigest.isEqual(e.digest, digest)) {
                    return e.verdict;
                }
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
        return ByteBuffer.wrap(digest, 0, 8).getLong();
    }

    private record Entry(byte[] digest, Authenticated verdict) {
    }

    /** Builds a table; a later entry for the same token replaces the earlier one. Not thread-safe. */
    static final class Builder {
        private final Map<Long, List<Entry>> entries = new HashMap<>();
        private int size;
        private int maxLength;

        /**
         * Maps the token with SHA-256 {@code digest} to {@code user}.
         *
         * @param tokenLength the token's length in chars, or -1 when only its digest is known
         * @return true if it replaced an earlier entry for the same token
         */
        boolean put(byte[] digest, int tokenLength, UserInfo user) {
            maxLength = tokenLength < 0 ? Integer.MAX_VALUE : Math.max(maxLength, tokenLength);
            List<Entry> bucket = entries.computeIfAbsent(prefix(digest), k -> new ArrayList<>(1));
            for (int i = 0; i < bucket.size(); i++) {
                if (MessageDigest.isEqual(bucket.get(i).digest, digest)) {
                    bucket.set(i, new Entry(digest, Authenticated.of(user)));
                    return true;
                }
            }
            bucket.add(new Entry(digest, Authenticated.of(user)));
            size++;
            return false;
        }

        TokenTable build() {
            Map<Long, List<Entry>> frozen = new HashMap<>(entries.size() * 4 / 3 + 1);
            entries.forEach((k, v) -> frozen.put(k, List.copyOf(v)));
            return new TokenTable(frozen, size, maxLength);
        }
    }
}
