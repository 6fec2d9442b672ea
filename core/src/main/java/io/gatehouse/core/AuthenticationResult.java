package io.gatehouse.core;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The verdict of an authenticator: exactly one of {@link Authenticated}, {@link Abstained} or
 * {@link Rejected}, as Kubernetes' {@code (response, ok, err)} convention.
 *
 * <p>Every outcome carries warnings that a server may surface to the client (as Kubernetes' HTTP
 * {@code Warning} headers). Results are immutable values and never contain a secret.
 */
public sealed interface AuthenticationResult {

    /**
     * Warnings for the client, for example an Authorization header with an extra space; never null.
     *
     * @return the warnings, unmodifiable
     */
    List<String> warnings();

    /**
     * Returns the same outcome with {@code extra} warnings appended.
     *
     * @param extra warnings to append, in order
     * @return the outcome with the warnings; this one when {@code extra} is empty
     */
    AuthenticationResult withWarnings(List<String> extra);

    /**
     * {@code true} for {@link Authenticated}.
     *
     * @return whether the credential was verified
     */
    default boolean isAuthenticated() {
        return this instanceof Authenticated;
    }

    /**
     * The credential was verified.
     *
     * @param user       who the caller is
     * @param audiences  the audiences the credential is valid for among those requested; empty when no
     *                   audiences were requested or the authenticator does not know
     * @param expiresAt  when the credential stops being valid, or null when it carries no expiry; caches never
     *                   keep the result beyond it
     * @param warnings   warnings for the client
     */
    record Authenticated(UserInfo user, List<String> audiences, Instant expiresAt, List<String> warnings)
            implements AuthenticationResult {

        /**
         * Checks and copies the components.
         *
         * @param user      who the caller is
         * @param audiences the audiences the credential is valid for among those requested
         * @param expiresAt when the credential stops being valid, or null
         * @param warnings  warnings for the client
         */
        public Authenticated {
            Objects.requireNonNull(user, "user");
            audiences = List.copyOf(audiences);
            warnings = List.copyOf(warnings);
        }

        /**
         * A verified user with no audiences, no known expiry and no warnings.
         *
         * @param user who the caller is
         * @return the verdict
         */
        public static Authenticated of(UserInfo user) {
            return new Authenticated(user, List.of(), null, List.of());
        }

        /**
         * A verified user whose credential expires at {@code expiresAt} (null: no expiry).
         *
         * @param user who the caller is
         * @param expiresAt when the credential expires, or null
         * @return the verdict
         */
        public static Authenticated of(UserInfo user, Instant expiresAt) {
            return new Authenticated(user, List.of(), expiresAt, List.of());
        }

        /**
         * Returns a copy with the given audiences.
         *
         * @param newAudiences the audiences the credential is valid for
         * @return the copy
         */
        public Authenticated withAudiences(List<String> newAudiences) {
            return new Authenticated(user, newAudiences, expiresAt, warnings);
        }

        /**
         * Returns a copy with the given user.
         *
         * @param newUser the user, e.g. with a group added
         * @return the copy
         */
        public Authenticated withUser(UserInfo newUser) {
            return new Authenticated(newUser, audiences, expiresAt, warnings);
        }

        @Override
        public Authenticated withWarnings(List<String> extra) {
            return extra.isEmpty() ? this : new Authenticated(user, audiences, expiresAt, concat(warnings, extra));
        }
    }

    /**
     * Not this authenticator's kind of credential, or no credential at all: the chain asks the next one.
     *
     * @param warnings warnings for the client
     */
    record Abstained(List<String> warnings) implements AuthenticationResult {

        private static final Abstained INSTANCE = new Abstained(List.of());

        /**
         * Copies the warnings.
         *
         * @param warnings warnings for the client
         */
        public Abstained {
            warnings = List.copyOf(warnings);
        }

        /**
         * The abstention without warnings.
         *
         * @return the shared instance
         */
        public static Abstained instance() {
            return INSTANCE;
        }

        @Override
        public Abstained withWarnings(List<String> extra) {
            return extra.isEmpty() ? this : new Abstained(concat(warnings, extra));
        }
    }

    /**
     * The credential is of this authenticator's kind but is not acceptable.
     *
     * @param reason   the machine-readable cause; for an aggregate, the first cause's reason
     * @param message  the detail for operators' logs, in Kubernetes' wording where Kubernetes has one; never
     *                 contains the credential. An aggregate reads as Kubernetes' does: {@code [e1, e2]}, with
     *                 duplicate messages removed
     * @param warnings warnings for the client
     * @param causes   the single rejections this one aggregates, in chain order; empty when it is itself a
     *                 single rejection
     */
    record Rejected(RejectionReason reason, String message, List<String> warnings, List<Rejected> causes)
            implements AuthenticationResult {

        /**
         * Checks and copies the components.
         *
         * @param reason   the machine-readable cause
         * @param message  the detail for operators' logs; never the credential
         * @param warnings warnings for the client
         * @param causes   the single rejections this one aggregates; empty for a single one
         */
        public Rejected {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(message, "message");
            warnings = List.copyOf(warnings);
            causes = List.copyOf(causes);
        }

        /**
         * A single rejection without warnings.
         *
         * @param reason the machine-readable cause
         * @param message the detail for operators' logs; never the credential
         * @return the rejection
         */
        public static Rejected of(RejectionReason reason, String message) {
            return new Rejected(reason, message, List.of(), List.of());
        }

        /**
         * Aggregates rejections as Kubernetes' {@code utilerrors.NewAggregate} does: nested aggregates are
         * flattened, one distinct message stands alone, several read {@code [e1, e2]}.
         *
         * @param rejections at least one rejection, in chain order
         *
         * @return the one rejection, or their aggregate
         * @throws IllegalArgumentException if {@code rejections} is empty
         */
        public static Rejected aggregate(List<Rejected> rejections) {
            if (rejections.isEmpty()) {
                throw new IllegalArgumentException("nothing to aggregate");
            }
            if (rejections.size() == 1) {
                return rejections.get(0);
            }
            List<Rejected> flat = new ArrayList<>();
            List<String> warnings = new ArrayList<>();
            for (Rejected r : rejections) {
                flat.addAll(r.singles());
                warnings.addAll(r.warnings());
            }
            java.util.LinkedHashSet<String> messages = new java.util.LinkedHashSet<>();
            for (Rejected r : flat) {
                messages.add(r.message());
            }
            String message = messages.size() == 1
                    ? messages.iterator().next()
                    : "[" + String.join(", ", messages) + "]";
            return new Rejected(flat.get(0).reason(), message, warnings, flat);
        }

        /**
         * This rejection as a list of single rejections: its causes, or itself.
         *
         * @return the single rejections, in chain order
         */
        public List<Rejected> singles() {
            return causes.isEmpty() ? List.of(this) : causes;
        }

        @Override
        public Rejected withWarnings(List<String> extra) {
            return extra.isEmpty() ? this : new Rejected(reason, message, concat(warnings, extra), causes);
        }
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a.size() + b.size());
        all.addAll(a);
        all.addAll(b);
        return all;
    }
}
