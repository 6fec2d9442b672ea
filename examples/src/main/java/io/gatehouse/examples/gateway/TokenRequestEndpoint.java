package io.gatehouse.examples.gateway;

import io.gatehouse.core.AuthenticationResult.Authenticated;
import io.gatehouse.serviceaccount.BoundObjectReference;
import io.gatehouse.serviceaccount.IssuedToken;
import io.gatehouse.serviceaccount.ServiceAccountTokenIssuer;
import io.gatehouse.serviceaccount.TokenRequest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code POST /api/v1/namespaces/{ns}/serviceaccounts/{name}/token}: TokenRequest ({@code kubectl create token},
 * JSON or Kubernetes protobuf). Who may mint is the {@link TokenMintPolicy}'s call. There are no service account
 * objects here, so any name is accepted and its uid is derived from the name.
 */
final class TokenRequestEndpoint implements Endpoint {

    static final Pattern PATH = Pattern.compile(
            "/api/v1/namespaces/([a-z0-9][-a-z0-9]*)/serviceaccounts/([a-z0-9][-.a-z0-9]*)/token");

    private final ServiceAccountTokenIssuer issuer;
    private final TokenMintPolicy policy;

    TokenRequestEndpoint(ServiceAccountTokenIssuer issuer, TokenMintPolicy policy) {
        this.issuer = issuer;
        this.policy = policy;
    }

    @Override
    public void serve(Exchange ex, Authenticated caller) throws IOException {
        Matcher m = PATH.matcher(ex.path());
        if (!m.matches()) {
            throw new IllegalStateException("routed a path this endpoint does not serve");
        }
        String namespace = m.group(1);
        String name = m.group(2);
        if (!policy.allows(caller.user())) {
            Responses.status(ex, 403, "Forbidden", TokenMintPolicy.forbidden(caller.user(), namespace, name));
            return;
        }
        byte[] raw = ex.requestBody().readNBytes(TokenReviewEndpoint.MAX_BODY + 1);
        TokenRequest request;
        try {
            TokenRequestBody body = TokenRequestBody.parse(raw, ex.requestHeader("Content-Type"));
            request = TokenRequest.forServiceAccount(namespace, name, serviceAccountUid(namespace, name));
            if (!body.audiences().isEmpty()) {
                request = request.withAudiences(body.audiences());
            }
            if (body.expirationSeconds() != null) {
                request = request.withExpirationSeconds(body.expirationSeconds());
            }
            if (!body.boundObjectRef().isEmpty()) {
                request = request.boundTo(boundObject(body.boundObjectRef()));
            }
        } catch (IllegalArgumentException e) {
            Responses.status(ex, 422, "Invalid", "TokenRequest.authentication.k8s.io \"" + name + "\" is invalid: "
                    + e.getMessage());
            return;
        }
        IssuedToken issued = issuer.issue(request);
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("audiences", request.audiences());
        spec.put("expirationSeconds", request.expirationSeconds());
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("kind", "TokenRequest");
        response.put("apiVersion", "authentication.k8s.io/v1");
        response.put("metadata", Map.of("name", name, "namespace", namespace));
        response.put("spec", spec);
        response.put("status", Map.of("token", issued.token(),
                "expirationTimestamp", issued.expirationTimestamp().truncatedTo(ChronoUnit.SECONDS).toString()));
        Responses.warnings(ex, issued.warnings());
        Responses.json(ex, 201, response);
    }

    /** No service account objects here: a name-based UID stands in for the object's, the same for every token. */
    static String serviceAccountUid(String namespace, String name) {
        return UUID.nameUUIDFromBytes(("serviceaccount/" + namespace + "/" + name).getBytes(StandardCharsets.UTF_8))
                .toString();
    }

    private static BoundObjectReference boundObject(Map<String, String> ref) {
        String kind = ref.get("kind");
        String name = ref.get("name");
        String uid = ref.get("uid");
        if (kind == null || name == null || uid == null) {
            throw new IllegalArgumentException("boundObjectRef needs kind, name and uid");
        }
        return switch (kind) {
            case "Pod" -> BoundObjectReference.pod(name, uid);
            case "Secret" -> BoundObjectReference.secret(name, uid);
            case "Node" -> BoundObjectReference.node(name, uid);
            default -> throw new IllegalArgumentException("boundObjectRef.kind: Unsupported value: \"" + kind
                    + "\": supported values: \"Pod\", \"Secret\", \"Node\"");
        };
    }
}
