package io.gatehouse.examples.gateway;

import io.gatehouse.core.AuthenticationResult.Authenticated;
import java.io.IOException;
import java.io.OutputStream;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code POST …/selfsubjectreviews} ({@code kubectl auth whoami}): the caller's user. */
final class SelfSubjectReviewEndpoint implements Endpoint {

    static final String PATH = "/apis/authentication.k8s.io/v1/selfsubjectreviews";

    @Override
    public void serve(Exchange ex, Authenticated caller) throws IOException {
        // kubectl sends a protobuf body; what it asks about is the caller, so the body is not read.
        ex.requestBody().transferTo(OutputStream.nullOutputStream());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("kind", "SelfSubjectReview");
        body.put("apiVersion", "authentication.k8s.io/v1");
        body.put("metadata", Map.of());
        body.put("status", Map.of("userInfo", Responses.userInfo(caller.user())));
        Responses.json(ex, 201, body);
    }
}
