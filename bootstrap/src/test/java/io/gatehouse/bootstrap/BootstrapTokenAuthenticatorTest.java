package io.gatehouse.bootstrap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gatehouse.core.AuthenticationResult;
import io.gatehouse.core.AuthenticationResult.Abstained;
import io.gatehouse.core.AuthenticationResult.Authenticated;
import io.gatehouse.core.AuthenticationResult.Rejected;
import io.gatehouse.core.RejectionReason;
import io.gatehouse.core.testing.LogCapture;
import io.gatehouse.core.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Kubernetes' {@code TestTokenAuthenticator} (plugin/pkg/auth/authenticator/token/bootstrap/bootstrap_test.go), row
 * by row, then the checks it does not cover, each with its reason and Kubernetes' message.
 */
class BootstrapTokenAuthenticatorTest {

    // Kubernetes' fake values for testing.
    static final String TOKEN_ID = "foobar";
    static final String TOKEN_SECRET = LogCapture.secret("circumnavigation");
    static final String TOKEN = LogCapture.secret(TOKEN_ID + "." + TOKEN_SECRET);
    static final String NAME = "bootstrap-token-" + TOKEN_ID;
    static final String PREFIX = "Bootstrap secret kube-system/" + NAME + " matching bearer token ";

    private final MutableClock clock = MutableClock.atDefaultStart();

    static Map<String, String> validData() {
        Map<String, String> data = new TreeMap<>();
        data.put("token-id", TOKEN_ID);
        data.put("token-secret", TOKEN_SECRET);
        data.put("usage-bootstrap-authentication", "true");
        return data;
    }

    static BootstrapTokenSecret secret(String name, Map<String, String> data) {
        return new BootstrapTokenSecret("kube-system", name, "bootstrap.kubernetes.io/token", data, false);
    }

    static Map<String, String> with(String key, String value) {
        Map<String, String> data = validData();
        if (value == null) {
            data.remove(key);
        } else {
            data.put(key, value);
        }
        return data;
    }

    /** Expected: a user with these groups, or a rejection with this reason and message, or (both null) abstain. */
    record Expect(List<String> groups, RejectionReason reason, String message) {
        static Expect user(String... groups) {
            return new Expect(List.of(groups), null, null);
        }

        static Expect rejected(RejectionReason reason, String message) {
            return new Expect(null, reason, message);
        }

        static Expect abstain() {
            return new Expect(null, null, null);
        }
    }

    static Stream<Arguments> kubernetesTestTokenAuthenticator() {
        return Stream.of(
                Arguments.of("valid token", secret(NAME, validData()), TOKEN,
                        Expect.user("system:bootstrappers")),
                Arguments.of("valid token with extra group",
                        secret(NAME, with("auth-extra-groups", "system:bootstrappers:foo")), TOKEN,
                        Expect.user("system:bootstrappers", "system:bootstrappers:foo")),
                Arguments.of("invalid group", secret(NAME, with("auth-extra-groups", "foo")), TOKEN,
                        Expect.rejected(RejectionReason.INVALID_CLAIMS, PREFIX + "has invalid value for key "
                                + "auth-extra-groups: bootstrap group \"foo\" is invalid (must match "
                                + "\\Asystem:bootstrappers:[a-z0-9:-]{0,255}[a-z0-9]\\z).")),
                Arguments.of("invalid secret name", secret("bad-name", validData()), TOKEN,
                        Expect.rejected(RejectionReason.NOT_FOUND,
                                "No secret of name bootstrap-token-foobar to match bootstrap bearer token")),
                Arguments.of("no usage", secret(NAME, with("usage-bootstrap-authentication", null)), TOKEN,
                        Expect.rejected(RejectionReason.INVALID_CREDENTIAL,
                                PREFIX + "not marked usage-bootstrap-authentication=true.")),
                Arguments.of("wrong token", secret(NAME, validData()), LogCapture.secret("barfoo." + TOKEN_SECRET),
                        Expect.rejected(RejectionReason.NOT_FOUND,
                                "No secret of name bootstrap-token-barfoo to match bootstrap bearer token")),
                Arguments.of("deleted token", secret(NAME, validData()).withDeleted(true), TOKEN,
                        Expect.rejected(RejectionReason.NOT_FOUND, PREFIX + "is deleted and awaiting removal")),
                Arguments.of("expired token", secret(NAME, with("expiration", "2009-11-10T23:00:00Z")), TOKEN,
                        Expect.rejected(RejectionReason.EXPIRED, "Expired bootstrap token in kube-system/" + NAME
                                + " Secret: 2009-11-10T23:00:00Z")),
                Arguments.of("not expired token", secret(NAME, with("expiration", "2109-11-10T23:00:00Z")), TOKEN,
                        Expect.user("system:bootstrappers")),
                Arguments.of("token id wrong length",
                        new BootstrapTokenSecret("kube-system", "bootstrap-token-foo", "bootstrap.kubernetes.io/token",
                                with("token-id", "foo"), false),
                        LogCapture.secret("foo." + TOKEN_SECRET), Expect.abstain()));
    }

