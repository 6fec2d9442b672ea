package io.gatehouse.x509;

import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * How client certificates are checked with OCSP (RFC 6960).
 *
 * @param mode             {@link Mode#OFF} (the default), {@link Mode#SOFT_FAIL} or {@link Mode#HARD_FAIL}
 * @param responderUrl     the responder to ask; null to use the OCSP address in the certificate's Authority
 *                         Information Access extension. A configured responder overrides the certificate's
 * @param timeout          the most time one OCSP exchange (connect, request and whole response) may take
 * @param maxResponseBytes the largest response read; a larger one is a failed check
 */
public record OcspSettings(Mode mode, URI responderUrl, Duration timeout, int maxResponseBytes) {

    /** Default {@link #timeout()}: 5 seconds. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);
    /** Default {@link #maxResponseBytes()}: 64 KiB, far above a real response (a few KiB with its certificates). */
    public static final int DEFAULT_MAX_RESPONSE_BYTES = 64 * 1024;

    /** What a failed OCSP check (no answer, a bad or unknown answer) does; a "revoked" answer always rejects. */
    public enum Mode {
        /** No OCSP checks. */
        OFF,
        /** A failed check is reported to the listener as a warning and the certificate is accepted. */
        SOFT_FAIL,
        /** A failed check rejects the certificate ({@code INTERNAL_ERROR}, or {@code UNTRUSTED_CERTIFICATE} for "unknown"). */
        HARD_FAIL;

        /**
         * Parses {@code off}, {@code soft-fail} or {@code hard-fail} (any case).
         *
         * @param text the setting's text; not null
         * @return the mode it names
         * @throws IllegalArgumentException for anything else
         */
        public static Mode parse(String text) {
            return switch (text.toLowerCase(Locale.ROOT)) {
                case "off" -> OFF;
                case "soft-fail" -> SOFT_FAIL;
                case "hard-fail" -> HARD_FAIL;
                default -> throw new IllegalArgumentException("must be off, soft-fail or hard-fail, found '" + text + "'");
            };
        }

        /**
         * The setting's spelling: {@code off}, {@code soft-fail}, {@code hard-fail}.
         *
         * @return the lower-case, hyphenated name that {@link #parse(String)} accepts
         */
        public String spelling() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    /**
     * Creates OCSP settings, checking each value.
     *
     * @param mode             what a failed check does; not null
     * @param responderUrl     an http or https URL with a host, or null to use the certificate's own responder
     * @param timeout          the most time one OCSP exchange may take; not null, positive
     * @param maxResponseBytes the largest response read, in bytes; at least 1
     * @throws IllegalArgumentException if the timeout or size is not positive or the URL is not http(s) with a host
     */
    public OcspSettings {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive: " + timeout);
        }
        if (maxResponseBytes < 1) {
            throw new IllegalArgumentException("maxResponseBytes must be positive: " + maxResponseBytes);
        }
        if (responderUrl != null) {
            String scheme = responderUrl.getScheme();
            if (scheme == null || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
                    || responderUrl.getHost() == null) {
                throw new IllegalArgumentException("responderUrl must be an http or https URL: " + responderUrl);
            }
        }
    }

    /**
     * OCSP off.
     *
     * @return settings with {@link Mode#OFF} and the default limits
     */
    public static OcspSettings off() {
        return new OcspSettings(Mode.OFF, null, DEFAULT_TIMEOUT, DEFAULT_MAX_RESPONSE_BYTES);
    }

    /**
     * {@code mode} with the certificate's own responder and default limits.
     *
     * @param mode what a failed check does; not null
     * @return settings with no configured responder, {@link #DEFAULT_TIMEOUT} and
     *         {@link #DEFAULT_MAX_RESPONSE_BYTES}
     */
    public static OcspSettings of(Mode mode) {
        return new OcspSettings(mode, null, DEFAULT_TIMEOUT, DEFAULT_MAX_RESPONSE_BYTES);
    }
}
