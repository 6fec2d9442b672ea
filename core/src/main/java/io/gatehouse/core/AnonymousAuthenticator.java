package io.gatehouse.core;

import io.gatehouse.core.AuthenticationResult.Authenticated;
import java.util.List;
import java.util.Map;

/** Kubernetes' anonymous authenticator: everyone is {@code system:anonymous} in {@code system:unauthenticated}. */
final class AnonymousAuthenticator {

    static final Authenticated RESULT = Authenticated.of(
            new UserInfo(KubernetesNames.ANONYMOUS, "", List.of(KubernetesNames.ALL_UNAUTHENTICATED), Map.of()));

    private AnonymousAuthenticator() {
    }
}
