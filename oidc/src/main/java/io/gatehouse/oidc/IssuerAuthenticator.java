package io.gatehouse.oidc;

import io.gatehouse.core.AuthenticationResult.Authenticated;
import io.gatehouse.core.AuthenticationResult.Rejected;
import io.gatehouse.core.AuthenticationResult;
import io.gatehouse.core.KubernetesNames;
import io.gatehouse.core.RejectionReason;
import io.gatehouse.core.UserInfo;
import io.gatehouse.core.internal.GoText;
import io.gatehouse.core.internal.Sha256;
import io.gatehouse.jwt.CompactJws;
import io.gatehouse.jwt.JwtClaims;
import io.gatehouse.jwt.JwtException;
import io.gatehouse.jwt.JwtVerifier;
import io.gatehouse.jwt.KeySource;
import io.gatehouse.jwt.VerifiedJwt;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.BooleanSupplier;

/**
 * Kubernetes' {@code jwtAuthenticator.AuthenticateToken} for one issuer, after routing: readiness, the
 * distributed-claim consistency check, verification, distributed groups, then the claim mappings (username, groups, uid,
 * {@code jti} credential id) and the required claims, each failure in Kubernetes' {@code oidc: ...} words.
 *
 * <p>Thread-safe and immutable.
 */
final class IssuerAuthenticator {

    private final JwtIssuer issuer;
    private final JwtVerifier verifier;
    private final BooleanSupplier ready;
    private final String expectedAudiences;
    private final String expectedAlgorithms;
    private final HttpFetcher http;
    private final int maxTokenLength;
    private final String issuerHash;

    IssuerAuthenticator(JwtIssuer issuer, KeySource keys, BooleanSupplier ready, Clock clock, HttpFetcher http,
                        int maxTokenLength) {
        this.issuer = issuer;
        this.ready = ready;
        this.http = http;
        this.maxTokenLength = maxTokenLength;
        this.issuerHash = Sha256.label(issuer.url());
        this.verifier = JwtVerifier.builder()
                .keys(keys)
                .algorithms(issuer.algorithms())
                .clock(clock)
                .audiences(issuer.audiences())
                .build();
        this.expectedAudiences = issuer.audiences().size() == 1
                ? "oidc: expected audience " + GoText.quote(issuer.audiences().get(0))
                : "oidc: expected audience in " + GoText.quoteList(new TreeSet<>(issuer.audiences()));
        this.expectedAlgorithms = GoText.quoteList(issuer.signingAlgorithms());
    }

    JwtIssuer issuer() {
        return issuer;
    }

    /** The issuer URL as Kubernetes' {@code jwt_issuer_hash} label. */
    String issuerHash() {
        return issuerHash;
    }

    AuthenticationResult authenticate(CompactJws jws) {
        if (!ready.getAsBoolean()) {
            return Rejected.of(RejectionReason.NOT_INITIALIZED, "oidc: authenticator not initialized");
        }
        JwtClaims claims;
        try {
            claims = jws.claims();
        } catch (JwtException e) {
            return Rejected.of(RejectionReason.MALFORMED, "oidc: verify token: oidc: failed to unmarshal claims: " + e.getMessage());
        }
        String sourceProblem = checkClaimSources(claims);
        if (sourceProblem != null) {
            return Rejected.of(RejectionReason.INVALID_CLAIMS, "oidc: verify token: " + sourceProblem);
        }
        VerifiedJwt verified;
        try {
            verified = verifier.verify(jws);
        } catch (JwtException e) {
            return Rejected.of(e.kind().reason(), "oidc: verify token: " + describe(e));
        }
        try {
            Object distributed = expandDistributedGroups(claims);
            return Authenticated.of(mapUser(claims, distributed), verified.expiresAt());
        } catch (ClaimException e) {
            return Rejected.of(RejectionReason.INVALID_CLAIMS, e.getMessage());
        }
    }

    /** The rejection for a token of this issuer that failed strict parsing. */
    Rejected rejectUnparsable(JwtException e) {
        return Rejected.of(e.kind().reason(), "oidc: verify token: " + describe(e));
    }

