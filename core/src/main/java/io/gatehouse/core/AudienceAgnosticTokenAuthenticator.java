package io.gatehouse.core;

import io.gatehouse.core.AuthenticationResult.Abstained;
import io.gatehouse.core.AuthenticationResult.Authenticated;
import io.gatehouse.core.AuthenticationResult.Rejected;
import io.gatehouse.core.internal.Audiences;
import io.gatehouse.core.internal.GoText;
import java.util.List;

/**
 * Kubernetes' {@code WrapAudienceAgnosticToken}: an authenticator that does not check audiences answers
 * only when the requested audiences meet the API audiences, and its users carry that intersection.
 */
final class AudienceAgnosticTokenAuthenticator implements TokenAuthenticator {

    private final List<String> apiAudiences;
    private final TokenAuthenticator delegate;

    AudienceAgnosticTokenAuthenticator(List<String> apiAudiences, TokenAuthenticator delegate) {
        this.apiAudiences = List.copyOf(apiAudiences);
        this.delegate = delegate;
    }

    @Override
    public AuthenticationResult authenticate(String token, List<String> audiences) {
        if (audiences.isEmpty()) {
            return delegate.authenticate(token, audiences);
        }
        List<String> accepted = Audiences.intersect(audiences, apiAudiences);
        if (accepted.isEmpty()) {
            return Abstained.instance();
        }
        AuthenticationResult r = delegate.authenticate(token, audiences);
        if (r instanceof Authenticated a) {
            if (!a.audiences().isEmpty()) {
                return new Rejected(RejectionReason.INTERNAL_ERROR,
                        "audience agnostic authenticator wrapped an authenticator that returned audiences: "
                                + GoText.quoteList(a.audiences()), a.warnings(), List.of());
            }
            return a.withAudiences(accepted);
        }
        return r;
    }

    @Override
    public boolean isAudienceAware() {
        return true;
    }
}
