package io.gatehouse.core;

import io.gatehouse.core.AuthenticationResult.Abstained;
import io.gatehouse.core.AuthenticationResult.Rejected;
import io.gatehouse.core.internal.GoText;
import java.util.List;

/**
 * Takes the bearer token from the {@code Authorization} header with Kubernetes' exact rules
 * ({@code request/bearertoken}) and hands it to a token authenticator.
 */
final class BearerTokenAuthenticator implements Authenticator {

    static final String EXTRA_SPACE_WARNING =
            "the provided Authorization header contains extra space before the bearer token, and is ignored";
    static final String INVALID_BEARER_TOKEN = "invalid bearer token";

    private static final Abstained EXTRA_SPACE = new Abstained(List.of(EXTRA_SPACE_WARNING));

    private final TokenAuthenticator tokens;

    BearerTokenAuthenticator(TokenAuthenticator tokens) {
        this.tokens = tokens;
    }

    @Override
    public AuthenticationResult authenticate(AuthenticationRequest request) {
        String token = extract(request.header("Authorization"));
        if (token == null) {
            return Abstained.instance();
        }
        if (token.isEmpty()) {
            return EXTRA_SPACE;
        }
        AuthenticationResult r = tokens.authenticate(token, request.audiences());
        if (r instanceof Abstained) {
            return new Rejected(RejectionReason.UNRECOGNIZED_TOKEN, INVALID_BEARER_TOKEN, r.warnings(), List.of());
        }
        return r;
    }

    /**
     * The bearer token in an Authorization header value: null when there is none to judge, the empty
     * string when the header holds extra space before the token (abstain with a warning), else the token.
     */
    static String extract(String header) {
        if (header == null) {
            return null;
        }
        String auth = GoText.trimSpace(header);
        if (auth.isEmpty()) {
            return null;
        }
        // strings.SplitN(auth, " ", 3): the scheme, the token, and whatever follows a second space.
        int first = auth.indexOf(' ');
        // strings.ToLower(scheme) == "bearer": only ASCII letters lower-case to these, so a case-blind
        // comparison of the six characters is the same test without allocating.
        if (first != 6 || !auth.regionMatches(true, 0, "bearer", 0, 6)) {
            return null;
        }
        int second = auth.indexOf(' ', first + 1);
        String token = second < 0 ? auth.substring(first + 1) : auth.substring(first + 1, second);
        if (token.isEmpty()) {
            return second < 0 ? null : "";
        }
        return token;
    }
}