    private String describe(JwtException e) {
        return switch (e.kind()) {
            case EXPIRED -> "oidc: token is expired (Token Expiry: " + GoFormat.time(e.instant()) + ")";
            case NOT_YET_VALID -> "oidc: current time " + GoFormat.time(e.now()) + " before the nbf (not before) time: "
                    + GoFormat.time(e.instant());
            case WRONG_AUDIENCE -> expectedAudiences + " got " + GoText.quoteList(e.tokenAudiences());
            case UNSUPPORTED_ALGORITHM -> "oidc: id token signed with unsupported algorithm, expected "
                    + expectedAlgorithms + " got " + GoText.quote(e.algorithm());
            case UNKNOWN_KEY, BAD_SIGNATURE -> "failed to verify signature: " + e.getMessage();
            case KEYS_UNAVAILABLE -> "failed to verify signature: " + e.getMessage();
            default -> "oidc: malformed jwt: " + e.getMessage();
        };
    }

    /** go-oidc's check that every {@code _claim_names} entry names an existing {@code _claim_sources} entry. */
    private static String checkClaimSources(JwtClaims claims) {
        Object names = claims.get("_claim_names");
        if (names == null) {
            return null;
        }
        if (!(names instanceof Map<?, ?> nameMap)) {
            return "oidc: failed to unmarshal claims: _claim_names is not an object";
        }
        Object sources = claims.get("_claim_sources");
        if (sources != null && !(sources instanceof Map)) {
            return "oidc: failed to unmarshal claims: _claim_sources is not an object";
        }
        Map<?, ?> sourceMap = sources == null ? Map.of() : (Map<?, ?>) sources;
        for (Object src : nameMap.values()) {
            if (!(src instanceof String s) || s.isEmpty()) {
                return "oidc: failed to obtain source from claim name";
            }
            if (!sourceMap.containsKey(s)) {
                return "oidc: source does not exist";
            }
        }
        return null;
    }

    private UserInfo mapUser(JwtClaims claims, Object distributedGroups) throws ClaimException {
        JwtIssuer.CelMappings cel = issuer.cel();
        // As Kubernetes: the CEL view of the claims is built only when an expression needs it, once per token.
        Map<String, Object> celClaims = cel.any() ? celClaims(claims, distributedGroups) : null;
        String username = cel.username() == null ? username(claims) : celUsername(cel.username(), celClaims);
        List<String> groups = cel.groups() == null ? groups(claims, distributedGroups) : celGroups(cel.groups(), celClaims);
        String uid = "";
        if (cel.uid() != null) {
            Object v = eval(cel.uid(), celClaims, "oidc: error evaluating uid claim expression: ");
            if (!(v instanceof String s)) {
                throw new ClaimException("oidc: error evaluating uid claim expression: uid claim expression must return a string");
            }
            uid = s;
        } else if (issuer.uidClaim() != null) {
            String claim = issuer.uidClaim();
            if (!claims.has(claim)) {
                throw new ClaimException("oidc: parse uid claim " + GoText.quote(claim) + ": claim not present");
            }
            uid = stringClaim(claims.get(claim), "oidc: parse uid claim " + GoText.quote(claim) + ": ");
        }
        Map<String, List<String>> extra = new LinkedHashMap<>();
        if (claims.get("jti") instanceof String jti) {
            extra.put(KubernetesNames.CREDENTIAL_ID_KEY, List.of("JTI=" + jti));
        }
        Map<String, Object> results = new LinkedHashMap<>();
        for (Map.Entry<String, CelExpressions.Compiled> e : cel.extra().entrySet()) {
            // Kubernetes returns the mapper's error for extra unwrapped: no "oidc:" prefix.
            results.put(e.getKey(), eval(e.getValue(), celClaims, ""));
        }
        for (Map.Entry<String, CelExpressions.Compiled> e : cel.extra().entrySet()) {
            List<String> values = CelExpressions.stringList(results.get(e.getKey()));
            if (values == null) {
                throw new ClaimException("oidc: error evaluating extra claim expression: " + e.getValue().expression()
                        + ": expression must return a string or a list of strings");
            }
            if (!values.isEmpty()) {
                extra.put(e.getKey(), values);
            }
        }
        for (JwtIssuer.RequiredClaim rule : issuer.requiredClaims()) {
            String claim = rule.claim();
            if (!claims.has(claim)) {
                throw new ClaimException("oidc: required claim " + claim + " not present in ID token");
            }
            String value = stringClaim(claims.get(claim), "oidc: parse claim " + claim + ": ");
            if (!value.equals(rule.requiredValue())) {
                throw new ClaimException("oidc: required claim " + claim + " value does not match. Got = " + value
                        + ", want = " + rule.requiredValue());
            }
        }
        rules(cel.rules(), cel.messages(), celClaims, "oidc: error evaluating claim validation expression: ");
        UserInfo user = new UserInfo(username, uid, groups, extra);
        if (!cel.userRules().isEmpty()) {
            rules(cel.userRules(), cel.userMessages(), CelExpressions.user(user),
                    "oidc: error evaluating user info validation rule: ");
        }
        return user;
    }

