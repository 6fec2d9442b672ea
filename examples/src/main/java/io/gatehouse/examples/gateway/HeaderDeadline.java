package io.gatehouse.examples.gateway;

import java.net.SocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.ssl.SslConnection;
import org.eclipse.jetty.server.Request;

/**
 * Go's {@code ReadHeaderTimeout} for the first request of a connection: a connection that has not delivered a complete
 * request header within the limit after it was accepted (TLS handshake included) is closed. Jetty already keeps slow
 * clients off threads; this keeps them from holding connections open by trickling a header byte by byte (idle
 * timeouts alone never fire on a client that sends one byte a minute). Later requests on a kept-alive connection are
 * bounded by the idle timeout.
 */
final class HeaderDeadline implements Connection.Listener, AutoCloseable {

    private final Duration limit;
    private final ScheduledThreadPoolExecutor timer;
    private final Map<SocketAddress, ScheduledFuture<?>> pending = new ConcurrentHashMap<>();
    private final AtomicLong closed = new AtomicLong();

    HeaderDeadline(Duration limit) {
        this.limit = limit;
        this.timer = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "gateway-header-deadline");
            t.setDaemon(true);
            return t;
        });
        this.timer.setRemoveOnCancelPolicy(true);
    }

    @Override
    public void onOpened(Connection connection) {
        // The TLS connection is the first on every accepted socket; the HTTP connections above it share its address.
        if (!(connection instanceof SslConnection)) {
            return;
        }
        SocketAddress remote = connection.getEndPoint().getRemoteSocketAddress();
        if (remote == null) {
            return;
        }
        pending.put(remote, timer.schedule(() -> {
            if (pending.remove(remote) != null) {
                closed.incrementAndGet();
                connection.getEndPoint().close();
            }
        }, limit.toMillis(), TimeUnit.MILLISECONDS));
    }

    @Override
    public void onClosed(Connection connection) {
        if (connection instanceof SslConnection) {
            SocketAddress remote = connection.getEndPoint().getRemoteSocketAddress();
            ScheduledFuture<?> f = remote == null ? null : pending.remove(remote);
            if (f != null) {
                f.cancel(false);
            }
        }
    }

    /** A request reached the handler: its connection delivered a whole header in time. */
    void requestSeen(Request request) {
        SocketAddress remote = request.getConnectionMetaData().getRemoteSocketAddress();
        ScheduledFuture<?> f = remote == null ? null : pending.remove(remote);
        if (f != null) {
            f.cancel(false);
        }
    }

    /** Connections closed for a late header so far. */
    long closedForLateHeader() {
        return closed.get();
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
