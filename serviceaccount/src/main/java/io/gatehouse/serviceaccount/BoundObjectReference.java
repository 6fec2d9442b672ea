package io.gatehouse.serviceaccount;

import java.util.Objects;

/**
 * The object a bound token is tied to (TokenRequest's {@code boundObjectRef}): the token stops working when
 * the object is deleted or replaced.
 *
 * @param kind the object's kind
 * @param name its name (in the service account's namespace, except nodes); never null or empty
 * @param uid  its UID; never null or empty
 */
public record BoundObjectReference(Kind kind, String name, String uid) {

    /** The kinds a token may be bound to. */
    public enum Kind {
        /** A Pod: the usual case (projected volume tokens). */
        POD,
        /** A Secret. */
        SECRET,
        /** A Node. */
        NODE
    }

    /**
     * Checks and copies the components.
     *
     * @param kind the object's kind
     * @param name its name (in the service account's namespace, except nodes); never null or empty
     * @param uid its UID; never null or empty
     * @throws IllegalArgumentException if name or uid is empty
     */
    public BoundObjectReference {
        Objects.requireNonNull(kind, "kind");
        if (name == null || name.isEmpty() || uid == null || uid.isEmpty()) {
            throw new IllegalArgumentException("a bound object reference needs a name and a uid");
        }
    }

    /**
     * A pod reference.
     *
     * @param name the pod's name, in the service account's namespace
     * @param uid the pod's UID
     * @return the reference
     */
    public static BoundObjectReference pod(String name, String uid) {
        return new BoundObjectReference(Kind.POD, name, uid);
    }

    /**
     * A secret reference.
     *
     * @param name the secret's name, in the service account's namespace
     * @param uid the secret's UID
     * @return the reference
     */
    public static BoundObjectReference secret(String name, String uid) {
        return new BoundObjectReference(Kind.SECRET, name, uid);
    }

    /**
     * A node reference.
     *
     * @param name the node's name
     * @param uid the node's UID
     * @return the reference
     */
    public static BoundObjectReference node(String name, String uid) {
        return new BoundObjectReference(Kind.NODE, name, uid);
    }
}
