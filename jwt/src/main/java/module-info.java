/**
 * Gatehouse JWT: the project's one JWT engine, shared by the OIDC and service account authenticators as
 * Kubernetes' two JWT verifiers share one JOSE library. See the {@code io.gatehouse.jwt} package documentation
 * for which types are supported API.
 */
module io.gatehouse.jwt {
    requires transitive io.gatehouse.core; // JwtException carries core's RejectionReason
    requires com.nimbusds.jose.jwt;
    requires org.bouncycastle.provider; // lightweight ECDSA only; no JCA provider is registered

    exports io.gatehouse.jwt;
}
