package io.gatehouse.serviceaccount;

/**
 * Thrown by a {@link ServiceAccountLookup} that could not answer: its backing store (for example, a Kubernetes
 * API server) failed or could not be reached, so whether the object exists is unknown. The authenticator rejects
 * the token with reason {@code INTERNAL_ERROR} and this exception's message, so an operator sees why; a token
 * whose objects could not be checked is never accepted.
 *
 * <p>The message names the object and the failure and must never contain a token or other secret.
 */
public final class ObjectLookupException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * @param message what could not be read and why; never a secret
     * @param cause   the underlying failure, or null
     */
    public ObjectLookupException(String message, Throwable cause) {
        super(message, cause);
    }
}
