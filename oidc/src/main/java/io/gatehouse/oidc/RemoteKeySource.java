package io.gatehouse.oidc;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.nimbusds.jose.util.JSONObjectUtils;
import io.gatehouse.core.AuthenticationListener;
import io.gatehouse.core.internal.GoText;
import io.gatehouse.core.internal.Sha256;
import io.gatehouse.jwt.JwtException;
import io.gatehouse.jwt.KeySource;
import io.gatehouse.jwt.VerificationKey;
import io.gatehouse.jwt.VerificationKeySet;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An issuer's keys from OIDC discovery and its JWKS, cached on Caffeine as ready verifiers keyed by kid.
 *
 * <ul>
 *   <li>Startup never blocks or fails: the first fetch runs in the background and is retried with
 *       exponential backoff until it succeeds; until then {@link #ready()} is false.</li>
 *   <li>Refreshed in the background ahead of expiry, at the response's Cache-Control max-age clamped to
 *       bounds (a default without one).</li>
 *   <li>An unknown kid triggers at most one refetch per window; concurrent misses join the fetch in
 *       flight instead of starting their own.</li>
 *   <li>A failed refresh keeps the cached keys; they expire only after the keep-through-outage time since
 *       they were last fetched, so an outage is tolerated for a bounded time.</li>
 * </ul>
 *
 * <p>Thread-safe. No I/O happens under a lock; a request thread waits at most one fetch deadline.
 */
final class RemoteKeySource implements KeySource {

    private static final Pattern MAX_AGE = Pattern.compile("(?:^|[,\\s])max-age\\s*=\\s*(\\d{1,10})");

    private final String issuerUrl;
    private final URI discoveryUri;
    private final HttpFetcher http;
    private final FetchPolicy policy;
    private final Clock clock;
    private final AuthenticationListener listener;
    private final String issuerHash;
    private final ScheduledExecutorService executor;
    private final Cache<String, VerificationKey> keys;
    private final AtomicInteger jwksFetches = new AtomicInteger();
    private final Object lock = new Object();

    private CompletableFuture<Boolean> inFlight;          // guarded by lock
    private long lastUnknownKidFetch = Long.MIN_VALUE / 4; // millis, guarded by lock
    private volatile Duration backoff;                      // written by the refresh chain only

    private volatile URI jwksUri;
    private volatile boolean everLoaded;
    private volatile boolean lastAttemptFailed;
    private volatile Instant lastSuccess;
    private volatile String lastError;
    private volatile Duration nextRefresh;
    private volatile boolean closed;

    RemoteKeySource(String issuerUrl, String discoveryUrl, HttpFetcher http, FetchPolicy policy, Clock clock,
                    AuthenticationListener listener, ScheduledExecutorService executor) {
        this.issuerUrl = issuerUrl;
        this.discoveryUri = URI.create(discoveryUrl != null ? discoveryUrl
                : trimSlash(issuerUrl) + "/.well-known/openid-configuration");
        this.http = http;
        this.policy = policy;
        this.clock = clock;
        this.listener = listener;
        this.issuerHash = Sha256.label(issuerUrl);
        this.executor = executor;
        this.backoff = policy.initialBackoff();
        this.nextRefresh = policy.defaultRefresh();
        this.keys = Caffeine.newBuilder()
                .ticker(() -> TimeUnit.MILLISECONDS.toNanos(clock.millis()))
                .expireAfterWrite(policy.keepKeysThroughOutage())
                .maximumSize(policy.maxKeys())
                .build();
    }

    /** Starts the background fetch chain. */
    void start() {
        executor.execute(this::scheduledRefresh);
    }

    void close() {
        closed = true;
    }

    /** Whether keys were loaded at least once. */
    boolean ready() {
        return everLoaded;
    }

    /** JWKS GETs so far (tests count them). */
    int jwksFetches() {
        return jwksFetches.get();
    }

    @Override
    public List<VerificationKey> lookup(String keyId) throws JwtException {
        if (keyId != null) {
            VerificationKey k = keys.getIfPresent(keyId);
            if (k != null) {
                return List.of(k);
            }
        }
        List<VerificationKey> all = new ArrayList<>(keys.asMap().values());
        if (all.isEmpty()) {
            throw JwtException.of(JwtException.Kind.KEYS_UNAVAILABLE, everLoaded
                    ? "keys of " + issuerUrl + " expired: no successful fetch since " + lastSuccess
                    : "keys of " + issuerUrl + " not fetched yet");
        }
        if (keyId == null) {
            return all;
        }
        CompletableFuture<Boolean> refetch = fetchCollapsed(true);
        if (refetch != null) {
            try {
                refetch.get(policy.requestTimeout().plus(policy.connectTimeout()).toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Exception e) {
                // The fetch reports its own failure; this request just sees the keys as they are.
            }
            VerificationKey k = keys.getIfPresent(keyId);
            if (k != null) {
                return List.of(k);
            }
        }
        return List.of();
    }

    IssuerHealth health() {
        keys.cleanUp();
        int count = (int) keys.asMap().size();
        IssuerHealth.State state;
        if (!everLoaded) {
            state = IssuerHealth.State.INITIALIZING;
        } else if (count == 0) {
            state = IssuerHealth.State.UNAVAILABLE;
        } else if (lastAttemptFailed) {
            state = IssuerHealth.State.DEGRADED;
        } else {
            state = IssuerHealth.State.HEALTHY;
        }
        return new IssuerHealth(issuerUrl, state, count, lastSuccess, lastError);
    }

    private void scheduledRefresh() {
        if (closed) {
            return;
        }
        CompletableFuture<Boolean> f = fetchCollapsed(false);
        f.whenComplete((ok, t) -> {
            if (closed) {
                return;
            }
            Duration delay;
            if (Boolean.TRUE.equals(ok)) {
                backoff = policy.initialBackoff();
                delay = nextRefresh;
            } else {
                delay = backoff;
                Duration doubled = backoff.multipliedBy(2);
                backoff = doubled.compareTo(policy.maxBackoff()) > 0 ? policy.maxBackoff() : doubled;
            }
            try {
                executor.schedule(this::scheduledRefresh, delay.toMillis(), TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                // The authenticator was closed.
            }
        });
    }

    /**
     * The fetch in flight, or a new one. For an unknown kid a new fetch starts at most once per window
     * (null when the window is closed), so a storm of forged kids costs one fetch.
     */
    CompletableFuture<Boolean> fetchCollapsed(boolean unknownKid) {
        CompletableFuture<Boolean> mine;
        synchronized (lock) {
            if (inFlight != null) {
                return inFlight;
            }
            if (unknownKid) {
                long now = clock.millis();
                if (now - lastUnknownKidFetch < policy.unknownKidWindow().toMillis()) {
                    return null;
                }
                lastUnknownKidFetch = now;
            }
            mine = new CompletableFuture<>();
            inFlight = mine;
        }
        try {
            executor.execute(() -> runFetch(mine));
        } catch (java.util.concurrent.RejectedExecutionException e) {
            synchronized (lock) {
                inFlight = null;
            }
            mine.complete(false);
        }
        return mine;
    }

    private void runFetch(CompletableFuture<Boolean> done) {
        boolean ok = false;
        try {
            fetchNow();
            ok = true;
        } catch (IOException | RuntimeException e) {
            String error = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            lastError = error;
            lastAttemptFailed = true;
            listener.keyRefreshFailed(jwksUri != null ? jwksUri.toString() : discoveryUri.toString(), error);
        } finally {
            synchronized (lock) {
                inFlight = null;
            }
            done.complete(ok);
        }
    }

    private void fetchNow() throws IOException {
        URI jwks = jwksUri;
        if (jwks == null) {
            jwks = discover();
            jwksUri = jwks;
        }
        jwksFetches.incrementAndGet();
        HttpFetcher.Response response;
        VerificationKeySet set;
        try {
            response = http.get(jwks);
            try {
                set = VerificationKeySet.fromJwks(response.body());
            } catch (IllegalArgumentException e) {
                throw new IOException("oidc: failed to decode keys: " + e.getMessage());
            }
        } catch (IOException | RuntimeException e) {
            // Kubernetes' JWKS fetch metrics: the request to the jwks_uri only, not discovery.
            listener.jwksFetched(issuerHash, false, null);
            throw e;
        }
        listener.jwksFetched(issuerHash, true, Sha256.label(response.body()));
        if (set.size() == 0) {
            throw new IOException("oidc: failed to decode keys: no usable signing keys in " + jwks);
        }
        Map<String, VerificationKey> fresh = new HashMap<>();
        int i = 0;
        for (VerificationKey k : set.keys()) {
            // A key without kid still needs a cache key; NUL cannot start a kid a caller looks up by mistake.
            fresh.put(k.keyId() != null ? k.keyId() : "\u0000" + i++, k);
        }
        keys.putAll(fresh);
        keys.asMap().keySet().retainAll(fresh.keySet());
        nextRefresh = refreshInterval(response.cacheControl());
        lastSuccess = clock.instant();
        lastAttemptFailed = false;
        lastError = null;
        everLoaded = true;
        listener.keysRefreshed(jwks.toString(), fresh.size());
        for (String skipped : set.skipped()) {
            listener.warning(jwks.toString(), "JWKS entry skipped: " + skipped);
        }
    }

    private URI discover() throws IOException {
        HttpFetcher.Response response = http.get(discoveryUri);
        Map<String, Object> doc;
        try {
            doc = JSONObjectUtils.parse(new String(response.body(), StandardCharsets.UTF_8));
        } catch (ParseException | RuntimeException e) {
            throw new IOException("oidc: failed to decode provider discovery object");
        }
        if (doc == null) {
            throw new IOException("oidc: failed to decode provider discovery object");
        }
        Object iss = doc.get("issuer");
        if (!issuerUrl.equals(iss)) {
            throw new IOException("oidc: issuer did not match the issuer returned by provider, expected "
                    + GoText.quote(issuerUrl) + " got " + GoText.quote(String.valueOf(iss)));
        }
        if (!(doc.get("jwks_uri") instanceof String uri) || uri.isEmpty()) {
            throw new IOException("provider did not return JWKS URL");
        }
        try {
            return new URI(uri);
        } catch (URISyntaxException e) {
            throw new IOException("provider returned an invalid JWKS URL");
        }
    }

    private Duration refreshInterval(Optional<String> cacheControl) {
        if (cacheControl.isEmpty()) {
            return policy.defaultRefresh();
        }
        String cc = cacheControl.get().toLowerCase(java.util.Locale.ROOT);
        if (cc.contains("no-store") || cc.contains("no-cache")) {
            return policy.minRefresh();
        }
        Matcher m = MAX_AGE.matcher(cc);
        if (!m.find()) {
            return policy.defaultRefresh();
        }
        Duration d = Duration.ofSeconds(Long.parseLong(m.group(1)));
        if (d.compareTo(policy.minRefresh()) < 0) {
            return policy.minRefresh();
        }
        return d.compareTo(policy.maxRefresh()) > 0 ? policy.maxRefresh() : d;
    }

    private static String trimSlash(String s) {
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }
}
