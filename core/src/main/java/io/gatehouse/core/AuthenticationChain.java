package io.gatehouse.core;

import io.gatehouse.core.AuthenticationResult.Abstained;
import io.gatehouse.core.AuthenticationResult.Authenticated;
import io.gatehouse.core.AuthenticationResult.Rejected;
import io.gatehouse.core.internal.Audiences;
import io.gatehouse.core.internal.CachingTokenAuthenticator;
import io.gatehouse.core.internal.Decision;
import io.gatehouse.core.internal.GoText;
import io.gatehouse.core.internal.SafeListener;
import io.gatehouse.core.spi.ChainMember;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The assembled authenticator, wired as kube-apiserver wires its own ({@code authenticator.Config.New}):
 * request authenticators (client certificates) and one bearer-token step in chain order; the token step
 * runs the token authenticators as a union behind the token cache; every success gets
 * {@code system:authenticated}; anonymous, when enabled, only answers requests that present no credential.
 *
 * <p>Thread-safe. {@link #authenticate} never throws. {@link #close()} closes every authenticator that is
 * {@link AutoCloseable} (file watchers, key refreshers).
 *
 * <pre>{@code
 * AuthenticationChain chain = AuthenticationChain.builder()
 *         .addToken("static-token", tokens)
 *         .apiAudiences(List.of("https://kubernetes.default.svc"))
 *         .build();
 * AuthenticationResult verdict = chain.authenticate(AuthenticationRequest.bearer(token));
 * }</pre>
 */
public final class AuthenticationChain implements Authenticator, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AuthenticationChain.class);

    private final List<Named<Authenticator>> requestMembers;
    private final List<Named<TokenAuthenticator>> tokenMembers;
    private final List<String> apiAudiences;
    private final boolean anonymous;
    private final Set<String> anonymousPaths;
    private final AuthenticationListener listener;
    private final Authenticator cached;
    private final Authenticator uncached;
    /** The chain's own token cache, whose lookups share the chain's clock reads; null without one. */
    private final TokenAuthenticator tokenCache;
    private final List<Object> closeables;
    private final List<HeaderConsumer> consumers;
    /** The last combination of the consumers' headers, reused while every consumer answers the same instance. */
    private volatile CombinedHeaders combined;

    private AuthenticationChain(Builder b) {
        this.apiAudiences = List.copyOf(b.apiAudiences);
        this.anonymous = b.anonymous;
        this.anonymousPaths = Set.copyOf(b.anonymousPaths);
        this.listener = SafeListener.wrap(b.listener);
        this.closeables = new ArrayList<>();
        List<Named<TokenAuthenticator>> tokens = new ArrayList<>();
        for (Named<?> m : b.members) {
            closeables.add(m.member());
            if (m.token()) {
                TokenAuthenticator t = (TokenAuthenticator) m.member();
                TokenAuthenticator judged = t.isAudienceAware() ? t : new AudienceAgnosticTokenAuthenticator(apiAudiences, t);
                tokens.add(new Named<>(m.name(), tracked(m.name(), judged), true));
            }
        }
        this.tokenMembers = List.copyOf(tokens);
        TokenAuthenticator union = tokenUnion(tokenMembers);
        // The group adder runs before the cache, so that a cache hit returns a finished user without copying it.
        TokenAuthenticator tokenUnion = union == null ? null : withAuthenticatedGroup(union);
        TokenAuthenticator tokenCache = tokenUnion == null || !b.cachePolicy.enabled()
                ? tokenUnion
                : new CachingTokenAuthenticator(tokenUnion, b.cachePolicy, b.clock, listener);
        this.tokenCache = tokenCache == tokenUnion ? null : tokenCache;
        List<Named<?>> members = new ArrayList<>();
        for (Named<?> m : b.members) {
            members.add(m.token() ? m : new Named<>(m.name(), tracked(m.name(), (Authenticator) m.member()), false));
        }
        this.cached = assemble(members, tokenCache);
        this.uncached = assemble(members, tokenUnion);
        List<Named<Authenticator>> requests = new ArrayList<>();
        for (Named<?> m : b.members) {
            if (!m.token()) {
                requests.add(new Named<>(m.name(), (Authenticator) m.member(), false));
            }
        }
        this.requestMembers = List.copyOf(requests);
        List<HeaderConsumer> hc = new ArrayList<>();
        for (Named<?> m : b.members) {
            if (m.member() instanceof HeaderConsumer c) {
                hc.add(c);
            }
        }
        this.consumers = List.copyOf(hc);
        this.combined = new CombinedHeaders(List.of(), ALWAYS_CONSUMED);
    }

    private record CombinedHeaders(List<ConsumedHeaders> parts, ConsumedHeaders all) {
    }

    /** What Kubernetes' authentication filter strips after every success, whoever authenticated. */
    private static final ConsumedHeaders ALWAYS_CONSUMED = ConsumedHeaders.of(
            List.of("Authorization", "X-Remote-User", "X-Remote-Uid", "X-Remote-Group"), List.of("X-Remote-Extra-"));

    /**
     * A new builder.
     *
     * @return a builder with no members, the default cache and the logging listener
     */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public AuthenticationResult authenticate(AuthenticationRequest request) {
        return listener == AuthenticationListener.NONE ? judge(cached, request) : judgeReported(request);
    }

    /** {@link #authenticate} with a listener: the verdict timed, its decider named, and the events sent. */
    private AuthenticationResult judgeReported(AuthenticationRequest request) {
        long start = System.nanoTime();
        Decision decision = Decision.current();
        // A chain may be a member of another chain: what the outer one recorded so far is put back afterwards.
        Object outer = decision.begin(start, tokenCache);
        AuthenticationResult result;
        long end;
        String decider;
        int cacheOutcome;
        long cacheNanos;
        try {
            result = judge(cached, request);
        } finally {
            end = System.nanoTime();
            decider = decision.member();
            cacheOutcome = decision.deferredCacheOutcome();
            cacheNanos = decision.deferredCacheNanos(end);
            decision.end(outer);
        }
        if (cacheOutcome != 0) {
            // The cache's lookup shared the chain's clock reads (see Decision): reported now that it has ended.
            listener.tokenCacheRequest(cacheOutcome == 1, cacheNanos);
        }
        Duration latency = Duration.ofNanos(end - start);
        if (result instanceof Authenticated a) {
            listener.authenticated(a.user(), latency);
        } else if (result instanceof Rejected r) {
            listener.rejected(r, latency);
        } else {
            listener.abstained(latency);
        }
        listener.decided(decider, result, latency);
        return result;
    }

    /** The member, recording its verdicts for the {@code decided} event; the member itself when nobody listens. */
    private Authenticator tracked(String name, Authenticator member) {
        if (listener == AuthenticationListener.NONE) {
            return member;
        }
        return request -> {
            Decision decision = Decision.current();
            decision.requestMemberStarts();
            AuthenticationResult r = member.authenticate(request);
            if (!(r instanceof Abstained)) {
                decision.record(name, r);
            }
            return r;
        };
    }

    /** As {@link #tracked(String, Authenticator)} for a token member. */
    private TokenAuthenticator tracked(String name, TokenAuthenticator member) {
        if (listener == AuthenticationListener.NONE) {
            return member;
        }
        return new TokenAuthenticator() {
            @Override
            public AuthenticationResult authenticate(String token, List<String> audiences) {
                AuthenticationResult r = member.authenticate(token, audiences);
                if (!(r instanceof Abstained)) {
                    Decision.current().record(name, r);
                }
                return r;
            }

            @Override
            public boolean isAudienceAware() {
                return member.isAudienceAware();
            }
        };
    }

    /**
     * Every authenticator's verdict on {@code request}, in chain order, bypassing the token cache, and the
     * outcome the chain reaches. For troubleshooting: it runs every verifier, so it costs more than
     * {@link #authenticate}. Never throws.
     *
     * @param request the request to judge
     * @return every verdict and the outcome
     */
    public Explanation explain(AuthenticationRequest request) {
        AuthenticationRequest effective = withApiAudiences(request);
        List<Explanation.Verdict> verdicts = new ArrayList<>();
        for (Named<Authenticator> m : requestMembers) {
            verdicts.add(new Explanation.Verdict(m.name(), guarded(() -> m.member().authenticate(effective))));
        }
        String token = BearerTokenAuthenticator.extract(effective.header("Authorization"));
        if (token == null) {
            token = WebSocketProtocolAuthenticator.parse(effective).token();
        }
        String presented = token;
        for (Named<TokenAuthenticator> m : tokenMembers) {
            AuthenticationResult r = presented == null || presented.isEmpty()
                    ? Abstained.instance()
                    : guarded(() -> m.member().authenticate(presented, effective.audiences()));
            verdicts.add(new Explanation.Verdict(m.name(), r));
        }
        return new Explanation(verdicts, judge(uncached, request));
    }

    /**
     * The headers an adapter must strip from {@code request} before it goes on, given the chain's {@code verdict}
     * on it: nothing unless authenticated; then, as Kubernetes' authentication filter, {@code Authorization}, the
     * standard {@code X-Remote-User}, {@code X-Remote-Uid}, {@code X-Remote-Group} and {@code X-Remote-Extra-*}
     * headers and every header a {@link HeaderConsumer} member reads; and when the request is a WebSocket upgrade
     * carrying a bearer-token subprotocol entry, {@code Sec-WebSocket-Protocol} replaced by its other entries
     * (Kubernetes does that only when the WebSocket token itself authenticated; here the token entry never
     * travels on once the request is authenticated). Cheap; never throws.
     *
     * @param request the request as given to {@link #authenticate}
     * @param verdict what {@link #authenticate} answered for it
     * @return what to strip or replace; {@link ConsumedHeaders#NONE} unless authenticated
     */
    public ConsumedHeaders consumedHeaders(AuthenticationRequest request, AuthenticationResult verdict) {
        if (!(verdict instanceof Authenticated)) {
            return ConsumedHeaders.NONE;
        }
        ConsumedHeaders consumed = consumersHeaders();
        WebSocketProtocolAuthenticator.Parsed p = WebSocketProtocolAuthenticator.parse(request);
        if (p.error() != null || p.token() == null || p.token().isEmpty()) {
            return consumed;
        }
        return consumed.replacing(WebSocketProtocolAuthenticator.PROTOCOL_HEADER,
                List.of(WebSocketProtocolAuthenticator.remainingProtocols(p)));
    }

    /** The standard headers and the consumers' current ones (a ConfigMap reload may change them). */
    private ConsumedHeaders consumersHeaders() {
        if (consumers.isEmpty()) {
            return ALWAYS_CONSUMED;
        }
        CombinedHeaders last = combined;
        boolean same = last.parts().size() == consumers.size();
        for (int i = 0; same && i < consumers.size(); i++) {
            same = consumers.get(i).consumedHeaders() == last.parts().get(i);
        }
        if (same) {
            return last.all();
        }
        List<ConsumedHeaders> parts = new ArrayList<>(consumers.size());
        ConsumedHeaders all = ALWAYS_CONSUMED;
        for (HeaderConsumer c : consumers) {
            ConsumedHeaders part = c.consumedHeaders();
            parts.add(part);
            all = all.and(part);
        }
        combined = new CombinedHeaders(List.copyOf(parts), all);
        return all;
    }

    /**
     * The API audiences that audience-agnostic authenticators answer for; empty when none are set.
     *
     * @return the audiences, unmodifiable
     */
    public List<String> apiAudiences() {
        return apiAudiences;
    }

    @Override
    public void close() {
        RuntimeException failure = null;
        for (Object c : closeables) {
            if (c instanceof AutoCloseable closeable) {
                try {
                    closeable.close();
                } catch (Exception e) {
                    if (failure == null) {
                        failure = new IllegalStateException("closing the authentication chain failed");
                    }
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    private AuthenticationResult judge(Authenticator pipeline, AuthenticationRequest request) {
        AuthenticationRequest effective = withApiAudiences(request);
        AuthenticationResult r = guarded(() -> pipeline.authenticate(effective));
        if (r instanceof Authenticated a && !audiencesAreAcceptable(effective.audiences(), a.audiences())) {
            return new Rejected(RejectionReason.WRONG_AUDIENCE, "unable to match the audience: "
                    + GoText.list(a.audiences()) + " , accepted: " + GoText.list(effective.audiences()),
                    a.warnings(), List.of());
        }
        return r;
    }

    /** As Kubernetes' HTTP filter: a request that names no audiences is judged for the API audiences. */
    private AuthenticationRequest withApiAudiences(AuthenticationRequest request) {
        return request.audiences().isEmpty() && !apiAudiences.isEmpty() ? request.withAudiences(apiAudiences) : request;
    }

    private static boolean audiencesAreAcceptable(List<String> requested, List<String> granted) {
        return requested.isEmpty() || granted.isEmpty()
                || Audiences.meet(requested, granted);
    }

    private static AuthenticationResult guarded(java.util.function.Supplier<AuthenticationResult> call) {
        try {
            return call.get();
        } catch (RuntimeException e) {
            // An authenticator broke its contract; fail closed rather than throw at the caller.
            LOG.error("an authenticator threw instead of returning a verdict", e);
            return Rejected.of(RejectionReason.INTERNAL_ERROR, "authentication failed unexpectedly");
        }
    }

    private static TokenAuthenticator tokenUnion(List<Named<TokenAuthenticator>> tokens) {
        if (tokens.isEmpty()) {
            return null;
        }
        List<TokenAuthenticator> members = new ArrayList<>();
        tokens.forEach(t -> members.add(t.member()));
        return Unions.ofTokens(members);
    }

    /**
     * Request members in order, the bearer step and the WebSocket-protocol step (kube-apiserver's order) where the
     * first token member stands, then adders.
     */
    private Authenticator assemble(List<Named<?>> members, TokenAuthenticator tokens) {
        List<Authenticator> steps = new ArrayList<>();
        boolean bearerPlaced = false;
        for (Named<?> m : members) {
            if (!m.token()) {
                steps.add((Authenticator) m.member());
            } else if (!bearerPlaced) {
                steps.add(new BearerTokenAuthenticator(tokens));
                steps.add(new WebSocketProtocolAuthenticator(tokens));
                bearerPlaced = true;
            }
        }
        Authenticator union = steps.isEmpty() ? null : Unions.of(steps);
        Authenticator withGroup = steps.isEmpty() ? null : request -> addAuthenticatedGroup(union.authenticate(request));
        if (!anonymous) {
            return withGroup;
        }
        Authenticator anon = AnonymousAuthenticator.forPaths(anonymousPaths);
        if (withGroup == null) {
            return anon;
        }
        return Unions.failOnError(List.of(withGroup, anon));
    }

    private static TokenAuthenticator withAuthenticatedGroup(TokenAuthenticator delegate) {
        return new TokenAuthenticator() {
            @Override
            public AuthenticationResult authenticate(String token, List<String> audiences) {
                return addAuthenticatedGroup(delegate.authenticate(token, audiences));
            }

            @Override
            public boolean isAudienceAware() {
                return delegate.isAudienceAware();
            }
        };
    }

    /** Kubernetes' {@code AuthenticatedGroupAdder}. */
    static AuthenticationResult addAuthenticatedGroup(AuthenticationResult r) {
        if (!(r instanceof Authenticated a)) {
            return r;
        }
        UserInfo u = a.user();
        if (u.name().equals(KubernetesNames.ANONYMOUS)) {
            return a;
        }
        for (String g : u.groups()) {
            if (g.equals(KubernetesNames.ALL_AUTHENTICATED) || g.equals(KubernetesNames.ALL_UNAUTHENTICATED)) {
                return a;
            }
        }
        return a.withUser(u.withGroupAdded(KubernetesNames.ALL_AUTHENTICATED));
    }

    /** A chain entry; {@code token} tells which SPI it was added as, in case it implements both. */
    private record Named<T>(String name, T member, boolean token) {
    }

    /**
     * Builds an {@link AuthenticationChain}. Each setter validates its argument at once; {@link #build()}
     * checks the whole. Not thread-safe.
     */
    public static final class Builder {
        private final List<Named<?>> members = new ArrayList<>();
        private final Set<String> names = new LinkedHashSet<>();
        private final List<String> apiAudiences = new ArrayList<>();
        private boolean anonymous;
        private final Set<String> anonymousPaths = new LinkedHashSet<>();
        private TokenCachePolicy cachePolicy = TokenCachePolicy.DEFAULT;
        private AuthenticationListener listener = AuthenticationListener.logging();
        private Clock clock = Clock.systemUTC();

        private Builder() {
        }

        /**
         * Appends a request authenticator (for example client certificates).
         *
         * @param name the member's name in events and explanations; unique, not blank
         * @param authenticator the authenticator
         * @return this builder
         * @throws IllegalArgumentException if {@code name} is blank or already used in this chain
         */
        public Builder add(String name, Authenticator authenticator) {
            members.add(new Named<>(uniqueName(name), Objects.requireNonNull(authenticator, "authenticator"), false));
            return this;
        }

        /**
         * Appends a token authenticator. All token authenticators run as one union behind the bearer-token
         * step and the token cache, placed where the first of them stands among the request authenticators.
         *
         * @param name the member's name in events and explanations; unique, not blank
         * @param authenticator the token authenticator
         * @return this builder
         * @throws IllegalArgumentException if {@code name} is blank or already used in this chain
         */
        public Builder addToken(String name, TokenAuthenticator authenticator) {
            members.add(new Named<>(uniqueName(name), Objects.requireNonNull(authenticator, "authenticator"), true));
            return this;
        }

        /**
         * Appends what a provider contributed: a request authenticator as {@link #add(String, Authenticator)}, a
         * token authenticator as {@link #addToken(String, TokenAuthenticator)}.
         *
         * @param name the member's name in events and explanations; unique, not blank
         * @param member what the provider built
         * @return this builder
         * @throws IllegalArgumentException if {@code name} is blank or already used in this chain
         */
        public Builder add(String name, ChainMember member) {
            Objects.requireNonNull(member, "member");
            members.add(new Named<>(uniqueName(name), member.authenticator(), member instanceof ChainMember.Token));
            return this;
        }

        /**
         * Sets the API audiences (Kubernetes' {@code --api-audiences}).
         *
         * @param audiences the audiences, in order
         * @return this builder
         */
        public Builder apiAudiences(List<String> audiences) {
            apiAudiences.clear();
            for (String a : audiences) {
                if (a == null || a.isEmpty()) {
                    throw new IllegalArgumentException("an API audience must not be empty");
                }
                apiAudiences.add(a);
            }
            return this;
        }

        /**
         * Enables anonymous requests ({@code system:anonymous} in {@code system:unauthenticated}) for
         * requests that present no credential. A presented but bad credential is still rejected. Off by
         * default.
         *
         * @param enabled whether requests without a credential are anonymous
         * @return this builder
         */
        public Builder anonymous(boolean enabled) {
            this.anonymous = enabled;
            return this;
        }

        /**
         * Restricts anonymous requests to these exact request paths ({@link AuthenticationRequest#path()}),
         * as Kubernetes' {@code anonymous.conditions}: no prefix matching, no normalisation, case-sensitive.
         * Empty (the default) leaves anonymous open on every path. Requires {@link #anonymous(boolean)} true.
         *
         * @param paths exact request paths; empty for every path
         * @return this builder
         * @throws NullPointerException if {@code paths} or a path is null
         */
        public Builder anonymousConditions(java.util.Collection<String> paths) {
            anonymousPaths.clear();
            for (String p : paths) {
                anonymousPaths.add(Objects.requireNonNull(p, "path"));
            }
            return this;
        }

        /**
         * Sets the token cache policy; {@link TokenCachePolicy#DEFAULT} unless set.
         *
         * @param policy the policy; {@link TokenCachePolicy#DISABLED} for none
         * @return this builder
         */
        public Builder tokenCache(TokenCachePolicy policy) {
            this.cachePolicy = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /**
         * Sets the event listener; {@link AuthenticationListener#logging()} unless set.
         *
         * @param listener receives the events; {@link AuthenticationListener#NONE} for none
         * @return this builder
         */
        public Builder listener(AuthenticationListener listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /**
         * Sets the clock the token cache reads; the system UTC clock unless set.
         *
         * @param clock the clock
         * @return this builder
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Builds the chain.
         *
         * @return the chain; close it to stop the members' watchers
         * @throws IllegalStateException if the chain has no authenticator and anonymous is off: it could
         *                               never authenticate anyone; or if anonymous conditions are set while
         *                               anonymous is off (Kubernetes' validation message)
         */
        public AuthenticationChain build() {
            if (!anonymous && !anonymousPaths.isEmpty()) {
                throw new IllegalStateException("anonymous.conditions: Invalid value: " + anonymousPaths
                        + ": enabled should be set to true when conditions are defined");
            }
            if (members.isEmpty() && !anonymous) {
                throw new IllegalStateException(
                        "the chain has no authenticator: add one, or enable anonymous(true) for an open server");
            }
            return new AuthenticationChain(this);
        }

        private String uniqueName(String name) {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("an authenticator's name must not be blank");
            }
            if (!names.add(name)) {
                throw new IllegalArgumentException("an authenticator named '" + name + "' is already in the chain");
            }
            return name;
        }
    }
}
