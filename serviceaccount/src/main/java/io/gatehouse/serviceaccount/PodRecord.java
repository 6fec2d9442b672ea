package io.gatehouse.serviceaccount;

import java.time.Instant;
import java.util.Objects;

/**
 * What the authenticator needs of a Pod a token is bound to.
 *
 * @param namespace         its namespace; never null
 * @param name              its name; never null
 * @param uid               its UID; never null
 * @param deletionTimestamp when deletion began, or null
 */
public record PodRecord(String namespace, String name, String uid, Instant deletionTimestamp) {

    /**
     * Validates.
     *
     * @param namespace its namespace; never null
     * @param name its name; never null
     * @param uid its UID; never null
     * @param deletionTimestamp when deletion began, or null
     */
    public PodRecord {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(uid, "uid");
    }
}
