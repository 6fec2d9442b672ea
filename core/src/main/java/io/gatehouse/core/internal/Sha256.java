package io.gatehouse.core.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * SHA-256 for Gatehouse's modules: fingerprints, key ids, cache keys, token digests. One digest per thread,
 * because looking a {@link MessageDigest} up costs more than hashing a token or a certificate.
 */
public final class Sha256 {

    private static final ThreadLocal<MessageDigest> DIGEST = ThreadLocal.withInitial(Sha256::newDigest);

    private Sha256() {
    }

    /** SHA-256 of {@code data}. */
    public static byte[] digest(byte[] data) {
        return DIGEST.get().digest(data);
    }

    /** SHA-256 of the UTF-8 bytes of {@code text}. */
    public static byte[] digest(String text) {
        return digest(text.getBytes(StandardCharsets.UTF_8));
    }

    /** A new SHA-256 digest of the caller's own. */
    public static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
    }
}
