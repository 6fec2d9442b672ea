package io.gatehouse.serviceaccount;

import java.time.LocalDate;
import java.util.Optional;

/**
 * Where the authenticator looks up the objects a token names, as kube-apiserver's service account token
 * getter does (Kubernetes' {@code --service-account-lookup}): the service account, and the secret, pod or
 * node a token is bound to. A token is accepted only while those objects exist, are not being deleted and
 * keep the UIDs the token recorded; a legacy token must also equal the token stored in its secret.
 *
 * <p>Two implementations ship: {@link #none()} (no object checks; the token's claims are trusted once the
 * signature verifies) and {@link InMemoryServiceAccountRegistry}. A Kubernetes-API-backed implementation
 * (an informer cache with a live GET fallback, as kube-apiserver has) fits the same shape.
 *
 * <p>Implementations are thread-safe and called on request threads, so they should answer from memory. They
 * may throw an unchecked exception when the backing store cannot answer; the authenticator turns that into
 * a rejection with reason {@code INTERNAL_ERROR} (fail closed), never into an acceptance. An
 * {@link ObjectLookupException}'s message is kept in the rejection, so it should say what could not be read.
 */
public interface ServiceAccountLookup {

    /**
     * No lookup: tokens are judged by signature, time and claims only. For bound tokens that is what a
     * server without an API has to do; for legacy tokens it is Kubernetes' {@code --service-account-lookup=false}.
     *
     * @return the lookup that finds nothing to check and lets every verified token through
     */
    static ServiceAccountLookup none() {
        return NoLookup.INSTANCE;
    }

    /**
     * The service account {@code namespace/name}, or empty when it does not exist.
     *
     * @param namespace the namespace the token names
     * @param name the service account's name
     * @return the record, or empty
     */
    Optional<ServiceAccountRecord> serviceAccount(String namespace, String name);

    /**
     * The secret {@code namespace/name}, or empty when it does not exist.
     *
     * @param namespace the namespace the token names
     * @param name the secret's name
     * @return the record, or empty
     */
    Optional<SecretRecord> secret(String namespace, String name);

    /**
     * The pod {@code namespace/name}, or empty when it does not exist.
     *
     * @param namespace the namespace the token names
     * @param name the pod's name
     * @return the record, or empty
     */
    Optional<PodRecord> pod(String namespace, String name);

    /**
     * The node {@code name}, or empty when it does not exist.
     *
     * @param name the node's name
     * @return the record, or empty
     */
    Optional<NodeRecord> node(String name);

    /**
     * A legacy token from secret {@code namespace/name} was used on {@code day} (UTC) and the secret's
     * {@link SecretRecord#LEGACY_TOKEN_LAST_USED_LABEL} holds neither that day nor the next. Kubernetes patches the
     * label here, at most about once a day; an implementation that cannot record it does nothing. Must not
     * throw (a failure is only worth a log line, as in Kubernetes).
     *
     * @param namespace the secret's namespace
     * @param name the secret's name
     * @param day the day of use, in UTC
     */
    default void legacyTokenUsed(String namespace, String name, LocalDate day) {
    }

    /** The "no lookup" marker; the authenticator recognises it and skips object checks entirely. */
    enum NoLookup implements ServiceAccountLookup {
        /** The only instance. */
        INSTANCE;

        @Override
        public Optional<ServiceAccountRecord> serviceAccount(String namespace, String name) {
            return Optional.empty();
        }

        @Override
        public Optional<SecretRecord> secret(String namespace, String name) {
            return Optional.empty();
        }

        @Override
        public Optional<PodRecord> pod(String namespace, String name) {
            return Optional.empty();
        }

        @Override
        public Optional<NodeRecord> node(String name) {
            return Optional.empty();
        }
    }
}
