package io.gatehouse.core;

/**
 * Why a credential of an authenticator's kind was refused. Machine-readable, for metrics and alerts; the
 * human-readable detail is {@link AuthenticationResult.Rejected#message()}.
 */
public enum RejectionReason {
    /** The credential's lifetime has ended. */
    EXPIRED,
    /** The credential is not valid yet. */
    NOT_YET_VALID,
    /** A signature did not verify. */
    BAD_SIGNATURE,
    /** No known key matches the credential. */
    UNKNOWN_KEY,
    /** The credential's signing algorithm is not allowed for the key or issuer. */
    DISALLOWED_ALGORITHM,
    /** The credential was issued for other audiences. */
    WRONG_AUDIENCE,
    /** The credential names an issuer this authenticator does not trust. */
    WRONG_ISSUER,
    /** Claims are missing, mistyped or fail a validation rule. */
    INVALID_CLAIMS,
    /** A certificate chain does not lead to a trusted anchor or fails path validation. */
    UNTRUSTED_CERTIFICATE,
    /** A certificate or token was revoked. */
    REVOKED,
    /** The credential is syntactically broken. */
    MALFORMED,
    /** The secret does not match, or the credential may not be used for authentication. */
    INVALID_CREDENTIAL,
    /** An object the credential is bound to (secret, pod, node, service account) is gone or replaced. */
    NOT_FOUND,
    /** A bearer token was presented and no authenticator recognised it ({@code invalid bearer token}). */
    UNRECOGNIZED_TOKEN,
    /** The authenticator has not finished initialising (for example, keys not fetched yet). */
    NOT_INITIALIZED,
    /** Verification could not be completed (a dependency failed, a verifier crashed). */
    INTERNAL_ERROR
}