    static Stream<Arguments> furtherChecks() {
        return Stream.of(
                Arguments.of("wrong secret", secret(NAME, validData()), LogCapture.secret("foobar.circumnavigatiox"),
                        Expect.rejected(RejectionReason.INVALID_CREDENTIAL,
                                PREFIX + "has invalid value for key token-secret.")),
                Arguments.of("upper-case secret is not a bootstrap token", secret(NAME, validData()),
                        LogCapture.secret("foobar.CIRCUMNAVIGATION"), Expect.abstain()),
                Arguments.of("secret mismatch", secret(NAME, with("token-secret", "aaaaaaaaaaaaaaaa")), TOKEN,
                        Expect.rejected(RejectionReason.INVALID_CREDENTIAL,
                                PREFIX + "has invalid value for key token-secret.")),
                Arguments.of("secret of another length", secret(NAME, with("token-secret", TOKEN_SECRET + "x")), TOKEN,
                        Expect.rejected(RejectionReason.INVALID_CREDENTIAL,
                                PREFIX + "has invalid value for key token-secret.")),
                Arguments.of("no token-secret", secret(NAME, with("token-secret", null)), TOKEN,
                        Expect.rejected(RejectionReason.INVALID_CREDENTIAL,
                                PREFIX + "has invalid value for key token-secret.")),
                Arguments.of("token-id mismatch", secret(NAME, with("token-id", "barfoo")), TOKEN,
                        Expect.rejected(RejectionReason.INVALID_CREDENTIAL,
                                PREFIX + "has invalid value for key token-id, expected foobar.")),
                Arguments.of("wrong type", secret(NAME, validData()).withType("Opaque"), TOKEN,
                        Expect.rejected(RejectionReason.INVALID_CREDENTIAL,
                                PREFIX + "has invalid type, expected bootstrap.kubernetes.io/token.")),
                Arguments.of("no data", new BootstrapTokenSecret("kube-system", NAME, "bootstrap.kubernetes.io/token",
                                null, false), TOKEN,
                        Expect.rejected(RejectionReason.INVALID_CREDENTIAL,
                                PREFIX + "has invalid type, expected bootstrap.kubernetes.io/token.")),
                Arguments.of("empty data", secret(NAME, Map.of()), TOKEN,
                        Expect.rejected(RejectionReason.INVALID_CREDENTIAL,
                                PREFIX + "has invalid value for key token-secret.")),
                Arguments.of("unparseable expiration", secret(NAME, with("expiration", "tomorrow")), TOKEN,
                        Expect.rejected(RejectionReason.EXPIRED, "Unparseable expiration time (tomorrow) in kube-system/"
                                + NAME + " Secret: parsing time \"tomorrow\" as \"2006-01-02T15:04:05Z07:00\": "
                                + "cannot parse. Treating as expired.")),
                Arguments.of("expiration without seconds is unparseable",
                        secret(NAME, with("expiration", "2109-11-10T23:00Z")), TOKEN,
                        Expect.rejected(RejectionReason.EXPIRED, "Unparseable expiration time (2109-11-10T23:00Z) in "
                                + "kube-system/" + NAME + " Secret: parsing time \"2109-11-10T23:00Z\" as "
                                + "\"2006-01-02T15:04:05Z07:00\": cannot parse. Treating as expired.")),
                Arguments.of("empty expiration never expires", secret(NAME, with("expiration", "")), TOKEN,
                        Expect.user("system:bootstrappers")),
                Arguments.of("usage TRUE is not true", secret(NAME, with("usage-bootstrap-authentication", "TRUE")),
                        TOKEN, Expect.rejected(RejectionReason.INVALID_CREDENTIAL,
                                PREFIX + "not marked usage-bootstrap-authentication=true.")),
                Arguments.of("signing usage alone does not authenticate",
                        secret(NAME, with("usage-bootstrap-authentication", null))
                                .withData("usage-bootstrap-signing", "true"), TOKEN,
                        Expect.rejected(RejectionReason.INVALID_CREDENTIAL,
                                PREFIX + "not marked usage-bootstrap-authentication=true.")),
                Arguments.of("groups sorted and de-duplicated", secret(NAME, with("auth-extra-groups",
                                "system:bootstrappers:foo,system:bootstrappers:bar,system:bootstrappers:bar")), TOKEN,
                        Expect.user("system:bootstrappers", "system:bootstrappers:bar", "system:bootstrappers:foo")),
                Arguments.of("default group listed again", secret(NAME, with("auth-extra-groups",
                                "system:bootstrappers:x,system:bootstrappers")), TOKEN,
                        Expect.rejected(RejectionReason.INVALID_CLAIMS, PREFIX + "has invalid value for key "
                                + "auth-extra-groups: bootstrap group \"system:bootstrappers\" is invalid (must match "
                                + "\\Asystem:bootstrappers:[a-z0-9:-]{0,255}[a-z0-9]\\z).")),
                Arguments.of("group entries are not trimmed", secret(NAME, with("auth-extra-groups",
                                "system:bootstrappers:a, system:bootstrappers:b")), TOKEN,
                        Expect.rejected(RejectionReason.INVALID_CLAIMS, PREFIX + "has invalid value for key "
                                + "auth-extra-groups: bootstrap group \" system:bootstrappers:b\" is invalid (must match "
                                + "\\Asystem:bootstrappers:[a-z0-9:-]{0,255}[a-z0-9]\\z).")),
                Arguments.of("trailing comma is an empty group", secret(NAME, with("auth-extra-groups",
                                "system:bootstrappers:a,")), TOKEN,
                        Expect.rejected(RejectionReason.INVALID_CLAIMS, PREFIX + "has invalid value for key "
                                + "auth-extra-groups: bootstrap group \"\" is invalid (must match "
                                + "\\Asystem:bootstrappers:[a-z0-9:-]{0,255}[a-z0-9]\\z).")),
                // Order: deletion is checked before the type, the secret before the id, the id before expiry, expiry
                // before usage, usage before groups.
                Arguments.of("deleted beats wrong type", secret(NAME, validData()).withType("Opaque").withDeleted(true),
                        TOKEN, Expect.rejected(RejectionReason.NOT_FOUND, PREFIX + "is deleted and awaiting removal")),
                Arguments.of("wrong secret beats wrong id", secret(NAME, with("token-id", "x"))
                                .withData("token-secret", "bbbbbbbbbbbbbbbb"), TOKEN,
                        Expect.rejected(RejectionReason.INVALID_CREDENTIAL,
                                PREFIX + "has invalid value for key token-secret.")),
                Arguments.of("wrong id beats expired", secret(NAME, with("token-id", "x"))
                                .withData("expiration", "2009-11-10T23:00:00Z"), TOKEN,
                        Expect.rejected(RejectionReason.INVALID_CREDENTIAL,
                                PREFIX + "has invalid value for key token-id, expected foobar.")),
                Arguments.of("expired beats no usage", secret(NAME, with("usage-bootstrap-authentication", null))
                                .withData("expiration", "2009-11-10T23:00:00Z"), TOKEN,
                        Expect.rejected(RejectionReason.EXPIRED, "Expired bootstrap token in kube-system/" + NAME
                                + " Secret: 2009-11-10T23:00:00Z")),
                Arguments.of("no usage beats bad group", secret(NAME, with("usage-bootstrap-authentication", "false"))
                                .withData("auth-extra-groups", "foo"), TOKEN,
                        Expect.rejected(RejectionReason.INVALID_CREDENTIAL,
                                PREFIX + "not marked usage-bootstrap-authentication=true.")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource({"kubernetesTestTokenAuthenticator", "furtherChecks"})
    void judgesLikeKubernetes(String name, BootstrapTokenSecret stored, String token, Expect expect) {
        BootstrapTokenAuthenticator authenticator = BootstrapTokenAuthenticator.builder()
                .store(new InMemoryBootstrapTokenStore().put(stored)).clock(clock).build();
        AuthenticationResult result = authenticator.authenticate(token, List.of());
        if (expect.groups() != null) {
            Authenticated ok = assertInstanceOf(Authenticated.class, result, name);
            assertEquals("system:bootstrap:foobar", ok.user().name());
            assertEquals("", ok.user().uid());
            assertEquals(expect.groups(), ok.user().groups());
            assertTrue(ok.user().extra().isEmpty());
            assertTrue(ok.audiences().isEmpty());
        } else if (expect.reason() != null) {
            Rejected rejected = assertInstanceOf(Rejected.class, result, name);
            assertEquals(expect.reason(), rejected.reason(), name);
            assertEquals(expect.message(), rejected.message(), name);
            assertFalse(rejected.message().contains(TOKEN_SECRET), "the message must not quote the secret");
        } else {
            assertSame(Abstained.instance(), result, name);
        }
    }

    @Test
    void expiresExactlyAtTheExpirationInstant() {
        Instant expiry = Instant.parse("2026-01-01T01:00:00Z");
        BootstrapTokenAuthenticator authenticator = BootstrapTokenAuthenticator.builder()
                .store(new InMemoryBootstrapTokenStore().put(secret(NAME, with("expiration", "2026-01-01T02:00:00+01:00"))))
                .clock(clock).build();
        clock.set(expiry.minusNanos(1));
        Authenticated ok = assertInstanceOf(Authenticated.class, authenticator.authenticate(TOKEN, List.of()));
        assertEquals(expiry, ok.expiresAt(), "caches must not keep the verdict beyond the token's life");
        clock.set(expiry);
        assertEquals(RejectionReason.EXPIRED, ((Rejected) authenticator.authenticate(TOKEN, List.of())).reason());
    }

    @Test
    void noExpirationMeansNoExpiry() {
        BootstrapTokenAuthenticator authenticator = BootstrapTokenAuthenticator.builder()
                .store(new InMemoryBootstrapTokenStore().put(secret(NAME, validData()))).clock(clock).build();
        clock.advance(Duration.ofDays(365 * 100));
        assertNull(((Authenticated) authenticator.authenticate(TOKEN, List.of())).expiresAt());
    }

    @Test
    void audiencesAreIgnoredAndTheAuthenticatorIsAudienceAgnostic() {
        BootstrapTokenAuthenticator authenticator = BootstrapTokenAuthenticator.builder()
                .store(new InMemoryBootstrapTokenStore().put(secret(NAME, validData()))).clock(clock).build();
        assertFalse(authenticator.isAudienceAware());
        Authenticated ok = (Authenticated) authenticator.authenticate(TOKEN, List.of("https://kubernetes.default.svc"));
        assertTrue(ok.audiences().isEmpty(), "the chain, not the authenticator, scopes audiences");
    }

    @Test
    void aFailingStoreRejectsWithInternalErrorAndNeverThrows() {
        BootstrapTokenAuthenticator authenticator = BootstrapTokenAuthenticator.builder()
                .store(name -> {
                    throw new IllegalStateException("informer not synced");
                }).build();
        Rejected rejected = (Rejected) authenticator.authenticate(TOKEN, List.of());
        assertEquals(RejectionReason.INTERNAL_ERROR, rejected.reason());
        assertEquals("looking up bootstrap token Secret kube-system/bootstrap-token-foobar failed: "
                + "IllegalStateException: informer not synced", rejected.message());
    }

    @Test
    void aStoreAnsweringNullCountsAsNotFound() {
        BootstrapTokenAuthenticator authenticator = BootstrapTokenAuthenticator.builder().store(name -> null).build();
        assertEquals(RejectionReason.NOT_FOUND, ((Rejected) authenticator.authenticate(TOKEN, List.of())).reason());
    }

    @Test
    void otherShapesAbstainWithoutAStoreLookup() {
        List<String> lookups = new ArrayList<>();
        BootstrapTokenAuthenticator authenticator = BootstrapTokenAuthenticator.builder().store(name -> {
            lookups.add(name);
            return Optional.empty();
        }).build();
        for (String token : List.of("", "foobar", "FOOBAR.circumnavigation", "foobar.circumnavigation\n",
                "foobar:circumnavigation", "eyJhbGciOiJSUzI1NiJ9.e30.sig", "foobar.circumnavigationx")) {
            assertSame(Abstained.instance(), authenticator.authenticate(token, List.of()), token);
        }
        assertTrue(lookups.isEmpty(), "abstaining needs no lookup: " + lookups);
    }

    @Test
    void closingTheAuthenticatorClosesAClosableStore() {
        AtomicBoolean closed = new AtomicBoolean();
        class ClosableStore implements BootstrapTokenStore, AutoCloseable {
            @Override
            public Optional<BootstrapTokenSecret> find(String name) {
                return Optional.empty();
            }

            @Override
            public void close() {
                closed.set(true);
            }
        }
        BootstrapTokenAuthenticator.builder().store(new ClosableStore()).build().close();
        assertTrue(closed.get());
    }

    @Test
    void builderRequiresAStore() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> BootstrapTokenAuthenticator.builder().build());
        assertTrue(e.getMessage().startsWith("store is required"), e.getMessage());
        assertThrows(NullPointerException.class, () -> BootstrapTokenAuthenticator.builder().store(null));
        assertThrows(NullPointerException.class, () -> BootstrapTokenAuthenticator.builder().clock(null));
    }

    @Test
    void secretsNeverReachToStringOrLogs() {
        BootstrapTokenSecret s = secret(NAME, validData());
        assertFalse(s.toString().contains(TOKEN_SECRET), s.toString());
        assertTrue(s.toString().contains("token-secret"), "names the keys: " + s);
        int mark = LogCapture.mark();
        BootstrapTokenAuthenticator authenticator = BootstrapTokenAuthenticator.builder()
                .store(new InMemoryBootstrapTokenStore().put(secret(NAME, with("token-secret", "zzzzzzzzzzzzzzzz"))))
                .build();
        authenticator.authenticate(TOKEN, List.of());
        List<String> lines = LogCapture.linesSince(mark);
        assertTrue(lines.stream().anyMatch(l -> l.contains("bootstrap-token-foobar")), "logs name the token id: " + lines);
        assertTrue(lines.stream().noneMatch(l -> l.contains(TOKEN_SECRET) || l.contains("zzzzzzzzzzzzzzzz")), lines.toString());
    }

    @Test
    void inMemoryStoreOnlyHoldsKubeSystemSecrets() {
        InMemoryBootstrapTokenStore store = new InMemoryBootstrapTokenStore();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> store.put(
                new BootstrapTokenSecret("default", NAME, "bootstrap.kubernetes.io/token", validData(), false)));
        assertEquals("Secret default/bootstrap-token-foobar is not in kube-system, where bootstrap tokens are looked up",
                e.getMessage());
        store.put(secret(NAME, validData()));
        assertEquals(1, store.size());
        assertTrue(store.remove(NAME));
        assertFalse(store.remove(NAME));
        assertTrue(store.find(NAME).isEmpty());
    }
}
