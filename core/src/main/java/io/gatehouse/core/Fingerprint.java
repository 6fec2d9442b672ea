package io.gatehouse.core;

import io.gatehouse.core.internal.Sha256;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/**
 * Short SHA-256 fingerprints: the only form in which a token, secret or key may appear in a log, an event
 * or an exception message.
 */
public final class Fingerprint {

    private Fingerprint() {
    }

    /**
     * {@code sha256:} and the first 12 hex digits of SHA-256 over the UTF-8 bytes of {@code secret}.
     *
     * @param secret the credential
     * @return the fingerprint, safe to log
     */
    public static String of(String secret) {
        return of(secret.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * {@code sha256:} and the first 12 hex digits of SHA-256 over {@code secret}.
     *
     * @param secret the credential's bytes
     * @return the fingerprint, safe to log
     */
    public static String of(byte[] secret) {
        byte[] digest = Sha256.digest(secret);
        return "sha256:" + HexFormat.of().formatHex(digest, 0, 6);
    }
}
