package io.gatehouse.serviceaccount;

import io.gatehouse.core.Fingerprint;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A token minted for a {@link TokenRequest}, as the TokenRequest API's status.
 *
 * @param token               the signed JWT; a secret: never logged, and left out of {@link #toString()}
 * @param expirationTimestamp now plus the granted lifetime (not the extended one; see the issuer)
 * @param credentialId        {@code JTI=<jti>}, the credential id Kubernetes audits
 * @param warnings            warnings for the caller, e.g. a shortened lifetime
 */
public record IssuedToken(String token, Instant expirationTimestamp, String credentialId, List<String> warnings) {

    /**
     * Validates and copies.
     *
     * @param token the signed JWT; a secret: never logged, and left out of {@link #toString()}
     * @param expirationTimestamp now plus the granted lifetime (not the extended one; see the issuer)
     * @param credentialId {@code JTI=<jti>}, the credential id Kubernetes audits
     * @param warnings warnings for the caller, e.g. a shortened lifetime
     */
    public IssuedToken {
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(expirationTimestamp, "expirationTimestamp");
        Objects.requireNonNull(credentialId, "credentialId");
        warnings = List.copyOf(warnings);
    }

    /** Shows a fingerprint, never the token. */
    @Override
    public String toString() {
        return "IssuedToken{token=" + Fingerprint.of(token) + ", expirationTimestamp=" + expirationTimestamp
                + ", credentialId=" + credentialId + ", warnings=" + warnings + "}";
    }
}
