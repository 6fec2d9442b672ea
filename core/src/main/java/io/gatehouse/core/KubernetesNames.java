package io.gatehouse.core;

/** Well-known user, group and extra names of Kubernetes' {@code user} package. */
public final class KubernetesNames {

    /** The group every authenticated user gets. */
    public static final String ALL_AUTHENTICATED = "system:authenticated";
    /** The group of the anonymous user. */
    public static final String ALL_UNAUTHENTICATED = "system:unauthenticated";
    /** The anonymous user's name. */
    public static final String ANONYMOUS = "system:anonymous";
    /** The cluster-admin group. */
    public static final String SYSTEM_MASTERS = "system:masters";
    /** The extra key naming the credential that authenticated a user. */
    public static final String CREDENTIAL_ID_KEY = "authentication.kubernetes.io/credential-id";

    private KubernetesNames() {
    }
}
