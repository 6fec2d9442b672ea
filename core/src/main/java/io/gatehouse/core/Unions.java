package io.gatehouse.core;

import java.util.List;

/**
 * Kubernetes' union authenticators as building blocks for the chain (the
 * {@link AuthenticationChain} builder uses the same semantics). A union asks its members in order: the
 * first success wins and drops earlier rejections; otherwise rejections aggregate as {@code [e1, e2]}; if
 * every member abstains, so does the union. The fail-on-error variants stop at the first rejection.
 *
 * <p>Each union is thread-safe if its members are, and never throws unless a member does.
 */
final class Unions {

    private Unions() {
    }

    /** Kubernetes' {@code union.New} for request authenticators. */
    public static Authenticator of(List<? extends Authenticator> members) {
        List<Authenticator> m = List.copyOf(members);
        return m.size() == 1 ? m.get(0) : request -> Union.evaluate(m, a -> a.authenticate(request), false);
    }

    /** Kubernetes' {@code union.NewFailOnError} for request authenticators. */
    public static Authenticator failOnError(List<? extends Authenticator> members) {
        List<Authenticator> m = List.copyOf(members);
        return m.size() == 1 ? m.get(0) : request -> Union.evaluate(m, a -> a.authenticate(request), true);
    }

    /**
     * Kubernetes' token {@code union.New}. The union is audience-aware only if every member is, so that the
     * chain wraps it for the API audiences otherwise.
     */
    public static TokenAuthenticator ofTokens(List<? extends TokenAuthenticator> members) {
        return tokens(members, false);
    }

    /** Kubernetes' token {@code union.NewFailOnError}; audience-aware as {@link #ofTokens}. */
    public static TokenAuthenticator failOnErrorTokens(List<? extends TokenAuthenticator> members) {
        return tokens(members, true);
    }

    private static TokenAuthenticator tokens(List<? extends TokenAuthenticator> members, boolean failOnError) {
        List<TokenAuthenticator> m = List.copyOf(members);
        if (m.size() == 1) {
            return m.get(0);
        }
        boolean aware = m.stream().allMatch(TokenAuthenticator::isAudienceAware);
        return new TokenAuthenticator() {
            @Override
            public AuthenticationResult authenticate(String token, List<String> audiences) {
                return Union.evaluate(m, a -> a.authenticate(token, audiences), failOnError);
            }

            @Override
            public boolean isAudienceAware() {
                return aware;
            }
        };
    }
}
