package io.gatehouse.examples.gateway;

import io.gatehouse.serviceaccount.ServiceAccountDiscovery;

/**
 * The service account issuer's discovery document and JWKS, served without credentials: external OIDC verifiers
 * fetch them anonymously (kube-apiserver grants them to everyone through RBAC).
 */
final class DiscoveryEndpoint {

    static final String CONFIGURATION_PATH = "/.well-known/openid-configuration";

    private final ServiceAccountDiscovery discovery;

    DiscoveryEndpoint(ServiceAccountDiscovery discovery) {
        this.discovery = discovery;
    }

    /** Answers {@code ex} if it asks for the discovery document or the JWKS; false, having sent nothing, otherwise. */
    boolean serve(Exchange ex) {
        if (!ex.method().equals("GET")) {
            return false;
        }
        String path = ex.path();
        if (path.equals(CONFIGURATION_PATH)) {
            Responses.bytes(ex, 200, "application/json", discovery.openIdConfiguration());
            return true;
        }
        if (path.equals(ServiceAccountDiscovery.JWKS_PATH)) {
            Responses.bytes(ex, 200, "application/jwk-set+json", discovery.jwks());
            return true;
        }
        return false;
    }
}