    /** Validation expressions: all evaluated first (the first error aborts), then checked in order. */
    private static void rules(List<CelExpressions.Compiled> rules, List<String> messages, Map<String, Object> variable,
                              String prefix) throws ClaimException {
        List<Object> results = new ArrayList<>(rules.size());
        for (CelExpressions.Compiled rule : rules) {
            results.add(eval(rule, variable, prefix));
        }
        for (int i = 0; i < results.size(); i++) {
            if (!(results.get(i) instanceof Boolean ok)) {
                throw new ClaimException(prefix + "validation expression must return a boolean");
            }
            if (!ok) {
                throw new ClaimException(prefix + "validation expression '" + rules.get(i).expression() + "' failed: "
                        + messages.get(i));
            }
        }
    }

    private static String celUsername(CelExpressions.Compiled expression, Map<String, Object> celClaims)
            throws ClaimException {
        String prefix = "oidc: error evaluating username claim expression: ";
        if (!(eval(expression, celClaims, prefix) instanceof String username)) {
            throw new ClaimException(prefix + "username claim expression must return a string");
        }
        if (username.isEmpty()) {
            throw new ClaimException("oidc: empty username via CEL expression is not allowed");
        }
        return username;
    }

    private static List<String> celGroups(CelExpressions.Compiled expression, Map<String, Object> celClaims)
            throws ClaimException {
        String prefix = "oidc: error evaluating group claim expression: ";
        List<String> groups = CelExpressions.stringList(eval(expression, celClaims, prefix));
        if (groups == null) {
            throw new ClaimException(prefix + "expression must return a string or a list of strings");
        }
        return groups;
    }

    private static Object eval(CelExpressions.Compiled expression, Map<String, Object> celClaims, String prefix)
            throws ClaimException {
        try {
            return expression.eval(celClaims);
        } catch (dev.cel.runtime.CelEvaluationException | RuntimeException e) {
            // Hostile claims must end in a rejection, never in an exception on the request path.
            throw new ClaimException(prefix + "expression '" + expression.expression() + "' resulted in error: "
                    + CelExpressions.errorText(e));
        }
    }

    /** The claims as CEL sees them; an expanded distributed groups claim is visible, as in Kubernetes. */
    private Map<String, Object> celClaims(JwtClaims claims, Object distributedGroups) {
        Map<String, Object> payload = claims.asMap();
        String groupsClaim = issuer.groupsClaim();
        if (distributedGroups != null && groupsClaim != null && !payload.containsKey(groupsClaim)) {
            payload = new LinkedHashMap<>(payload);
            payload.put(groupsClaim, distributedGroups);
        }
        return CelExpressions.claims(payload);
    }

    private String username(JwtClaims claims) throws ClaimException {
        String claim = issuer.usernameClaim();
        String quoted = GoText.quote(claim);
        if (!claims.has(claim)) {
            throw new ClaimException("oidc: parse username claims " + quoted + ": claim not present");
        }
        String username = stringClaim(claims.get(claim), "oidc: parse username claims " + quoted + ": ");
        if (claim.equals("email") && claims.has("email_verified")) {
            Object verified = claims.get("email_verified");
            if (verified != null && !(verified instanceof Boolean)) {
                throw new ClaimException("oidc: parse 'email_verified' claim: " + GoFormat.unmarshalError(verified, "bool"));
            }
            if (!Boolean.TRUE.equals(verified)) {
                throw new ClaimException("oidc: email not verified");
            }
        }
        return issuer.usernamePrefix().isEmpty() ? username : issuer.usernamePrefix() + username;
    }

    private List<String> groups(JwtClaims claims, Object distributed) throws ClaimException {
        String claim = issuer.groupsClaim();
        if (claim == null || claim.isEmpty()) {
            return List.of();
        }
        Object v = claims.has(claim) ? claims.get(claim) : distributed;
        List<String> raw;
        if (v == null) {
            return List.of();
        } else if (v instanceof String s) {
            raw = List.of(s);
        } else if (v instanceof List<?> list && list.stream().allMatch(o -> o instanceof String)) {
            raw = list.stream().map(String.class::cast).toList();
        } else {
            throw new ClaimException("oidc: parse groups claim " + GoText.quote(claim) + ": "
                    + GoFormat.unmarshalError(v, "string"));
        }
        String prefix = issuer.groupsPrefix();
        if (prefix.isEmpty()) {
            return raw;
        }
        List<String> out = new ArrayList<>(raw.size());
        for (String g : raw) {
            out.add(prefix + g);
        }
        return out;
    }

