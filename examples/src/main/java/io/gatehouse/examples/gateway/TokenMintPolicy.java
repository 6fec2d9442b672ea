package io.gatehouse.examples.gateway;

import io.gatehouse.core.KubernetesNames;
import io.gatehouse.core.UserInfo;
import java.util.Set;

/**
 * Who may mint service account tokens through TokenRequest ({@code kubectl create token}). There is no RBAC here:
 * members of the listed groups may, as Kubernetes' default RBAC grants {@code system:masters}; nobody else.
 *
 * @param groups the groups whose members may mint
 */
record TokenMintPolicy(Set<String> groups) {

    /** The default: only {@code system:masters}. */
    static TokenMintPolicy systemMasters() {
        return new TokenMintPolicy(Set.of(KubernetesNames.SYSTEM_MASTERS));
    }

    /** Whether {@code user} may mint. */
    boolean allows(UserInfo user) {
        for (String g : user.groups()) {
            if (groups.contains(g)) {
                return true;
            }
        }
        return false;
    }

    /** Kubernetes' RBAC refusal for {@code user} creating {@code serviceaccounts/token} of {@code name}. */
    static String forbidden(UserInfo user, String namespace, String name) {
        return "serviceaccounts \"" + name + "\" is forbidden: User \"" + user.name()
                + "\" cannot create resource \"serviceaccounts/token\" in API group \"\" in the namespace \""
                + namespace + "\"";
    }
}
