package io.gatehouse.serviceaccount;

import io.gatehouse.core.AuthenticationChain;
import io.gatehouse.core.AuthenticationRequest;
import io.gatehouse.core.AuthenticationResult;
import io.gatehouse.core.AuthenticationResult.Authenticated;
import io.gatehouse.core.testing.MutableClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The authenticator behind core's chain: bearer extraction, system:authenticated, audiences, token cache and expiry. */
class ChainIntegrationTest {

    @Test
    void issuedTokenAuthenticatesThroughTheChainUntilItExpires() {
        MutableClock clock = new MutableClock(Instant.ofEpochSecond(1_700_000_000L));
        String issuerUrl = "https://kubernetes.default.svc";
        ServiceAccountTokenIssuer issuer = ServiceAccountTokenIssuer.builder().signingKey(Fixtures.fresh("ec256"))
                .issuer(issuerUrl).clock(clock).build();
        ServiceAccountTokenAuthenticator sa = ServiceAccountTokenAuthenticator.builder()
                .keys(List.of(Fixtures.fresh("ec256").getPublic())).issuers(List.of(issuerUrl)).clock(clock).build();
        try (AuthenticationChain chain = AuthenticationChain.builder().addToken("service-account", sa)
                .apiAudiences(List.of(issuerUrl)).clock(clock).build()) {
            String token = issuer.issue(TokenRequest.forServiceAccount("ns", "sa", "u").withExpirationSeconds(600)).token();

            AuthenticationResult r = chain.authenticate(AuthenticationRequest.bearer(token));
            Authenticated ok = assertInstanceOf(Authenticated.class, r, r::toString);
            assertEquals("system:serviceaccount:ns:sa", ok.user().name());
            assertTrue(ok.user().groups().contains("system:authenticated"), ok.user().groups().toString());

            // Another audience than the token's: refused, even though the same token just passed.
            assertFalse(chain.authenticate(AuthenticationRequest.bearer(token).toBuilder().audiences(List.of("vault")).build())
                    .isAuthenticated());

            clock.advance(Duration.ofSeconds(600 + 61));
            assertFalse(chain.authenticate(AuthenticationRequest.bearer(token)).isAuthenticated(), "no cached verdict outlives exp");
        }
    }
}