    /**
     * Kubernetes' distributed claims for the groups claim (OIDC Core 5.6.2): when the token lacks the claim
     * but names a source with an endpoint, GET the endpoint (bearer = the source's access token), verify the
     * returned JWT with this issuer's verifier and take the claim from it. Aggregated sources (no endpoint)
     * are ignored. Unlike Kubernetes, the returned JWT must come from this same issuer: a token must not be
     * able to make the server discover an issuer it names. Not cached, as in Kubernetes.
     *
     * @return the claim's value, or null when there is nothing to expand
     */
    private Object expandDistributedGroups(JwtClaims claims) throws ClaimException {
        String claim = issuer.groupsClaim();
        if (claim == null || claim.isEmpty() || claims.has(claim) || !claims.has("_claim_names")) {
            return null;
        }
        String fail = "oidc: could not expand distributed claims: ";
        if (!(claims.get("_claim_names") instanceof Map<?, ?> names)) {
            throw new ClaimException(fail + "oidc: error parsing distributed claim names");
        }
        if (!claims.has("_claim_sources")) {
            throw new ClaimException(fail + "oidc: no claim sources");
        }
        if (!(claims.get("_claim_sources") instanceof Map<?, ?> sources)) {
            throw new ClaimException(fail + "oidc: could not parse claim sources");
        }
        if (!(names.get(claim) instanceof String src)) {
            return null;
        }
        if (!(sources.get(src) instanceof Map<?, ?> source)) {
            throw new ClaimException(fail + "id token _claim_names contained a source " + src + " missing in _claims_sources");
        }
        Object endpoint = source.get("endpoint");
        if (endpoint == null || "".equals(endpoint)) {
            return null;
        }
        String while_ = fail + "while getting distributed claim " + GoText.quote(claim) + ": ";
        if (!(endpoint instanceof String url) || !(source.get("access_token") == null || source.get("access_token") instanceof String)) {
            throw new ClaimException(fail + "oidc: could not parse claim sources");
        }
        HttpResponse<byte[]> response;
        try {
            response = http.exchange(new URI(url), (String) source.get("access_token"));
        } catch (URISyntaxException | IllegalArgumentException e) {
            throw new ClaimException(while_ + "parse " + GoText.quote(url) + ": invalid URL");
        } catch (IOException e) {
            throw new ClaimException(while_ + e.getMessage());
        }
        if (response.statusCode() < 200 || response.statusCode() > 226) {
            throw new ClaimException(while_ + "error while getting distributed claim JWT: " + response.statusCode());
        }
        String jwt = new String(response.body(), StandardCharsets.UTF_8).trim();
        CompactJws jws;
        JwtClaims distributed;
        try {
            jws = CompactJws.parse(jwt, maxTokenLength);
            distributed = jws.claims();
        } catch (JwtException e) {
            throw new ClaimException(fail + "getting untrusted issuer from endpoint " + url + " failed for claim "
                    + GoText.quote(claim) + ": " + e.getMessage());
        }
        String iss = distributed.stringOrNull("iss");
        if (!issuer.url().equals(iss)) {
            throw new ClaimException(fail + "verifying untrusted issuer " + iss
                    + " failed: distributed claims from other issuers are not supported");
        }
        try {
            verifier.verify(jws);
        } catch (JwtException e) {
            throw new ClaimException(fail + "verify distributed claim token: " + describe(e));
        }
        if (!distributed.has(claim)) {
            throw new ClaimException(fail + "jwt returned by distributed claim endpoint " + GoText.quote(url)
                    + " did not contain claim: " + claim);
        }
        return distributed.get(claim);
    }

    private static String stringClaim(Object v, String errorPrefix) throws ClaimException {
        if (v == null) {
            return ""; // encoding/json leaves a string untouched for JSON null
        }
        if (v instanceof String s) {
            return s;
        }
        throw new ClaimException(errorPrefix + GoFormat.unmarshalError(v, "string"));
    }

    /** A claim-mapping failure; stackless because it is an expected outcome. */
    private static final class ClaimException extends Exception {
        private static final long serialVersionUID = 1L;

        ClaimException(String message) {
            super(message, null, false, false);
        }
    }
}
