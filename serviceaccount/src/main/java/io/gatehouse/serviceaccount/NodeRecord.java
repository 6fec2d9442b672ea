package io.gatehouse.serviceaccount;

import java.time.Instant;
import java.util.Objects;

/**
 * What the authenticator needs of a Node a token is bound to.
 *
 * @param name              its name; never null
 * @param uid               its UID; never null
 * @param deletionTimestamp when deletion began, or null
 */
public record NodeRecord(String name, String uid, Instant deletionTimestamp) {

    /**
     * Validates.
     *
     * @param name its name; never null
     * @param uid its UID; never null
     * @param deletionTimestamp when deletion began, or null
     */
    public NodeRecord {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(uid, "uid");
    }
}
