package io.gatehouse.serviceaccount;

import java.util.List;
import java.util.Objects;

/**
 * A request for a bound token, as the TokenRequest API's spec: for which service account, for which
 * audiences, for how long, bound to which object.
 *
 * @param namespace          the service account's namespace; never null or empty
 * @param serviceAccountName the service account's name; never null or empty
 * @param serviceAccountUid  the service account's UID; never null or empty
 * @param audiences          the audiences; empty means the issuer's API audiences
 * @param expirationSeconds  the requested lifetime; at least 600, at most 2^32
 * @param boundObject        the object the token is bound to, or null
 * @param podNode            for a pod-bound token, the pod's node (embedded, as Kubernetes'
 *                           {@code ServiceAccountTokenPodNodeInfo}); null otherwise
 */
public record TokenRequest(String namespace, String serviceAccountName, String serviceAccountUid, List<String> audiences,
                           long expirationSeconds, BoundObjectReference boundObject, BoundObjectReference podNode) {

    /** The API default lifetime: one hour. */
    public static final long DEFAULT_EXPIRATION_SECONDS = 3600;

    /**
     * Validates as Kubernetes' TokenRequest validation does.
     *
     * @param namespace the service account's namespace; never null or empty
     * @param serviceAccountName the service account's name; never null or empty
     * @param serviceAccountUid the service account's UID; never null or empty
     * @param audiences the audiences; empty means the issuer's API audiences
     * @param expirationSeconds the requested lifetime; at least 600, at most 2^32
     * @param boundObject the object the token is bound to, or null
     * @param podNode for a pod-bound token, the pod's node (embedded, as Kubernetes' {@code ServiceAccountTokenPodNodeInfo}); null otherwise
     * @throws IllegalArgumentException with Kubernetes' message, e.g. "may not specify a duration less than 10 minutes"
     */
    public TokenRequest {
        if (namespace == null || namespace.isEmpty() || serviceAccountName == null || serviceAccountName.isEmpty()
                || serviceAccountUid == null || serviceAccountUid.isEmpty()) {
            throw new IllegalArgumentException("a token request needs the service account's namespace, name and uid");
        }
        audiences = List.copyOf(audiences);
        if (expirationSeconds < 600) {
            throw new IllegalArgumentException("may not specify a duration less than 10 minutes");
        }
        if (expirationSeconds > 1L << 32) {
            throw new IllegalArgumentException("may not specify a duration larger than 2^32 seconds");
        }
        if (podNode != null && (boundObject == null || boundObject.kind() != BoundObjectReference.Kind.POD
                || podNode.kind() != BoundObjectReference.Kind.NODE)) {
            throw new IllegalArgumentException("podNode is only for a pod-bound token and must reference a node");
        }
    }

    /**
     * A request for an unbound token with the API audiences and the default lifetime.
     *
     * @param namespace the service account's namespace
     * @param name its name
     * @param uid its UID
     * @return the request
     */
    public static TokenRequest forServiceAccount(String namespace, String name, String uid) {
        return new TokenRequest(namespace, name, uid, List.of(), DEFAULT_EXPIRATION_SECONDS, null, null);
    }

    /**
     * Returns a copy with these audiences.
     *
     * @param newAudiences the audiences the token is for; empty for the issuer's API audiences
     * @return the copy
     */
    public TokenRequest withAudiences(List<String> newAudiences) {
        return new TokenRequest(namespace, serviceAccountName, serviceAccountUid, newAudiences, expirationSeconds, boundObject, podNode);
    }

    /**
     * Returns a copy with this lifetime.
     *
     * @param seconds the requested lifetime; at least 600, as Kubernetes requires
     * @return the copy
     */
    public TokenRequest withExpirationSeconds(long seconds) {
        return new TokenRequest(namespace, serviceAccountName, serviceAccountUid, audiences, seconds, boundObject, podNode);
    }

    /**
     * Returns a copy bound to {@code object}.
     *
     * @param object the pod, secret or node the token is bound to
     * @return the copy
     */
    public TokenRequest boundTo(BoundObjectReference object) {
        return new TokenRequest(namespace, serviceAccountName, serviceAccountUid, audiences, expirationSeconds,
                Objects.requireNonNull(object, "object"), podNode);
    }

    /**
     * Returns a copy of a pod-bound request that also embeds the pod's node.
     *
     * @param nodeName the name of the node the pod runs on
     * @param nodeUid that node's UID
     * @return the copy
     */
    public TokenRequest withPodNode(String nodeName, String nodeUid) {
        return new TokenRequest(namespace, serviceAccountName, serviceAccountUid, audiences, expirationSeconds, boundObject,
                BoundObjectReference.node(nodeName, nodeUid));
    }
}
