package io.gatehouse.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.gatehouse.core.AuthenticationResult.Abstained;
import io.gatehouse.core.AuthenticationResult.Authenticated;
import io.gatehouse.core.AuthenticationResult.Rejected;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Kubernetes' bearertoken_test.go cases and the parser's invariants. */
class BearerTokenAuthenticatorTest {

    private final List<String> seen = new ArrayList<>();
    private final BearerTokenAuthenticator bearer = new BearerTokenAuthenticator((token, audiences) -> {
        seen.add(token);
        return token.equals("token") ? Authenticated.of(UserInfo.of("user", "")) : Abstained.instance();
    });

    private AuthenticationResult auth(String header) {
        return bearer.authenticate(AuthenticationRequest.builder().header("Authorization", header).build());
    }

    @Test
    void authenticatesTheToken() {
        assertInstanceOf(Authenticated.class, auth("Bearer token"));
        assertEquals(List.of("token"), seen);
    }

    @Test
    void schemeIsCaseInsensitive() {
        assertInstanceOf(Authenticated.class, auth("bearer token"));
        assertInstanceOf(Authenticated.class, auth("BEARER token"));
    }

    @Test
    void headerNameIsCaseInsensitive() {
        AuthenticationRequest r = AuthenticationRequest.builder().header("authorization", "Bearer token").build();
        assertInstanceOf(Authenticated.class, bearer.authenticate(r));
    }

    @Test
    void anythingAfterASecondSpaceIsIgnored() {
        assertInstanceOf(Authenticated.class, auth("Bearer token a b c"));
        assertEquals(List.of("token"), seen);
    }

    @Test
    void surroundingWhitespaceIsTrimmedAsGoDoes() {
        assertInstanceOf(Authenticated.class, auth("  \tBearer token\u00a0\u3000 "));
    }

    @Test
    void unknownTokenIsInvalidBearerToken() {
        Rejected r = assertInstanceOf(Rejected.class, auth("Bearer other"));
        assertEquals("invalid bearer token", r.message());
        assertEquals(RejectionReason.UNRECOGNIZED_TOKEN, r.reason());
    }

    @Test
    void rejectionFromTheTokenAuthenticatorPassesThrough() {
        BearerTokenAuthenticator b = new BearerTokenAuthenticator((t, a) -> Rejected.of(RejectionReason.EXPIRED, "token expired"));
        Rejected r = assertInstanceOf(Rejected.class, b.authenticate(AuthenticationRequest.bearer("x")));
        assertEquals("token expired", r.message());
    }

    @ParameterizedTest(name = "[{0}] abstains")
    @CsvSource(delimiter = '|', value = {
            "''", "'   '", "Bearer", "'Bearer '", "'Bearer    '", "Bearer: token", "Basic dXNlcjpwYXNz", "bear token",
            "BearerToken", "'Token token'"})
    void notABearerTokenAbstainsWithoutCallingTokenAuthenticators(String header) {
        AuthenticationResult r = auth(header);
        assertInstanceOf(Abstained.class, r);
        assertEquals(List.of(), seen);
    }

    @Test
    void extraSpaceBeforeTheTokenAbstainsWithAWarning() {
        AuthenticationResult r = auth("Bearer  token");
        assertInstanceOf(Abstained.class, r);
        assertEquals(List.of(BearerTokenAuthenticator.EXTRA_SPACE_WARNING), r.warnings());
        assertEquals(List.of(), seen);
    }

    @Test
    void noHeaderAbstains() {
        assertInstanceOf(Abstained.class, bearer.authenticate(AuthenticationRequest.builder().build()));
    }

    @Test
    void onlyTheFirstHeaderValueCounts() {
        AuthenticationRequest r = AuthenticationRequest.builder()
                .header("Authorization", "Basic x").header("Authorization", "Bearer token").build();
        assertInstanceOf(Abstained.class, bearer.authenticate(r));
    }

    @ParameterizedTest(name = "[{0}] -> [{1}]")
    @CsvSource(delimiter = '|', value = {
            "Bearer abc|abc",
            "bEaReR abc trailing|abc",
            "'  Bearer abc  '|abc",
            "Bearer  abc|",        // extra space: Kubernetes ignores the header
            "Basic abc|",
            "Bearer|",
            "|",
    })
    void requestsExposeTheTokenTheChainWouldJudge(String header, String expected) {
        AuthenticationRequest.Builder b = AuthenticationRequest.builder();
        if (header != null) {
            b.header("Authorization", header);
        }
        assertEquals(Optional.ofNullable(expected), b.build().bearerToken());
    }

    @Property(tries = 1000)
    void extractionNeverThrowsAndYieldsAToken(@ForAll("headers") String header) {
        String token = BearerTokenAuthenticator.extract(header);
        if (token != null && !token.isEmpty()) {
            // A token never holds the separator and always came from the header.
            assertEquals(-1, token.indexOf(' '));
            assertEquals(true, header.contains(token));
        }
    }

    @Property(tries = 300)
    void anyTokenWithoutSpacesRoundTrips(@ForAll("tokens") String token) {
        assertEquals(token, BearerTokenAuthenticator.extract("Bearer " + token));
        assertNull(BearerTokenAuthenticator.extract("Basic " + token));
    }

    @Provide
    Arbitrary<String> headers() {
        return Arbitraries.strings().withChars("Bbearer \t\u00a0\u2003:.-xyz").ofMaxLength(20);
    }

    @Provide
    Arbitrary<String> tokens() {
        return Arbitraries.strings().alpha().numeric().withChars("-._~+/=").ofMinLength(1).ofMaxLength(40);
    }
}
