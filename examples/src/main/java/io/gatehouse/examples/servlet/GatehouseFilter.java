package io.gatehouse.examples.servlet;

import io.gatehouse.core.AuthenticationChain;
import io.gatehouse.core.AuthenticationRequest;
import io.gatehouse.core.AuthenticationResult;
import io.gatehouse.core.ConsumedHeaders;
import io.gatehouse.core.AuthenticationResult.Authenticated;
import io.gatehouse.core.AuthenticationResult.Rejected;
import io.gatehouse.core.UserInfo;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.security.cert.X509Certificate;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Jakarta Servlet filter that authenticates every request with a Gatehouse chain, as Kubernetes'
 * authentication filter does: an unauthenticated request gets a 401 {@code Status} saying only
 * "Unauthorized" (the reason goes to the log); an authenticated one continues with the user as
 * {@link HttpServletRequest#getUserPrincipal()}, its groups as roles, the {@link UserInfo} in the request
 * attribute {@value #USER_ATTRIBUTE}, and the headers authentication consumed removed
 * ({@link AuthenticationChain#consumedHeaders}: {@code Authorization}, the front-proxy {@code X-Remote-*} headers and
 * any custom request-header names, the WebSocket bearer-token subprotocol).
 *
 * <p>The TLS client chain comes from the container's {@code jakarta.servlet.request.X509Certificate}
 * attribute. Thread-safe; the filter does not own the chain and does not close it.
 */
public final class GatehouseFilter implements Filter {

    /** The request attribute holding the authenticated {@link UserInfo}. */
    public static final String USER_ATTRIBUTE = "io.gatehouse.user";

    private static final Logger LOG = LoggerFactory.getLogger(GatehouseFilter.class);
    private static final byte[] UNAUTHORIZED = ("{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},"
            + "\"status\":\"Failure\",\"message\":\"Unauthorized\",\"reason\":\"Unauthorized\",\"code\":401}")
            .getBytes(StandardCharsets.UTF_8);

    private final AuthenticationChain chain;

    /** A filter that judges requests with {@code chain}. */
    public GatehouseFilter(AuthenticationChain chain) {
        this.chain = Objects.requireNonNull(chain, "chain");
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain next) throws IOException, ServletException {
        HttpServletRequest http = (HttpServletRequest) req;
        AuthenticationRequest request = toRequest(http);
        AuthenticationResult verdict = chain.authenticate(request);
        HttpServletResponse response = (HttpServletResponse) res;
        for (String w : verdict.warnings()) {
            response.addHeader("Warning", "299 - \"" + w.replace("\"", "'") + "\"");
        }
        if (!(verdict instanceof Authenticated ok)) {
            if (verdict instanceof Rejected r) {
                LOG.info("Unable to authenticate the request: {} ({})", r.message(), r.reason());
            }
            response.setStatus(401);
            response.setContentType("application/json");
            response.setContentLength(UNAUTHORIZED.length);
            response.getOutputStream().write(UNAUTHORIZED);
            return;
        }
        http.setAttribute(USER_ATTRIBUTE, ok.user());
        next.doFilter(new AuthenticatedRequest(http, ok.user(), chain.consumedHeaders(request, verdict)), res);
    }

    private static AuthenticationRequest toRequest(HttpServletRequest http) {
        AuthenticationRequest.Builder b = AuthenticationRequest.builder();
        for (String name : Collections.list(http.getHeaderNames())) {
            for (String value : Collections.list(http.getHeaders(name))) {
                b.header(name, value);
            }
        }
        if (http.getAttribute("jakarta.servlet.request.X509Certificate") instanceof X509Certificate[] certs) {
            b.peerCertificates(List.of(certs));
        }
        return b.build();
    }

    /** The request as the application sees it: the user as principal, groups as roles, no consumed header. */
    private static final class AuthenticatedRequest extends HttpServletRequestWrapper {
        private final UserInfo user;
        private final ConsumedHeaders consumed;

        AuthenticatedRequest(HttpServletRequest request, UserInfo user, ConsumedHeaders consumed) {
            super(request);
            this.user = user;
            this.consumed = consumed;
        }

        @Override
        public String getRemoteUser() {
            return user.name();
        }

        @Override
        public Principal getUserPrincipal() {
            return user::name;
        }

        @Override
        public boolean isUserInRole(String role) {
            return user.groups().contains(role);
        }

        @Override
        public String getAuthType() {
            return "GATEHOUSE";
        }

        @Override
        public String getHeader(String name) {
            List<String> replaced = consumed.replacement(name);
            if (replaced != null) {
                return replaced.isEmpty() ? null : replaced.get(0);
            }
            return consumed.removes(name) ? null : super.getHeader(name);
        }

        @Override
        public Enumeration<String> getHeaders(String name) {
            List<String> replaced = consumed.replacement(name);
            if (replaced != null) {
                return Collections.enumeration(replaced);
            }
            return consumed.removes(name) ? Collections.emptyEnumeration() : super.getHeaders(name);
        }

        @Override
        public Enumeration<String> getHeaderNames() {
            List<String> names = Collections.list(super.getHeaderNames());
            names.removeIf(consumed::removes);
            return Collections.enumeration(names);
        }
    }
}
