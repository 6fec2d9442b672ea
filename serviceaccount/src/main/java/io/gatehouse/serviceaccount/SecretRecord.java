package io.gatehouse.serviceaccount;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * What the authenticator needs of a Secret: a legacy token's secret, or the secret a bound token is bound to.
 *
 * <p>The stored token is a secret: it is copied in and out, compared in constant time, and left out of
 * {@link #toString()}, {@link #equals} and {@link #hashCode}.
 *
 * @param namespace         its namespace; never null
 * @param name              its name; never null
 * @param uid               its UID; never null
 * @param deletionTimestamp when deletion began, or null
 * @param labels            its labels, e.g. {@link #LEGACY_TOKEN_INVALID_SINCE_LABEL}
 * @param token             {@code data["token"]} of a legacy token secret; empty when none
 */
public record SecretRecord(String namespace, String name, String uid, Instant deletionTimestamp,
                           Map<String, String> labels, byte[] token) {

    /** Set by the legacy-token cleaner: the secret's token is refused from then on. */
    public static final String LEGACY_TOKEN_INVALID_SINCE_LABEL = "kubernetes.io/legacy-token-invalid-since";

    /** The day (UTC, {@code YYYY-MM-DD}) a legacy token was last used. */
    public static final String LEGACY_TOKEN_LAST_USED_LABEL = "kubernetes.io/legacy-token-last-used";

    /**
     * Validates and copies.
     *
     * @param namespace its namespace; never null
     * @param name its name; never null
     * @param uid its UID; never null
     * @param deletionTimestamp when deletion began, or null
     * @param labels its labels, e.g. {@link #LEGACY_TOKEN_INVALID_SINCE_LABEL}
     * @param token {@code data["token"]} of a legacy token secret; empty when none
     */
    public SecretRecord {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(uid, "uid");
        labels = Map.copyOf(labels);
        token = token == null ? new byte[0] : token.clone();
    }

    /**
     * A live secret holding a legacy token.
     *
     * @param namespace the secret's namespace
     * @param name its name
     * @param uid its UID
     * @param token the token stored in it (its {@code data["token"]})
     * @return a secret with no labels and no deletion timestamp
     */
    public static SecretRecord ofLegacyToken(String namespace, String name, String uid, String token) {
        return new SecretRecord(namespace, name, uid, null, Map.of(), token.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * A copy of the stored token.
     *
     * @return the token's UTF-8 bytes, a fresh copy; empty when none
     */
    @Override
    public byte[] token() {
        return token.clone();
    }

    /**
     * Returns a copy with {@code labels}.
     *
     * @param newLabels the labels, replacing the current ones
     * @return the copy
     */
    public SecretRecord withLabels(Map<String, String> newLabels) {
        return new SecretRecord(namespace, name, uid, deletionTimestamp, newLabels, token);
    }

    /**
     * Returns a copy with {@code deletedAt} as its deletion timestamp.
     *
     * @param deletedAt when deletion began, or null for a live secret
     * @return the copy
     */
    public SecretRecord withDeletionTimestamp(Instant deletedAt) {
        return new SecretRecord(namespace, name, uid, deletedAt, labels, token);
    }

    /** Whether {@code presented} equals the stored token, in time independent of where they differ. */
    boolean tokenMatches(byte[] presented) {
        return java.security.MessageDigest.isEqual(token, presented);
    }

    /** Compares identity fields only; the token is left out on purpose. */
    @Override
    public boolean equals(Object o) {
        return o instanceof SecretRecord s && namespace.equals(s.namespace) && name.equals(s.name) && uid.equals(s.uid)
                && Objects.equals(deletionTimestamp, s.deletionTimestamp) && labels.equals(s.labels);
    }

    @Override
    public int hashCode() {
        return Objects.hash(namespace, name, uid, deletionTimestamp, labels);
    }

    /** Never prints the token. */
    @Override
    public String toString() {
        return "SecretRecord{" + namespace + "/" + name + ", uid=" + uid + ", deletionTimestamp=" + deletionTimestamp
                + ", labels=" + labels + ", token=" + (token.length == 0 ? "none" : "<redacted>") + "}";
    }
}
