package io.gatehouse.examples.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatehouse.core.AuthenticationChain;
import io.gatehouse.core.AuthenticationRequest;
import io.gatehouse.core.AuthenticationResult.Authenticated;
import io.gatehouse.core.AuthenticationResult.Rejected;
import io.gatehouse.core.AuthenticationResult;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code POST …/tokenreviews}: a webhook token authenticator a kube-apiserver can point at. The caller must itself
 * be authenticated; the reviewed token is judged by the token chain, never anonymous.
 */
final class TokenReviewEndpoint implements Endpoint {

    static final String PATH = "/apis/authentication.k8s.io/v1/tokenreviews";
    static final int MAX_BODY = 1 << 20;

    private final AuthenticationChain tokenReviews;

    TokenReviewEndpoint(AuthenticationChain tokenReviews) {
        this.tokenReviews = tokenReviews;
    }

    @Override
    public void serve(Exchange ex, Authenticated caller) throws IOException {
        byte[] raw = ex.requestBody().readNBytes(MAX_BODY + 1);
        if (raw.length > MAX_BODY) {
            Responses.status(ex, 413, "RequestEntityTooLarge", "request body too large");
            return;
        }
        String token;
        List<String> audiences;
        try {
            JsonNode spec = WireJson.object(WireJson.readObject(raw), "spec");
            token = spec == null ? null : WireJson.string(spec, "token");
            audiences = spec == null ? List.of() : WireJson.strings(spec, "audiences");
        } catch (IllegalArgumentException e) {
            Responses.status(ex, 400, "BadRequest", "the body is not a TokenReview");
            return;
        }
        if (token == null || token.isEmpty()) {
            Responses.status(ex, 400, "BadRequest", "token is required for TokenReview in authentication");
            return;
        }
        AuthenticationResult verdict = tokenReviews.authenticate(AuthenticationRequest.builder()
                .header("Authorization", "Bearer " + token).audiences(audiences).build());
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("authenticated", verdict instanceof Authenticated);
        if (verdict instanceof Authenticated a) {
            status.put("user", Responses.userInfo(a.user()));
            status.put("audiences", a.audiences());
        } else if (verdict instanceof Rejected r) {
            status.put("error", r.message());
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("kind", "TokenReview");
        body.put("apiVersion", "authentication.k8s.io/v1");
        body.put("metadata", Map.of());
        body.put("spec", Map.of("audiences", audiences));
        body.put("status", status);
        Responses.json(ex, 201, body);
    }
}
