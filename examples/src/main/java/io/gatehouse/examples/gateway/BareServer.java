package io.gatehouse.examples.gateway;

import io.gatehouse.x509.DeferringTrustManager;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import javax.net.ssl.SSLContext;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.Callback;

/**
 * The load script's baseline ({@code benchmarks/gateway-load.sh}): the gateway's own server and TLS connector with a
 * bare handler that answers every request with {@code /version}'s body and no authentication at all. What the gateway
 * adds on top of this — authentication, routing, audit, metrics — is what the script's ratio measures.
 *
 * <p>{@code java -cp gateway.jar io.gatehouse.examples.gateway.BareServer CERT KEY [PORT]}; prints the URL, serves until
 * killed. Not a server for anything else.
 */
public final class BareServer {

    private BareServer() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: BareServer SERVING_CERT SERVING_KEY [PORT]");
            System.exit(2);
        }
        List<X509Certificate> chain = Pem.readCertificates(Path.of(args[0]));
        PrivateKey key = Pem.readPrivateKey(Path.of(args[1]));
        int port = args.length > 2 ? Integer.parseInt(args[2]) : 0;
        // Client certificates requested and left unjudged, as the gateway's handshake does.
        SSLContext tls = ServingTls.context(chain, key, new DeferringTrustManager(List::of));
        ServingOptions serving = ServingOptions.defaults();
        Server server = GatewayServer.newServer(serving);
        ServerConnector connector = GatewayServer.newConnector(server, tls, serving, "127.0.0.1", port);
        server.addConnector(connector);
        byte[] body = WireJson.write(VersionEndpoint.version()).getBytes(StandardCharsets.UTF_8);
        // The gateway's handler shape: a (blocking) core handler inside the graceful-stop wrapper.
        server.setHandler(new GracefulHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                response.setStatus(200);
                response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
                response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
                response.write(true, ByteBuffer.wrap(body), callback);
                return true;
            }
        }));
        server.start();
        System.out.println("bare server on https://127.0.0.1:" + connector.getLocalPort());
        System.out.flush();
        new CountDownLatch(1).await();
    }
}
