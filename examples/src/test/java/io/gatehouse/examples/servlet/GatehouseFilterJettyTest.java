package io.gatehouse.examples.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gatehouse.core.AuthenticationChain;
import io.gatehouse.core.UserInfo;
import io.gatehouse.core.testing.LogCapture;
import io.gatehouse.statictoken.StaticTokenAuthenticator;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The servlet filter sample inside a real embedded Jetty 12. */
class GatehouseFilterJettyTest {

    static final String TOKEN = LogCapture.secret("jetty-token-6f1c2e");
    static Server jetty;
    static AuthenticationChain chain;
    static String base;
    static final HttpClient client = HttpClient.newHttpClient();

    /** What an application behind the filter sees. */
    public static final class WhoAmI extends HttpServlet {
        @Override
        protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            resp.setContentType("text/plain");
            resp.getWriter().print(req.getRemoteUser() + " admin=" + req.isUserInRole("admins")
                    + " authorization=" + req.getHeader("Authorization")
                    + (req.getHeader("X-Test") == null ? "" : " x-remote-user=" + req.getHeader("X-Remote-User")
                    + " names=" + java.util.Collections.list(req.getHeaderNames()).stream()
                            .filter(n -> n.toLowerCase(java.util.Locale.ROOT).startsWith("x-remote")).toList())
                    + " attribute=" + ((UserInfo) req.getAttribute(GatehouseFilter.USER_ATTRIBUTE)).uid());
        }
    }

    @BeforeAll
    static void start() throws Exception {
        chain = AuthenticationChain.builder()
                .addToken("static-token", StaticTokenAuthenticator.builder()
                        .token(TOKEN, new UserInfo("alice", "42", List.of("admins"), Map.of())).build())
                .build();
        jetty = new Server();
        ServerConnector http = new ServerConnector(jetty);
        http.setHost("127.0.0.1");
        http.setPort(0);
        jetty.addConnector(http);
        ServletContextHandler context = new ServletContextHandler();
        context.addFilter(new FilterHolder(new GatehouseFilter(chain)), "/*", EnumSet.of(DispatcherType.REQUEST));
        context.addServlet(new ServletHolder(new WhoAmI()), "/whoami");
        jetty.setHandler(context);
        jetty.start();
        base = "http://127.0.0.1:" + http.getLocalPort();
    }

    @AfterAll
    static void stop() throws Exception {
        jetty.stop();
        chain.close();
    }

    private static HttpResponse<String> get(String authorization) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + "/whoami"));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void anAuthenticatedRequestReachesTheApplicationAsItsUser() throws Exception {
        HttpResponse<String> r = get("Bearer " + TOKEN);
        assertEquals(200, r.statusCode());
        assertEquals("alice admin=true authorization=null attribute=42", r.body());
    }

    @Test
    void forgedFrontProxyHeadersNeverReachTheApplication() throws Exception {
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(base + "/whoami"))
                .header("Authorization", "Bearer " + TOKEN).header("X-Test", "1").header("X-Remote-User", "admin")
                .header("x-remote-extra-scopes", "all").header("X-Remote-Group", "system:masters").build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode());
        assertEquals("alice admin=true authorization=null x-remote-user=null names=[] attribute=42", r.body());
    }

    @Test
    void anythingElseIsABare401() throws Exception {
        for (String auth : new String[] {null, "Bearer nope", "Bearer  " + TOKEN}) {
            HttpResponse<String> r = get(auth);
            assertEquals(401, r.statusCode(), String.valueOf(auth));
            assertTrue(r.body().contains("\"message\":\"Unauthorized\""), r.body());
            assertFalse(r.body().contains("invalid bearer token"));
        }
        assertTrue(get("Bearer  " + TOKEN).headers().firstValue("Warning").orElse("").contains("extra space"));
    }
}
