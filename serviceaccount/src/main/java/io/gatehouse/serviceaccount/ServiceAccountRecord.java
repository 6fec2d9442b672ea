package io.gatehouse.serviceaccount;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What the authenticator needs of a ServiceAccount object.
 *
 * @param namespace         its namespace; never null
 * @param name              its name; never null
 * @param uid               its UID; never null
 * @param deletionTimestamp when deletion began, or null when it is not being deleted
 * @param secretNames       the secrets its {@code secrets} field lists (auto-generated legacy token secrets)
 */
public record ServiceAccountRecord(String namespace, String name, String uid, Instant deletionTimestamp,
                                   List<String> secretNames) {

    /**
     * Validates and copies.
     *
     * @param namespace its namespace; never null
     * @param name its name; never null
     * @param uid its UID; never null
     * @param deletionTimestamp when deletion began, or null when it is not being deleted
     * @param secretNames the secrets its {@code secrets} field lists (auto-generated legacy token secrets)
     */
    public ServiceAccountRecord {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(uid, "uid");
        secretNames = List.copyOf(secretNames);
    }

    /**
     * A live service account with no listed secrets.
     *
     * @param namespace its namespace
     * @param name its name
     * @param uid its UID
     * @return the record
     */
    public static ServiceAccountRecord of(String namespace, String name, String uid) {
        return new ServiceAccountRecord(namespace, name, uid, null, List.of());
    }
}
