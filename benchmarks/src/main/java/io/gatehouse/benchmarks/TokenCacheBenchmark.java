package io.gatehouse.benchmarks;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import io.gatehouse.core.AuthenticationChain;
import io.gatehouse.core.AuthenticationListener;
import io.gatehouse.core.AuthenticationRequest;
import io.gatehouse.core.AuthenticationResult;
import io.gatehouse.core.TokenCachePolicy;
import io.gatehouse.core.UserInfo;
import io.gatehouse.statictoken.StaticTokenAuthenticator;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The assembled chain answering from the token cache, against its floor: one HMAC-SHA256 of the token
 * plus one Caffeine hit (the target is at most 1.5x that floor).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class TokenCacheBenchmark {

    private static final String TOKEN = "0123456789abcdef0123456789abcdef";

    private AuthenticationChain cachedChain;
    private AuthenticationChain uncachedChain;
    private StaticTokenAuthenticator tokens;
    private AuthenticationRequest request;
    private Mac mac;
    private Cache<ByteBuffer, AuthenticationResult> caffeine;
    private AsyncCache<ByteBuffer, AuthenticationResult> coreLike;
    private AsyncCache<ByteBuffer, AuthenticationResult> coreLikeSameThread;
    private ByteBuffer hitKey;

    @Setup
    public void setUp() throws GeneralSecurityException {
        tokens = StaticTokenAuthenticator.builder().token(TOKEN, UserInfo.of("alice", "1")).build();
        cachedChain = AuthenticationChain.builder().listener(AuthenticationListener.NONE)
                .tokenCache(new TokenCachePolicy(Duration.ofHours(1), Duration.ZERO, 10_000))
                .addToken("static-token", tokens).build();
        uncachedChain = AuthenticationChain.builder().listener(AuthenticationListener.NONE)
                .tokenCache(TokenCachePolicy.DISABLED).addToken("static-token", tokens).build();
        request = AuthenticationRequest.bearer(TOKEN);
        mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(new byte[32], "HmacSHA256"));
        caffeine = Caffeine.newBuilder().maximumSize(10_000).build();
        caffeine.put(ByteBuffer.wrap(mac.doFinal(TOKEN.getBytes(StandardCharsets.UTF_8))),
                cachedChain.authenticate(request));
        hitKey = ByteBuffer.wrap(mac.doFinal(TOKEN.getBytes(StandardCharsets.UTF_8)));
        coreLike = coreLikeCache(false);
        coreLikeSameThread = coreLikeCache(true);
        coreLike.put(hitKey, CompletableFuture.completedFuture(cachedChain.authenticate(request)));
        coreLikeSameThread.put(hitKey, CompletableFuture.completedFuture(cachedChain.authenticate(request)));
    }

    /**
     * A cache built as core's CachingTokenAuthenticator builds its own (size bound, a ticker reading a
     * Clock, per-entry expiry, async), optionally with Caffeine's maintenance run on the calling thread
     * instead of ForkJoinPool.commonPool(): isolates what the executor hand-off costs a hit.
     */
    private static AsyncCache<ByteBuffer, AuthenticationResult> coreLikeCache(boolean sameThread) {
        Clock clock = Clock.systemUTC();
        Caffeine<Object, Object> b = Caffeine.newBuilder().maximumSize(10_000)
                .ticker(() -> {
                    Instant i = clock.instant();
                    return i.getEpochSecond() * 1_000_000_000L + i.getNano();
                });
        if (sameThread) {
            b.executor(Runnable::run);
        }
        return b.expireAfter(new Expiry<ByteBuffer, AuthenticationResult>() {
            @Override
            public long expireAfterCreate(ByteBuffer key, AuthenticationResult value, long currentTime) {
                return Duration.ofHours(1).toNanos();
            }

            @Override
            public long expireAfterUpdate(ByteBuffer key, AuthenticationResult value, long currentTime, long currentDuration) {
                return currentDuration;
            }

            @Override
            public long expireAfterRead(ByteBuffer key, AuthenticationResult value, long currentTime, long currentDuration) {
                return currentDuration;
            }
        }).buildAsync();
    }

    /** Core's cache configuration, hit on one key (no HMAC): default executor (ForkJoinPool.commonPool()). */
    @Benchmark
    public CompletableFuture<AuthenticationResult> coreLikeCacheHit() {
        return coreLike.getIfPresent(hitKey);
    }

    /** The same with {@code executor(Runnable::run)}. */
    @Benchmark
    public CompletableFuture<AuthenticationResult> coreLikeCacheHitSameThreadExecutor() {
        return coreLikeSameThread.getIfPresent(hitKey);
    }

    /** Each benchmark thread's own HMAC (a Mac is not thread-safe), keyed as the shared one. */
    @State(Scope.Thread)
    public static class ThreadMac {
        Mac mac;

        @Setup
        public void setUp() throws GeneralSecurityException {
            mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(new byte[32], "HmacSHA256"));
        }
    }

    /** The floor: HMAC-SHA256 of the token and a Caffeine hit (runs on any number of threads). */
    @Benchmark
    public AuthenticationResult baselineHmacPlusCaffeineHit(ThreadMac own) {
        return caffeine.getIfPresent(ByteBuffer.wrap(own.mac.doFinal(TOKEN.getBytes(StandardCharsets.UTF_8))));
    }

    /** The whole chain (bearer parsing, cache, group adder) on a cache hit. */
    @Benchmark
    public AuthenticationResult chainCacheHit() {
        return cachedChain.authenticate(request);
    }

    /** The whole chain without the cache: a static-token lookup (SHA-256 of the token and a map probe). */
    @Benchmark
    public AuthenticationResult chainStaticTokenUncached() {
        return uncachedChain.authenticate(request);
    }

    /** The static-token authenticator alone. */
    @Benchmark
    public AuthenticationResult staticTokenLookup() {
        return tokens.authenticate(TOKEN, java.util.List.of());
    }
}
