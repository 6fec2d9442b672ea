package io.gatehouse.bootstrap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gatehouse.core.testing.LogCapture;
import io.gatehouse.core.testing.MutableClock;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Token generation as {@code kubeadm token create} does it. */
class BootstrapTokenGeneratorTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00.750Z"));

    @Test
    void defaultsAreKubeadms() {
        GeneratedBootstrapToken t = BootstrapTokenGenerator.builder().clock(clock).build().generate();
        LogCapture.secret(t.token());
        assertTrue(BootstrapTokens.isValidToken(t.token()), "shape");
        assertEquals(t.token().substring(0, 6), t.id());
        Map<String, String> expected = new TreeMap<>();
        expected.put("token-id", t.id());
        expected.put("token-secret", t.token().substring(7));
        expected.put("expiration", "2026-01-02T00:00:00Z");
        expected.put("usage-bootstrap-authentication", "true");
        expected.put("usage-bootstrap-signing", "true");
        expected.put("auth-extra-groups", "system:bootstrappers:kubeadm:default-node-token");
        assertEquals(expected, t.secret().data());
        assertEquals("bootstrap-token-" + t.id(), t.secret().name());
        assertEquals("kube-system", t.secret().namespace());
        assertEquals("bootstrap.kubernetes.io/token", t.secret().type());
        assertEquals(Instant.parse("2026-01-02T00:00:00Z"), t.expiresAt().orElseThrow(), "whole seconds, as written");
    }

    @Test
    void ttlUsagesGroupsAndDescription() {
        GeneratedBootstrapToken t = BootstrapTokenGenerator.builder().clock(clock)
                .ttl(Duration.ZERO)
                .usages(Set.of(BootstrapTokenUsage.AUTHENTICATION))
                .extraGroups(List.of("system:bootstrappers:b", "system:bootstrappers:a", "system:bootstrappers:b"))
                .description("for node-7")
                .build().generate();
        LogCapture.secret(t.token());
        assertFalse(t.secret().data().containsKey("expiration"), "a zero TTL never expires");
        assertTrue(t.expiresAt().isEmpty());
        assertEquals("system:bootstrappers:b,system:bootstrappers:a", t.secret().get("auth-extra-groups"));
        assertEquals("for node-7", t.secret().get("description"));
        assertEquals("true", t.secret().get("usage-bootstrap-authentication"));
        assertFalse(t.secret().data().containsKey("usage-bootstrap-signing"));

        GeneratedBootstrapToken signing = BootstrapTokenGenerator.builder().clock(clock)
                .usages(Set.of(BootstrapTokenUsage.SIGNING)).extraGroups(List.of()).ttl(Duration.ofMinutes(90))
                .build().generate();
        assertEquals(Set.of("token-id", "token-secret", "expiration", "usage-bootstrap-signing"),
                signing.secret().data().keySet());
        assertEquals("2026-01-01T01:30:00Z", signing.secret().get("expiration"));
    }

    @Test
    void settingsAreCheckedWhenSet() {
        IllegalArgumentException group = assertThrows(IllegalArgumentException.class,
                () -> BootstrapTokenGenerator.builder().extraGroups(List.of("system:nodes")));
        assertEquals("extraGroups: bootstrap group \"system:nodes\" is invalid (must match "
                + "\\Asystem:bootstrappers:[a-z0-9:-]{0,255}[a-z0-9]\\z)", group.getMessage());
        IllegalArgumentException ttl = assertThrows(IllegalArgumentException.class,
                () -> BootstrapTokenGenerator.builder().ttl(Duration.ofSeconds(-1)));
        assertEquals("ttl must not be negative (zero means never expires): PT-1S", ttl.getMessage());
        IllegalArgumentException usage = assertThrows(IllegalArgumentException.class,
                () -> BootstrapTokenGenerator.builder().usages(EnumSet.of(BootstrapTokenUsage.SIGNING)).build());
        assertEquals("extraGroups: token groups cannot be specified unless usages include \"authentication\"",
                usage.getMessage());
        assertThrows(NullPointerException.class, () -> BootstrapTokenGenerator.builder().description(null));
        assertThrows(NullPointerException.class, () -> BootstrapTokenGenerator.builder().random(null));
    }

    @Test
    void drawsEveryCharacterFromTheGivenSecureRandomUniformly() {
        AtomicInteger draws = new AtomicInteger();
        SecureRandom counting = new SecureRandom() {
            private static final long serialVersionUID = 1L;

            @Override
            public int nextInt(int bound) {
                draws.incrementAndGet();
                return super.nextInt(bound);
            }
        };
        BootstrapTokenGenerator generator = BootstrapTokenGenerator.builder().random(counting).build();
        int tokens = 3000;
        Map<Character, Integer> counts = new TreeMap<>();
        for (int i = 0; i < tokens; i++) {
            String token = generator.generate().token();
            for (char c : token.toCharArray()) {
                if (c != '.') {
                    counts.merge(c, 1, Integer::sum);
                }
            }
        }
        assertEquals(tokens * 22, draws.get(), "one draw per character");
        assertEquals(36, counts.size(), "every character of [a-z0-9] appears: " + counts.keySet());
        double expected = tokens * 22 / 36.0;
        // Chi-square with 35 degrees of freedom: 80 is far beyond the 99.99th percentile (about 72).
        double chi = counts.values().stream().mapToDouble(n -> (n - expected) * (n - expected) / expected).sum();
        assertTrue(chi < 80, "characters are uniform: chi-square " + chi + " " + counts);
    }

    @Test
    void toStringNamesTheIdOnly() {
        GeneratedBootstrapToken t = BootstrapTokenGenerator.builder().clock(clock).build().generate();
        LogCapture.secret(t.token());
        String secret = t.token().substring(7);
        assertEquals("GeneratedBootstrapToken[id=" + t.id() + ", expiresAt=2026-01-02T00:00:00Z]", t.toString());
        assertFalse(t.secret().toString().contains(secret));
        assertFalse(BootstrapTokenGenerator.builder().build().toString().contains(secret));
    }
}
