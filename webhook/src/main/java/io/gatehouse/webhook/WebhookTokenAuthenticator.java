package io.gatehouse.webhook;

import io.gatehouse.core.AuthenticationListener;
import io.gatehouse.core.AuthenticationResult.Abstained;
import io.gatehouse.core.AuthenticationResult.Authenticated;
import io.gatehouse.core.AuthenticationResult.Rejected;
import io.gatehouse.core.AuthenticationResult;
import io.gatehouse.core.Fingerprint;
import io.gatehouse.core.RejectionReason;
import io.gatehouse.core.TokenAuthenticator;
import io.gatehouse.core.TokenCachePolicy;
import io.gatehouse.core.UserInfo;
import io.gatehouse.core.internal.SafeListener;
import io.gatehouse.core.internal.Audiences;
import io.gatehouse.core.internal.CachingTokenAuthenticator;
import io.gatehouse.core.internal.CappedBody;
import io.gatehouse.core.internal.GoText;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kubernetes' webhook token authenticator ({@code plugin/pkg/authenticator/token/webhook}): each bearer token is
 * POSTed in a {@code TokenReview} to the server a kubeconfig names, over TLS with the kubeconfig's CA and client
 * certificate, and the answer becomes the verdict, in Kubernetes' order:
 * <ol>
 *   <li>the call fails after its retries (transport error, timeout, non-2xx status, a redirect, an undecodable,
 *       oversized or wrong-kind body): {@link Rejected} with reason {@link RejectionReason#INTERNAL_ERROR} and
 *       the error, never an abstention that would let another authenticator or anonymous in;</li>
 *   <li>audiences were requested, and neither {@code status.audiences} nor (when the answer names none) the API
 *       audiences meet them: {@link Abstained}, Kubernetes' "no opinion", even when the answer also carries an
 *       error;</li>
 *   <li>{@code authenticated: false}: {@link Rejected} ({@link RejectionReason#INVALID_CREDENTIAL}) with
 *       {@code status.error} as the message, or {@code invalid bearer token} when there is none;</li>
 *   <li>{@code authenticated: true}: {@link Authenticated} with {@code status.user} as it is (Kubernetes validates
 *       nothing: an empty user name or no groups pass through) and the audiences' intersection.</li>
 * </ol>
 *
 * <p><b>Retries</b> follow Kubernetes' {@code DefaultShouldRetry}: a reset connection, 429, 500 and every other
 * 5xx but 503, and any status with a {@code Retry-After} of whole seconds are retried with the exponential
 * {@link Backoff}; the last error is returned when attempts run out. One {@link Builder#timeout timeout}
 * bounds the whole review, retries included, as the 30 s client timeout and the token cache's 30 s shared lookup
 * bound Kubernetes'.
 *
 * <p><b>Caching:</b> verdicts are cached here, for the {@link Builder#cacheTtl cache TTL}, with Kubernetes'
 * webhook cache rules: successes, plain refusals and audience mismatches are kept; failed calls and refusals
 * carrying {@code status.error} are not. Concurrent reviews of one token and audience list make one remote call.
 * The chain's own token cache still sits above, as kube-apiserver's top-level cache sits above its webhook's.
 *
 * <p><b>Bounded concurrency:</b> at most {@link Builder#maxInFlight maxInFlight} reviews run at once. A review
 * that finds every permit taken is refused at once ({@link RejectionReason#INTERNAL_ERROR}, "too many webhook
 * reviews in flight") instead of waiting, so that a burst of distinct tokens while the remote side hangs ties up
 * at most that many request threads, each for at most the timeout; identical tokens wait on the one review in
 * flight and take no permit. The HTTP client itself is non-blocking and holds no thread per request.
 *
 * <p>Thread-safe. {@link #authenticate} never throws. Neither the reviewed token nor the kubeconfig's credentials
 * reach a log, a message or {@link #toString()}; a {@code status.error} that quotes the token has it replaced by
 * the token's fingerprint.
 */
public final class WebhookTokenAuthenticator implements TokenAuthenticator {

    /** Kubernetes' {@code --authentication-token-webhook-version} default in kube-apiserver. */
    public static final String DEFAULT_VERSION = "v1beta1";
    /** Kubernetes' {@code --authentication-token-webhook-cache-ttl} default in kube-apiserver. */
    public static final Duration DEFAULT_CACHE_TTL = Duration.ofMinutes(2);
    /** Kubernetes' webhook request timeout ({@code defaultRequestTimeout}). */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
    /** Reviews in flight at once unless set otherwise. */
    public static final int DEFAULT_MAX_IN_FLIGHT = 64;
    /** The largest review answer read; a TokenReview is a few KiB even with hundreds of groups. */
    static final int MAX_RESPONSE_BYTES = 1 << 20;

    static final String TOO_MANY_IN_FLIGHT = "too many webhook reviews in flight";
    /** A plain refusal ({@code authenticated: false} without an error), in the words of Kubernetes' bearer step. */
    static final String NOT_AUTHENTICATED = "invalid bearer token";
    /** Bounded where Kubernetes' is not, so that a stream of garbage tokens cannot grow it without limit. */
    static final long MAXIMUM_CACHED_ANSWERS = 10_000;

    private static final Logger LOG = LoggerFactory.getLogger(WebhookTokenAuthenticator.class);

    /**
     * Kubernetes' retry backoff ({@code wait.Backoff}): at most {@code steps} attempts; before attempt n+1 the
     * caller sleeps {@code initial·factorⁿ⁻¹}, plus up to {@code jitter} of that at random.
     *
     * @param initial the first sleep; not negative
     * @param factor  the growth of each sleep; not negative (0 keeps the sleep constant, as Go's)
     * @param jitter  the random extra, as a fraction of the sleep; not negative
     * @param steps   the most attempts; at least 1
     */
    public record Backoff(Duration initial, double factor, double jitter, int steps) {

        /** Kubernetes' default: 500 ms, factor 1.5, jitter 0.2, 5 steps. */
        public static final Backoff DEFAULT = new Backoff(Duration.ofMillis(500), 1.5, 0.2, 5);

        /**
         * Checks the values.
         *
         * @param initial the first pause; not negative
         * @param factor  how much each pause grows; finite, not negative
         * @param jitter  the random extra, as a fraction of the pause; finite, not negative
         * @param steps   the most attempts; at least 1
         * @throws IllegalArgumentException if a value is out of range; for steps, with Kubernetes' message
         */
        public Backoff {
            Objects.requireNonNull(initial, "initial");
            if (initial.isNegative()) {
                throw new IllegalArgumentException("the retry backoff's initial duration must not be negative: " + initial);
            }
            if (!(factor >= 0) || !(jitter >= 0) || Double.isInfinite(factor) || Double.isInfinite(jitter)) {
                throw new IllegalArgumentException("the retry backoff's factor and jitter must be finite and not negative");
            }
            if (steps <= 0) {
                throw new IllegalArgumentException("number of webhook retry attempts must be greater than 0, but is: " + steps);
            }
        }
    }

    private final URI server;
    private final String target;
    private final String bearer;
    private final HttpClient client;
    private final TokenReviewCodec codec;
    private final Backoff backoff;
    private final Duration timeout;
    private final List<String> apiAudiences;
    private final int maxInFlight;
    private final Semaphore inFlight;
    private final CachingTokenAuthenticator answers;
    private final String version;
    private final AuthenticationListener listener;

    private WebhookTokenAuthenticator(Builder b, Kubeconfig.Endpoint endpoint) {
        this.server = endpoint.server();
        this.target = GoText.quote(server.toString());
        this.bearer = endpoint.bearerToken();
        this.version = b.version;
        this.codec = new TokenReviewCodec(b.version);
        this.backoff = b.backoff;
        this.timeout = b.timeout;
        this.apiAudiences = List.copyOf(b.apiAudiences);
        this.maxInFlight = b.maxInFlight;
        this.inFlight = new Semaphore(b.maxInFlight);
        TokenCachePolicy policy = new TokenCachePolicy(b.cacheTtl, b.cacheTtl, MAXIMUM_CACHED_ANSWERS);
        // Kubernetes wraps its webhook in a cache of its own (cache.New(webhook, false, ttl, ttl)): answers are kept
        // for the webhook's TTL, errors never; concurrent reviews of one token make one call.
        // Always in front, even with a zero TTL: it is also what makes concurrent reviews of one token one call.
        this.listener = SafeListener.wrap(b.listener);
        // Kubernetes' webhook cache writes into the same token cache series as the chain's.
        this.answers = new CachingTokenAuthenticator(this::review, policy, Clock.systemUTC(), listener,
                WebhookTokenAuthenticator::isAnswer);
        this.client = HttpClient.newBuilder()
                .sslContext(endpoint.tls())
                // The review carries a user's token: it goes to the configured server or nowhere.
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(b.timeout)
                .build();
    }

    /**
     * A builder for the webhook a kubeconfig describes ({@code --authentication-token-webhook-config-file}).
     *
     * @param kubeconfig the kubeconfig file; read by {@link Builder#build()}
     * @return a new builder with Kubernetes' defaults (version, cache TTL, backoff, timeout)
     */
    public static Builder builder(Path kubeconfig) {
        return new Builder(Objects.requireNonNull(kubeconfig, "kubeconfig"));
    }

    @Override
    public AuthenticationResult authenticate(String token, List<String> audiences) {
        return answers.authenticate(token, audiences);
    }

    /** The webhook judges audiences itself, with the API audiences as the default for answers that name none. */
    @Override
    public boolean isAudienceAware() {
        return true;
    }

    /** Number of verdicts held in the webhook's cache; for tests. */
    long cachedVerdicts() {
        return answers.size();
    }

    /**
     * Whether Kubernetes would keep this verdict: an answer of the webhook (a user, a plain refusal, an audience
     * mismatch), not an error (a failed call, a refusal carrying {@code status.error}).
     */
    private static boolean isAnswer(AuthenticationResult r) {
        return r instanceof Authenticated || r instanceof Abstained
                || r instanceof Rejected rej && rej.reason() == RejectionReason.INVALID_CREDENTIAL
                        && rej.message().equals(NOT_AUTHENTICATED);
    }

    @Override
    public String toString() {
        return "WebhookTokenAuthenticator[" + server + ", " + version + "]";
    }

    private AuthenticationResult review(String token, List<String> audiences) {
        if (!inFlight.tryAcquire()) {
            return Rejected.of(RejectionReason.INTERNAL_ERROR,
                    TOO_MANY_IN_FLIGHT + " (" + maxInFlight + "); refused without calling " + target);
        }
        try {
            Attempt outcome = call(codec.request(token, audiences));
            if (outcome.status() == null) {
                LOG.error("Failed to make webhook authenticator request: {}", outcome.error());
                return Rejected.of(RejectionReason.INTERNAL_ERROR, outcome.error());
            }
            return judge(outcome.status(), token, audiences);
        } finally {
            inFlight.release();
        }
    }

    private AuthenticationResult judge(TokenReviewCodec.Status status, String token, List<String> audiences) {
        List<String> granted = List.of();
        if (!audiences.isEmpty()) {
            // Kubernetes' wantAuds.Intersect(gotAuds): the answer's order.
            granted = Audiences.intersect(status.audiences().isEmpty() ? apiAudiences : status.audiences(), audiences);
            if (granted.isEmpty()) {
                return Abstained.instance();
            }
        }
        if (!status.authenticated()) {
            if (!status.error().isEmpty()) {
                String message = status.error().replace(token, Fingerprint.of(token));
                return Rejected.of(RejectionReason.INVALID_CREDENTIAL, message);
            }
            return Rejected.of(RejectionReason.INVALID_CREDENTIAL, NOT_AUTHENTICATED);
        }
        for (String key : status.extra().keySet()) {
            if (!key.equals(key.toLowerCase(Locale.ROOT))) {
                // Gatehouse's users carry lower-case extra keys only (Kubernetes' rule for every other source).
                return Rejected.of(RejectionReason.INTERNAL_ERROR, "the webhook returned extra key "
                        + TokenReviewCodec.quoteShort(key) + ", which is not lower case");
            }
        }
        if (status.username().isEmpty()) {
            // Kubernetes passes a nameless user on; a user nobody can name, audit or authorize is refused here.
            return Rejected.of(RejectionReason.INTERNAL_ERROR, "the webhook authenticated a user without a name");
        }
        UserInfo user = new UserInfo(status.username(), status.uid(), status.groups(), status.extra());
        return new Authenticated(user, granted, null, List.of());
    }

    /** One attempt's outcome: a decoded status, or an error and whether Kubernetes would retry it. */
    private record Attempt(TokenReviewCodec.Status status, String error, boolean retryable, int code) {
        static Attempt failed(String error, boolean retryable) {
            return new Attempt(null, error, retryable, -1);
        }

        static Attempt failed(int code, String error, boolean retryable) {
            return new Attempt(null, error, retryable, code);
        }
    }

    /** Kubernetes' {@code WithExponentialBackoff}: attempts until one succeeds, is not retryable, or steps run out. */
    private Attempt call(byte[] body) {
        long deadline = System.nanoTime() + timeout.toNanos();
        double sleep = backoff.initial().toNanos();
        Attempt last = null;
        for (int attempt = 1; ; attempt++) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return last != null ? last : Attempt.failed("webhook call failed: context deadline exceeded", false);
            }
            last = timedAttempt(body, left);
            if (last.status() != null || !last.retryable() || attempt >= backoff.steps()) {
                return last;
            }
            long pause = (long) (sleep + ThreadLocalRandom.current().nextDouble() * backoff.jitter() * sleep);
            if (backoff.factor() != 0) {
                sleep *= backoff.factor();
            }
            if (pause >= deadline - System.nanoTime()) {
                // The deadline falls within the pause: Kubernetes returns the last webhook error then.
                return last;
            }
            try {
                TimeUnit.NANOSECONDS.sleep(pause);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return last;
            }
        }
    }

    /** An attempt, reported to the listener with its status (or none) and duration. */
    private Attempt timedAttempt(byte[] body, long leftNanos) {
        if (listener == AuthenticationListener.NONE) {
            return attempt(body, leftNanos);
        }
        long start = System.nanoTime();
        Attempt a = attempt(body, leftNanos);
        listener.webhookRequest(a.code(), System.nanoTime() - start);
        return a;
    }

    private Attempt attempt(byte[] body, long leftNanos) {
        HttpRequest.Builder rb = HttpRequest.newBuilder(server)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .timeout(Duration.ofNanos(leftNanos))
                .header("Content-Type", "application/json")
                .header("Accept", "application/json, */*")
                .header("User-Agent", "gatehouse-webhook");
        if (bearer != null) {
            rb.header("Authorization", "Bearer " + bearer);
        }
        CompletableFuture<HttpResponse<byte[]>> call = client.sendAsync(rb.build(), CappedBody.handler(MAX_RESPONSE_BYTES));
        HttpResponse<byte[]> response;
        try {
            response = call.get(leftNanos, TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            call.cancel(true);
            return Attempt.failed("Post " + target + ": context deadline exceeded", false);
        } catch (InterruptedException e) {
            call.cancel(true);
            Thread.currentThread().interrupt();
            return Attempt.failed("Post " + target + ": interrupted", false);
        } catch (ExecutionException e) {
            return transportFailure(e.getCause());
        }
        int code = response.statusCode();
        if (code >= 200 && code <= 206) {
            try {
                return new Attempt(codec.response(response.body()), null, false, code);
            } catch (IllegalArgumentException e) {
                return Attempt.failed(code, "unable to decode the webhook's TokenReview: " + e.getMessage(), false);
            }
        }
        if (code >= 300 && code < 400) {
            return Attempt.failed(code, "Post " + target + ": the webhook answered with a redirect (status " + code
                    + "), which is not followed", false);
        }
        long retryAfter = response.headers().firstValue("Retry-After").map(WebhookTokenAuthenticator::seconds).orElse(0L);
        boolean retryable = code == 429 || code == 504 || (code >= 500 && code != 503) || retryAfter > 0;
        return Attempt.failed(code, statusMessage(code), retryable);
    }

    private Attempt transportFailure(Throwable cause) {
        if (cause instanceof HttpTimeoutException) {
            return Attempt.failed("Post " + target + ": context deadline exceeded", false);
        }
        String detail = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        if (cause instanceof ConnectException) {
            return Attempt.failed("Post " + target + ": connection refused (" + detail + ")", false);
        }
        boolean reset = cause instanceof IOException && detail.contains("Connection reset");
        return Attempt.failed("Post " + target + ": " + detail, reset);
    }

    /** client-go's {@code NewGenericServerResponse} wording, without the server's body (it may echo the token). */
    static String statusMessage(int code) {
        return switch (code) {
            case 400 -> "the server rejected our request for an unknown reason";
            case 401 -> "the server has asked for the client to provide credentials";
            case 403 -> "the server refused the webhook's request (status 403)";
            case 404 -> "the server could not find the requested resource";
            case 405 -> "the server does not allow this method on the requested resource";
            case 406 -> "the server was unable to respond with a content type that the client supports";
            case 409 -> "the server reported a conflict";
            case 422 -> "the server rejected our request due to an error in our request";
            case 429 -> "the server has received too many requests and has asked us to try again later";
            case 503 -> "the server is currently unable to handle the request";
            case 504 -> "the server was unable to return a response in the time allotted, but may still be processing the request";
            default -> code >= 500
                    ? "an error on the server (status " + code + ") has prevented the request from succeeding"
                    : "the server responded with the status code " + code + " but did not return more information";
        };
    }

    /** client-go's Retry-After: whole seconds only. */
    private static long seconds(String value) {
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /**
     * Builds a {@link WebhookTokenAuthenticator}; the setters take what Kubernetes' flags carry. Setters validate
     * at once; {@link #build()} reads the kubeconfig. Not thread-safe.
     */
    public static final class Builder {
        private final Path kubeconfig;
        private String version = DEFAULT_VERSION;
        private Duration cacheTtl = DEFAULT_CACHE_TTL;
        private Backoff backoff = Backoff.DEFAULT;
        private Duration timeout = DEFAULT_TIMEOUT;
        private List<String> apiAudiences = List.of();
        private int maxInFlight = DEFAULT_MAX_IN_FLIGHT;
        private AuthenticationListener listener = AuthenticationListener.NONE;

        private Builder(Path kubeconfig) {
            this.kubeconfig = kubeconfig;
        }

        /**
         * The TokenReview version ({@code --authentication-token-webhook-version}); {@value WebhookTokenAuthenticator#DEFAULT_VERSION}
         * unless set.
         *
         * @param version {@code v1} or {@code v1beta1}
         * @return this builder
         * @throws IllegalArgumentException for anything but {@code v1} or {@code v1beta1}, with Kubernetes' message
         */
        public Builder version(String version) {
            if (!"v1".equals(version) && !"v1beta1".equals(version)) {
                throw new IllegalArgumentException("unsupported authentication webhook version "
                        + GoText.quote(String.valueOf(version)) + ", supported versions are \"v1\", \"v1beta1\"");
            }
            this.version = version;
            return this;
        }

        /**
         * How long the webhook's successes and refusals are reused ({@code --authentication-token-webhook-cache-ttl});
         * 2 minutes unless set, zero to keep nothing (concurrent identical reviews still share one call).
         *
         * @param ttl how long an answer is kept; zero or positive
         * @return this builder
         * @throws IllegalArgumentException if negative
         */
        public Builder cacheTtl(Duration ttl) {
            if (Objects.requireNonNull(ttl, "ttl").isNegative()) {
                throw new IllegalArgumentException("the webhook cache TTL must not be negative: " + ttl);
            }
            this.cacheTtl = ttl;
            return this;
        }

        /**
         * The retry backoff; {@link Backoff#DEFAULT} unless set.
         *
         * @param backoff the pauses between attempts and the most attempts; not null
         * @return this builder
         */
        public Builder retryBackoff(Backoff backoff) {
            this.backoff = Objects.requireNonNull(backoff, "backoff");
            return this;
        }

        /**
         * The bound on one review, retries and pauses included; 30 s (Kubernetes' request timeout) unless set.
         *
         * @param timeout the bound; positive
         * @return this builder
         * @throws IllegalArgumentException if not positive
         */
        public Builder timeout(Duration timeout) {
            if (Objects.requireNonNull(timeout, "timeout").isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("the webhook timeout must be positive: " + timeout);
            }
            this.timeout = timeout;
            return this;
        }

        /**
         * The API audiences ({@code --api-audiences}, the chain's {@code apiAudiences}): the audiences an answer
         * without {@code status.audiences} is taken to grant, Kubernetes' implicit audiences. Empty unless set, as
         * in Kubernetes' delegating servers; then such an answer satisfies no audience-scoped request.
         *
         * @param audiences the API audiences, in order; none empty
         * @return this builder
         */
        public Builder apiAudiences(List<String> audiences) {
            List<String> copy = new ArrayList<>();
            for (String a : Objects.requireNonNull(audiences, "audiences")) {
                if (a == null || a.isEmpty()) {
                    throw new IllegalArgumentException("an API audience must not be empty");
                }
                copy.add(a);
            }
            this.apiAudiences = List.copyOf(copy);
            return this;
        }

        /**
         * The most reviews in flight at once; {@value WebhookTokenAuthenticator#DEFAULT_MAX_IN_FLIGHT} unless set.
         * More are refused at once, without waiting.
         *
         * @param max the most concurrent reviews; at least 1
         * @return this builder
         * @throws IllegalArgumentException if less than 1
         */
        public Builder maxInFlight(int max) {
            if (max < 1) {
                throw new IllegalArgumentException("maxInFlight must be at least 1: " + max);
            }
            this.maxInFlight = max;
            return this;
        }

        /**
         * Receives each call to the webhook ({@code webhookRequest}) and the lookups of the webhook's own answer
         * cache; {@link AuthenticationListener#NONE} unless set.
         *
         * @param l the listener; not null
         * @return this builder
         */
        public Builder listener(AuthenticationListener l) {
            this.listener = Objects.requireNonNull(l, "listener");
            return this;
        }

        /**
         * Reads the kubeconfig and builds the authenticator.
         *
         * @return the authenticator, ready to review tokens
         * @throws io.gatehouse.core.ConfigurationException if the kubeconfig cannot be read or used; the message names
         *                                                  the file, the entry and the field
         */
        public WebhookTokenAuthenticator build() {
            return new WebhookTokenAuthenticator(this, Kubeconfig.load(kubeconfig));
        }
    }
}
