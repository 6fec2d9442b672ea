package io.gatehouse.oidc;

import io.gatehouse.core.AuthenticationListener;
import io.gatehouse.core.AuthenticationResult.Abstained;
import io.gatehouse.core.AuthenticationResult.Rejected;
import io.gatehouse.core.AuthenticationResult;
import io.gatehouse.core.ConfigurationException;
import io.gatehouse.core.RejectionReason;
import io.gatehouse.core.TokenAuthenticator;
import io.gatehouse.core.internal.GoText;
import io.gatehouse.core.internal.SafeListener;
import io.gatehouse.jwt.CompactJws;
import io.gatehouse.jwt.JwtClaims;
import io.gatehouse.jwt.JwtException;
import io.gatehouse.jwt.VerificationKeySet;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Authenticates JWT bearer tokens from any number of trusted issuers as Kubernetes' OIDC / structured JWT
 * authenticator does. A token is parsed strictly once; its unverified {@code iss} routes it through a hash
 * map to the one issuer that can judge it (O(1) in the number of issuers). A token of an unknown issuer, a
 * JSON-serialised token or anything not JWT-shaped abstains; a token of a known issuer is verified and
 * either authenticated or rejected with Kubernetes' {@code oidc: ...} message.
 *
 * <p>Keys come from OIDC discovery and JWKS, fetched in the background (see {@link Builder}); startup
 * never blocks on an identity provider: until an issuer's keys arrive its tokens are rejected with
 * {@link RejectionReason#NOT_INITIALIZED}, and {@link #health()} tells why.
 *
 * <p>Audience-agnostic ({@link #isAudienceAware()} is false): the chain answers for the API audiences, as
 * Kubernetes wraps JWT authenticators. Thread-safe; never throws from {@link #authenticate}. Close it to
 * stop background fetching.
 */
public final class OidcAuthenticator implements TokenAuthenticator, AutoCloseable {

    private static final String GOOGLE = "accounts.google.com";
    /** Bounds the key cache of one issuer; a JWKS with more usable keys than this is unusual. */
    private static final int MAX_KEYS_PER_ISSUER = 1000;

    private final Map<String, IssuerAuthenticator> byIssuer;
    private final List<IssuerAuthenticator> issuers;
    private final Map<String, RemoteKeySource> remoteKeys;
    private final int maxTokenLength;
    private final ScheduledThreadPoolExecutor executor;
    private final AuthenticationListener listener;

    private OidcAuthenticator(Map<String, IssuerAuthenticator> byIssuer, List<IssuerAuthenticator> issuers,
                              Map<String, RemoteKeySource> remoteKeys, int maxTokenLength,
                              ScheduledThreadPoolExecutor executor, AuthenticationListener listener) {
        this.listener = listener;
        this.byIssuer = byIssuer;
        this.issuers = issuers;
        this.remoteKeys = remoteKeys;
        this.maxTokenLength = maxTokenLength;
        this.executor = executor;
    }

    /**
     * A builder with no issuers.
     *
     * @return a new builder; at least one issuer must be added
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Judges a token. Never throws.
     *
     * @param token     the bearer token; never null
     * @param audiences ignored: the chain's audience-agnostic wrapper handles audiences
     */
    @Override
    public AuthenticationResult authenticate(String token, List<String> audiences) {
        try {
            return route(token);
        } catch (RuntimeException e) {
            // A bug must not become an exception on the request path; the message carries no token.
            return Rejected.of(RejectionReason.INTERNAL_ERROR, "oidc: internal error: " + e.getClass().getSimpleName());
        }
    }

    private AuthenticationResult route(String token) {
        if (token.length() > maxTokenLength) {
            return Abstained.instance();
        }
        // Kubernetes times each JWT authenticator call, except one for a token of another issuer.
        long start = listener == AuthenticationListener.NONE ? 0 : System.nanoTime();
        CompactJws jws;
        try {
            jws = CompactJws.parse(token, maxTokenLength);
        } catch (JwtException e) {
            IssuerAuthenticator owner = issuerOf(CompactJws.untrustedIssuer(token, maxTokenLength));
            return owner == null ? Abstained.instance() : timed(owner, owner.rejectUnparsable(e), start);
        }
        JwtClaims claims;
        try {
            claims = jws.claims();
        } catch (JwtException e) {
            return Abstained.instance();
        }
        IssuerAuthenticator owner = issuerOf(claims.stringOrNull("iss"));
        return owner == null ? Abstained.instance() : timed(owner, owner.authenticate(jws), start);
    }

    /** Reports the issuer's verdict as Kubernetes' JWT authenticator latency (an abstention is not reported). */
    private AuthenticationResult timed(IssuerAuthenticator owner, AuthenticationResult verdict, long start) {
        if (listener != AuthenticationListener.NONE && !(verdict instanceof Abstained)) {
            listener.jwtAuthenticatorLatency(owner.issuerHash(), verdict instanceof AuthenticationResult.Authenticated,
                    System.nanoTime() - start);
        }
        return verdict;
    }

    private IssuerAuthenticator issuerOf(String iss) {
        if (iss == null) {
            return null;
        }
        // Google's ID tokens historically carry the issuer without scheme; go-oidc accepts both spellings.
        return byIssuer.get(GOOGLE.equals(iss) ? "https://" + GOOGLE : iss);
    }

    /**
     * The key state of every issuer, in configuration order.
     *
     * @return one entry per issuer, never null
     */
    public List<IssuerHealth> health() {
        List<IssuerHealth> out = new ArrayList<>(issuers.size());
        for (IssuerAuthenticator a : issuers) {
            String url = a.issuer().url();
            RemoteKeySource remote = remoteKeys.get(url);
            if (remote != null) {
                out.add(remote.health());
            } else {
                out.add(new IssuerHealth(url, IssuerHealth.State.HEALTHY, a.issuer().staticKeys().size(), null, null));
            }
        }
        return out;
    }

    /**
     * The configured issuer URLs, in order.
     *
     * @return the issuer URLs, unmodifiable; never null
     */
    public List<String> issuerUrls() {
        return issuers.stream().map(a -> a.issuer().url()).toList();
    }

    RemoteKeySource remoteKeys(String issuerUrl) {
        return remoteKeys.get(issuerUrl);
    }

    /** Stops background key fetching. Tokens of remote issuers keep verifying against the keys already held. */
    @Override
    public void close() {
        remoteKeys.values().forEach(RemoteKeySource::close);
        executor.shutdownNow();
    }

    @Override
    public String toString() {
        return "OidcAuthenticator" + issuerUrls();
    }

    /**
     * Configures an {@link OidcAuthenticator}. Not thread-safe. Key-fetch defaults: connect timeout 5 s,
     * whole-request timeout 10 s, responses up to 512 KiB, refresh every 5 min unless Cache-Control
     * max-age says otherwise (clamped to 1 min..24 h), one unknown-kid refetch per 30 s, retry backoff 1 s
     * doubling to 1 min, keys kept through an outage for 24 h.
     */
    public static final class Builder {
        private final List<JwtIssuer> issuers = new ArrayList<>();
        private Clock clock = Clock.systemUTC();
        private AuthenticationListener listener = AuthenticationListener.logging();
        private int maxTokenLength = CompactJws.DEFAULT_MAX_LENGTH;
        private Set<String> disallowedIssuers = Set.of();
        private Duration connectTimeout = Duration.ofSeconds(5);
        private Duration requestTimeout = Duration.ofSeconds(10);
        private int maxResponseBytes = 512 * 1024;
        private Duration defaultRefresh = Duration.ofMinutes(5);
        private Duration minRefresh = Duration.ofMinutes(1);
        private Duration maxRefresh = Duration.ofHours(24);
        private Duration unknownKidWindow = Duration.ofSeconds(30);
        private Duration initialBackoff = Duration.ofSeconds(1);
        private Duration maxBackoff = Duration.ofMinutes(1);
        private Duration keepKeysThroughOutage = Duration.ofHours(24);

        private Builder() {
        }

        /**
         * Adds a trusted issuer; issuer URLs must be unique.
         *
         * @param issuer the issuer; not null
         * @return this builder
         */
        public Builder issuer(JwtIssuer issuer) {
            issuers.add(Objects.requireNonNull(issuer, "issuer"));
            return this;
        }

        /**
         * Adds trusted issuers.
         *
         * @param more the issuers, added in order; not null, no element null
         * @return this builder
         */
        public Builder issuers(Collection<JwtIssuer> more) {
            more.forEach(this::issuer);
            return this;
        }

        /**
         * The clock for token times and key ages; default the system UTC clock.
         *
         * @param c the clock; not null
         * @return this builder
         */
        public Builder clock(Clock c) {
            this.clock = Objects.requireNonNull(c, "clock");
            return this;
        }

        /**
         * Receives key refreshes, refresh failures and warnings; default {@link AuthenticationListener#logging()}.
         *
         * @param l the listener; not null
         * @return this builder
         */
        public Builder listener(AuthenticationListener l) {
            this.listener = Objects.requireNonNull(l, "listener");
            return this;
        }

        /**
         * Tokens longer than this abstain without being decoded; default 16 KiB.
         *
         * @param chars the longest token decoded, in characters; at least 64
         * @return this builder
         * @throws IllegalArgumentException if {@code chars} is less than 64
         */
        public Builder maxTokenLength(int chars) {
            if (chars < 64) {
                throw new IllegalArgumentException("maxTokenLength must be at least 64, was " + chars);
            }
            this.maxTokenLength = chars;
            return this;
        }

        /**
         * Issuer URLs that must not be configured (Kubernetes passes the service account issuers).
         *
         * @param urls the disallowed issuer URLs, copied; not null, no element null
         * @return this builder
         */
        public Builder disallowedIssuers(Collection<String> urls) {
            this.disallowedIssuers = Set.copyOf(urls);
            return this;
        }

        /**
         * Connect and whole-request timeouts for discovery and JWKS.
         *
         * @param connect the connect timeout; not null, positive
         * @param request the timeout of a whole request; not null, positive
         * @return this builder
         */
        public Builder fetchTimeouts(Duration connect, Duration request) {
            this.connectTimeout = positive(connect, "connect");
            this.requestTimeout = positive(request, "request");
            return this;
        }

        /**
         * The largest discovery or JWKS body accepted.
         *
         * @param bytes the largest body, in bytes; at least 1024
         * @return this builder
         * @throws IllegalArgumentException if {@code bytes} is less than 1024
         */
        public Builder maxResponseBytes(int bytes) {
            if (bytes < 1024) {
                throw new IllegalArgumentException("maxResponseBytes must be at least 1024, was " + bytes);
            }
            this.maxResponseBytes = bytes;
            return this;
        }

        /**
         * Refresh interval without Cache-Control, and the bounds a max-age is clamped to.
         *
         * @param defaultInterval the refresh interval when the response has no max-age; not null, positive
         * @param min             the shortest refresh interval; not null, positive
         * @param max             the longest refresh interval; not null, positive and not below {@code min}
         * @return this builder
         * @throws IllegalArgumentException if {@code min} is above {@code max}
         */
        public Builder keyRefresh(Duration defaultInterval, Duration min, Duration max) {
            if (positive(min, "min").compareTo(positive(max, "max")) > 0) {
                throw new IllegalArgumentException("keyRefresh min " + min + " is above max " + max);
            }
            this.defaultRefresh = positive(defaultInterval, "defaultInterval");
            this.minRefresh = min;
            this.maxRefresh = max;
            return this;
        }

        /**
         * At most one refetch per window is triggered by tokens naming an unknown kid.
         *
         * @param window the shortest time between such refetches; not null, positive
         * @return this builder
         */
        public Builder unknownKidRefetchWindow(Duration window) {
            this.unknownKidWindow = positive(window, "window");
            return this;
        }

        /**
         * Retry delays after a failed fetch: {@code initial}, doubling up to {@code max}.
         *
         * @param initial the first retry delay; not null, positive
         * @param max     the longest retry delay; not null, positive and not below {@code initial}
         * @return this builder
         * @throws IllegalArgumentException if {@code initial} is above {@code max}
         */
        public Builder retryBackoff(Duration initial, Duration max) {
            if (positive(initial, "initial").compareTo(positive(max, "max")) > 0) {
                throw new IllegalArgumentException("retryBackoff initial " + initial + " is above max " + max);
            }
            this.initialBackoff = initial;
            this.maxBackoff = max;
            return this;
        }

        /**
         * How long keys stay trusted after the last successful fetch while the provider is unreachable.
         *
         * @param bound how long keys outlive the last successful fetch; not null, positive
         * @return this builder
         */
        public Builder keepKeysThroughOutage(Duration bound) {
            this.keepKeysThroughOutage = positive(bound, "bound");
            return this;
        }

        /**
         * Validates the issuers together and starts background key fetching.
         *
         * @return a new authenticator; it fetches keys in the background until closed
         * @throws ConfigurationException for no issuers, a duplicate issuer or discovery URL, a disallowed
         *                                issuer, or a CA that cannot be used
         */
        public OidcAuthenticator build() {
            if (issuers.isEmpty()) {
                throw new ConfigurationException(null, null, "jwt", "at least one issuer is required", null);
            }
            Set<String> urls = new LinkedHashSet<>();
            Set<String> discovery = new LinkedHashSet<>();
            for (JwtIssuer i : issuers) {
                String field = i.fieldPrefix() + "issuer.url";
                if (disallowedIssuers.contains(i.url())) {
                    throw new ConfigurationException(i.source(), null, field, field + ": Invalid value: "
                            + GoText.quote(i.url()) + ": URL must not overlap with disallowed issuers: ["
                            + String.join(" ", disallowedIssuers.stream().sorted().toList()) + "]", null);
                }
                if (!urls.add(i.url())) {
                    throw new ConfigurationException(i.source(), null, field, field + ": Duplicate value: "
                            + GoText.quote(i.url()), null);
                }
                if (i.discoveryUrl() != null && !i.discoveryUrl().isEmpty() && !discovery.add(JwtIssuer.trimSlash(i.discoveryUrl()))) {
                    String d = i.fieldPrefix() + "issuer.discoveryURL";
                    throw new ConfigurationException(i.source(), null, d, d + ": Duplicate value: "
                            + GoText.quote(i.discoveryUrl()), null);
                }
            }
            FetchPolicy policy = new FetchPolicy(connectTimeout, requestTimeout, maxResponseBytes, defaultRefresh, minRefresh,
                    maxRefresh, unknownKidWindow, initialBackoff, maxBackoff, keepKeysThroughOutage, MAX_KEYS_PER_ISSUER);
            AtomicInteger threads = new AtomicInteger();
            ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(2, r -> {
                Thread t = new Thread(r, "gatehouse-oidc-keys-" + threads.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
            executor.setRemoveOnCancelPolicy(true);
            Map<String, IssuerAuthenticator> byIssuer = new HashMap<>();
            List<IssuerAuthenticator> ordered = new ArrayList<>();
            Map<String, RemoteKeySource> remote = new HashMap<>();
            for (JwtIssuer i : issuers) {
                IssuerAuthenticator auth;
                VerificationKeySet fixed = i.staticKeys();
                HttpFetcher http = new HttpFetcher(tlsFor(i), policy);
                if (fixed != null) {
                    auth = new IssuerAuthenticator(i, fixed, () -> true, clock, http, maxTokenLength);
                } else {
                    RemoteKeySource keys = new RemoteKeySource(i.url(), emptyToNull(i.discoveryUrl()), http, policy,
                            clock, SafeListener.wrap(listener), executor);
                    remote.put(i.url(), keys);
                    auth = new IssuerAuthenticator(i, keys, keys::ready, clock, http, maxTokenLength);
                }
                byIssuer.put(i.url(), auth);
                ordered.add(auth);
            }
            remote.values().forEach(RemoteKeySource::start);
            return new OidcAuthenticator(Map.copyOf(byIssuer), List.copyOf(ordered), Map.copyOf(remote),
                    maxTokenLength, executor, SafeListener.wrap(listener));
        }

        private static SSLContext tlsFor(JwtIssuer issuer) {
            List<Certificate> ca = issuer.certificateAuthority();
            if (ca.isEmpty()) {
                return null;
            }
            try {
                KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
                store.load(null, null);
                for (int n = 0; n < ca.size(); n++) {
                    store.setCertificateEntry("ca-" + n, ca.get(n));
                }
                TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                tmf.init(store);
                SSLContext tls = SSLContext.getInstance("TLS");
                tls.init(null, tmf.getTrustManagers(), null);
                return tls;
            } catch (GeneralSecurityException | java.io.IOException e) {
                String field = issuer.fieldPrefix() + "issuer.certificateAuthority";
                throw new ConfigurationException(issuer.source(), null, field, "cannot build a trust store: "
                        + e.getClass().getSimpleName(), e);
            }
        }

        private static String emptyToNull(String s) {
            return s == null || s.isEmpty() ? null : s;
        }

        private static Duration positive(Duration d, String name) {
            if (Objects.requireNonNull(d, name).isNegative() || d.isZero()) {
                throw new IllegalArgumentException(name + " must be positive, was " + d);
            }
            return d;
        }
    }
}
