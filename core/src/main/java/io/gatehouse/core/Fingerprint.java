package io.gatehouse.core;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Short SHA-256 fingerprints: the only form in which a token, secret or key may appear in a log, an event
 * or an exception message.
 */
public final class Fingerprint {

    private Fingerprint() {
    }

    /** {@code sha256:} and the first 12 hex digits of SHA-256 over the UTF-8 bytes of {@code secret}. */
    public static String of(String secret) {
        return of(secret.getBytes(StandardCharsets.UTF_8));
    }

    /** {@code sha256:} and the first 12 hex digits of SHA-256 over {@code secret}. */
    public static String of(byte[] secret) {
        byte[] digest = sha256(secret);
        return "sha256:" + HexFormat.of().formatHex(digest, 0, 6);
    }

    /** SHA-256 of {@code data}. */
    static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
    }
}
