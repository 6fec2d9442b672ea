package io.gatehouse.oidc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.util.JSONObjectUtils;
import io.gatehouse.core.AuthenticationResult;
import io.gatehouse.core.AuthenticationResult.Authenticated;
import io.gatehouse.core.AuthenticationResult.Rejected;
import io.gatehouse.core.RejectionReason;
import io.gatehouse.core.testing.LogCapture;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.OAuth2Config;
import no.nav.security.mock.oauth2.http.MockWebServerWrapper;
import no.nav.security.mock.oauth2.http.Ssl;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A real OpenID provider: NAV's mock-oauth2-server over HTTPS on 127.0.0.1 issues tokens through its token
 * endpoint; the authenticator discovers it, fetches its JWKS and verifies them.
 */
class MockOAuth2ServerTest {

    static MockOAuth2Server server;
    static Ssl ssl;
    static String caPem;
    static SSLContext clientTls;

    @BeforeAll
    static void start() throws Exception {
        server = new MockOAuth2Server(OAuth2Config.Companion.fromJson(
                "{\"interactiveLogin\":false,\"httpServer\":{\"type\":\"MockWebServerWrapper\",\"ssl\":{}}}"));
        server.start(InetAddress.getLoopbackAddress(), 0);
        ssl = ((MockWebServerWrapper) server.getConfig().getHttpServer()).getSsl();
        KeyStore serverStore = ssl.getSslKeystore().getKeyStore();
        Certificate cert = null;
        for (String alias : Collections.list(serverStore.aliases())) {
            cert = serverStore.getCertificate(alias);
        }
        caPem = "-----BEGIN CERTIFICATE-----\n" + Base64.getMimeEncoder().encodeToString(cert.getEncoded())
                + "\n-----END CERTIFICATE-----\n";
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("mock", cert);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        clientTls = SSLContext.getInstance("TLS");
        clientTls.init(null, tmf.getTrustManagers(), null);
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.shutdown();
        }
    }

    /** A client-credentials token from the token endpoint. */
    static String tokenFromEndpoint(String issuerId, String scope) throws Exception {
        HttpClient client = HttpClient.newBuilder().sslContext(clientTls).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create(server.tokenEndpointUrl(issuerId).toString()))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&client_id=my-client"
                        + "&client_secret=test-only-secret&scope=" + scope))
                .timeout(Duration.ofSeconds(10)).build();
        HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), "token endpoint status");
        return LogCapture.secret((String) JSONObjectUtils.parse(response.body()).get("access_token"));
    }

    @Test
    void verifiesTokensIssuedByARealProvider() throws Exception {
        String issuer = server.issuerUrl("default").toString();
        try (OidcAuthenticator auth = OidcAuthenticator.builder()
                .issuer(JwtIssuer.builder(issuer).audiences("api").username("sub", "mock:").certificateAuthority(caPem).build())
                .retryBackoff(Duration.ofMillis(20), Duration.ofMillis(200)).build()) {
            JwksFetchTest.await(() -> auth.health().get(0).isHealthy(), "discovery and JWKS from mock-oauth2-server");
            AuthenticationResult r = auth.authenticate(tokenFromEndpoint("default", "api"), List.of());
            Authenticated a = assertInstanceOf(Authenticated.class, r, r.toString());
            assertEquals("mock:my-client", a.user().name());
            assertTrue(a.expiresAt() != null);

            Rejected wrongAudience = assertInstanceOf(Rejected.class, auth.authenticate(tokenFromEndpoint("default", "other"), List.of()));
            assertEquals(RejectionReason.WRONG_AUDIENCE, wrongAudience.reason());
            assertInstanceOf(AuthenticationResult.Abstained.class, auth.authenticate(tokenFromEndpoint("elsewhere", "api"), List.of()),
                    "a token of another issuer on the same server abstains");
        }
    }
}
