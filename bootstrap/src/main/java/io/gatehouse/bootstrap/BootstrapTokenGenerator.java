package io.gatehouse.bootstrap;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * Makes bootstrap tokens as {@code kubeadm token create} does: a random id and secret over {@code [a-z0-9]} from a
 * {@link SecureRandom}, and the Secret that goes with them. kubeadm's defaults apply: a TTL of 24 hours, usages
 * {@code signing} and {@code authentication}, the extra group {@value #DEFAULT_NODE_GROUP}, no description.
 *
 * <pre>{@code
 * BootstrapTokenGenerator generator = BootstrapTokenGenerator.builder().ttl(Duration.ofHours(2)).build();
 * GeneratedBootstrapToken t = generator.generate();
 * directory.write(t.secret());   // then hand t.token() to the joining node
 * }</pre>
 *
 * <p>Thread-safe (a {@link SecureRandom} is). The settings are checked by the builder, naming the setting.
 */
public final class BootstrapTokenGenerator {

    /** kubeadm's default extra group, which its node-join RBAC rules bind to. */
    public static final String DEFAULT_NODE_GROUP = "system:bootstrappers:kubeadm:default-node-token";

    private final Clock clock;
    private final SecureRandom random;
    private final Duration ttl;
    private final Set<BootstrapTokenUsage> usages;
    private final List<String> extraGroups;
    private final String description;

    private BootstrapTokenGenerator(Builder b) {
        this.clock = b.clock;
        this.random = b.random;
        this.ttl = b.ttl;
        this.usages = Set.copyOf(b.usages);
        this.extraGroups = List.copyOf(b.extraGroups);
        this.description = b.description;
    }

    /**
     * A builder with kubeadm's defaults.
     *
     * @return a new builder: 24-hour TTL, both usages, the default node group, no description
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A new token and its Secret: {@code token-id}, {@code token-secret}, {@code expiration} (now plus the TTL, in
     * whole seconds, omitted for a zero TTL), {@code usage-bootstrap-<usage>=true} per usage,
     * {@code auth-extra-groups} (comma-joined, when any) and {@code description} (when not empty), as kubeadm's
     * {@code encodeTokenSecretData} writes them.
     *
     * @return a new token with fresh random id and secret, and its Secret; never null
     */
    public GeneratedBootstrapToken generate() {
        String id = randomString(BootstrapTokens.ID_LENGTH);
        String secret = randomString(BootstrapTokens.SECRET_LENGTH);
        Map<String, String> data = new TreeMap<>();
        data.put(BootstrapTokenSecret.TOKEN_ID, id);
        data.put(BootstrapTokenSecret.TOKEN_SECRET, secret);
        if (!description.isEmpty()) {
            data.put(BootstrapTokenSecret.DESCRIPTION, description);
        }
        Instant expiresAt = null;
        if (!ttl.isZero()) {
            // RFC 3339 as Go formats it has whole seconds, so the token lives until the truncated instant.
            expiresAt = clock.instant().plus(ttl).truncatedTo(ChronoUnit.SECONDS);
            data.put(BootstrapTokenSecret.EXPIRATION, GoTime.formatRfc3339(expiresAt));
        }
        for (BootstrapTokenUsage usage : usages) {
            data.put(usage.dataKey(), "true");
        }
        if (!extraGroups.isEmpty()) {
            data.put(BootstrapTokenSecret.AUTH_EXTRA_GROUPS, String.join(",", extraGroups));
        }
        return new GeneratedBootstrapToken(id + "." + secret, BootstrapTokenSecret.of(data), expiresAt);
    }

    /** kubeadm's {@code randBytes}: each character uniformly from the 36 of {@code [a-z0-9]}. */
    private String randomString(int length) {
        char[] chars = new char[length];
        for (int i = 0; i < length; i++) {
            chars[i] = BootstrapTokens.ALPHABET.charAt(random.nextInt(BootstrapTokens.ALPHABET.length()));
        }
        return new String(chars);
    }

    @Override
    public String toString() {
        return "BootstrapTokenGenerator[ttl=" + ttl + ", usages=" + usages + ", extraGroups=" + extraGroups + "]";
    }

    /** Configures a {@link BootstrapTokenGenerator}; starts with kubeadm's defaults. Not thread-safe. */
    public static final class Builder {

        private Clock clock = Clock.systemUTC();
        private SecureRandom random;
        private Duration ttl = Duration.ofHours(24);
        private Set<BootstrapTokenUsage> usages = EnumSet.allOf(BootstrapTokenUsage.class);
        private List<String> extraGroups = List.of(DEFAULT_NODE_GROUP);
        private String description = "";

        private Builder() {
        }

        /**
         * The clock expirations count from; the system UTC clock by default.
         *
         * @param clock the clock the expiration is computed from; not null
         * @return this builder
         * @throws NullPointerException if {@code clock} is null
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * The source of randomness; a new {@link SecureRandom} by default.
         *
         * @param random the random source for token ids and secrets; not null
         * @return this builder
         * @throws NullPointerException if {@code random} is null
         */
        public Builder random(SecureRandom random) {
            this.random = Objects.requireNonNull(random, "random");
            return this;
        }

        /**
         * How long a token lives; 24 hours by default, zero for never expiring (kubeadm's {@code --ttl 0}).
         *
         * @param ttl the token lifetime; not null nor negative, zero for never expiring
         * @return this builder
         * @throws IllegalArgumentException if {@code ttl} is negative
         */
        public Builder ttl(Duration ttl) {
            Objects.requireNonNull(ttl, "ttl");
            if (ttl.isNegative()) {
                throw new IllegalArgumentException("ttl must not be negative (zero means never expires): " + ttl);
            }
            this.ttl = ttl;
            return this;
        }

        /**
         * What the token may be used for; {@code signing} and {@code authentication} by default.
         *
         * @param usages the usages granted, copied; not null, may be empty
         * @return this builder
         * @throws NullPointerException if {@code usages} or an element is null
         */
        public Builder usages(Set<BootstrapTokenUsage> usages) {
            Set<BootstrapTokenUsage> copy = EnumSet.noneOf(BootstrapTokenUsage.class);
            for (BootstrapTokenUsage u : Objects.requireNonNull(usages, "usages")) {
                copy.add(Objects.requireNonNull(u, "usage"));
            }
            this.usages = copy;
            return this;
        }

        /**
         * The groups the token authenticates into besides {@code system:bootstrappers};
         * {@value BootstrapTokenGenerator#DEFAULT_NODE_GROUP} by default. Duplicates are dropped.
         *
         * @param groups the extra group names, copied in order without duplicates; not null
         * @return this builder
         * @throws NullPointerException     if {@code groups} or an element is null
         * @throws IllegalArgumentException if a group does not match
         *                                  {@code \Asystem:bootstrappers:[a-z0-9:-]{0,255}[a-z0-9]\z}, with
         *                                  Kubernetes' message
         */
        public Builder extraGroups(List<String> groups) {
            List<String> copy = new ArrayList<>(new LinkedHashSet<>(Objects.requireNonNull(groups, "groups")));
            for (String g : copy) {
                String error = BootstrapTokens.validateGroupName(Objects.requireNonNull(g, "group"));
                if (error != null) {
                    throw new IllegalArgumentException("extraGroups: " + error);
                }
            }
            this.extraGroups = copy;
            return this;
        }

        /**
         * A human-readable note stored with the token; none by default.
         *
         * @param description the note, stored when not empty; not null
         * @return this builder
         * @throws NullPointerException if {@code description} is null
         */
        public Builder description(String description) {
            this.description = Objects.requireNonNull(description, "description");
            return this;
        }

        /**
         * Builds the generator.
         *
         * @return a new generator, independent of this builder
         * @throws IllegalArgumentException if extra groups are set but the usages lack {@code authentication}
         *                                  (kubeadm: groups only make sense for authentication)
         */
        public BootstrapTokenGenerator build() {
            if (!extraGroups.isEmpty() && !usages.contains(BootstrapTokenUsage.AUTHENTICATION)) {
                throw new IllegalArgumentException("extraGroups: token groups cannot be specified unless usages "
                        + "include \"authentication\"");
            }
            if (random == null) {
                random = new SecureRandom();
            }
            return new BootstrapTokenGenerator(this);
        }
    }
}
