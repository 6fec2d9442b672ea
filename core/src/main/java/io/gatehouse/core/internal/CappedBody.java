package io.gatehouse.core.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * A {@link java.net.http.HttpClient} body handler that collects a response up to a size cap and fails as
 * soon as the body grows past it (or declares a larger {@code Content-Length}), without buffering the
 * excess: what every remote fetch of key material or revocation data must do against a hostile or broken
 * server.
 */
public final class CappedBody implements HttpResponse.BodySubscriber<byte[]> {

    private final int max;
    private final long declared;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final CompletableFuture<byte[]> result = new CompletableFuture<>();
    private Flow.Subscription subscription;

    private CappedBody(int max, long declared) {
        this.max = max;
        this.declared = declared;
    }

    /**
     * A handler for bodies of at most {@code maxBytes}; a larger one completes the response exceptionally
     * with an {@link IOException} saying so.
     *
     * @throws IllegalArgumentException if {@code maxBytes} is negative
     */
    public static HttpResponse.BodyHandler<byte[]> handler(int maxBytes) {
        if (maxBytes < 0) {
            throw new IllegalArgumentException("maxBytes must not be negative: " + maxBytes);
        }
        return info -> new CappedBody(maxBytes, info.headers().firstValueAsLong("Content-Length").orElse(-1));
    }

    @Override
    public CompletionStage<byte[]> getBody() {
        return result;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
        this.subscription = s;
        if (declared > max) {
            s.cancel();
            result.completeExceptionally(new IOException("response larger than " + max + " bytes"));
            return;
        }
        s.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(List<ByteBuffer> buffers) {
        if (result.isDone()) {
            return;
        }
        for (ByteBuffer b : buffers) {
            if (out.size() + b.remaining() > max) {
                subscription.cancel();
                result.completeExceptionally(new IOException("response larger than " + max + " bytes"));
                return;
            }
            byte[] chunk = new byte[b.remaining()];
            b.get(chunk);
            out.write(chunk, 0, chunk.length);
        }
    }

    @Override
    public void onError(Throwable t) {
        result.completeExceptionally(t);
    }

    @Override
    public void onComplete() {
        result.complete(out.toByteArray());
    }
}
