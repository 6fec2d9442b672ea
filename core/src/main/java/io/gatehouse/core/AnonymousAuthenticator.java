package io.gatehouse.core;

import io.gatehouse.core.AuthenticationResult.Abstained;
import io.gatehouse.core.AuthenticationResult.Authenticated;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Kubernetes' anonymous authenticator: everyone is {@code system:anonymous} in {@code system:unauthenticated}.
 * With conditions (KEP-4633) only requests whose path is exactly one of the listed paths are anonymous; any
 * other request gets no opinion, which the chain turns into 401.
 */
final class AnonymousAuthenticator {

    static final Authenticated RESULT = Authenticated.of(
            new UserInfo(KubernetesNames.ANONYMOUS, "", List.of(KubernetesNames.ALL_UNAUTHENTICATED), Map.of()));

    private AnonymousAuthenticator() {
    }

    /** Anonymous for every request when {@code paths} is empty, else for exact path matches only. */
    static Authenticator forPaths(Set<String> paths) {
        if (paths.isEmpty()) {
            return request -> RESULT;
        }
        Set<String> allowed = Set.copyOf(paths);
        return request -> allowed.contains(request.path()) ? RESULT : Abstained.instance();
    }
}
