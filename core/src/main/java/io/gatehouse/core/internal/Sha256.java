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

    /**
     * Kubernetes' hash label for metrics ({@code *_hash}): {@code "sha256:"} and the lower-case hex SHA-256 of the
     * UTF-8 bytes; the empty string for an empty or null input.
     */
    public static String label(String text) {
        return text == null || text.isEmpty() ? "" : label(text.getBytes(StandardCharsets.UTF_8));
    }

    /** As {@link #label(String)} for bytes (a JWKS body): the empty string for none. */
    public static String label(byte[] data) {
        return data == null || data.length == 0 ? "" : "sha256:" + java.util.HexFormat.of().formatHex(digest(data));
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
