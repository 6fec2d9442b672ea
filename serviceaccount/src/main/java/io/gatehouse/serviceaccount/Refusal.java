package io.gatehouse.serviceaccount;

import io.gatehouse.core.AuthenticationResult.Rejected;
import io.gatehouse.core.RejectionReason;

/**
 * Why a validator refused a token: an expected outcome carried up to the authenticator, so it has no stack
 * trace. The message is Kubernetes' wording and never holds the token.
 */
final class Refusal extends Exception {

    private static final long serialVersionUID = 1L;

    private final RejectionReason reason;

    Refusal(RejectionReason reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    Rejected toRejected() {
        return Rejected.of(reason, getMessage());
    }
}
