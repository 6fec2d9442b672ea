package io.gatehouse.x509;

import io.gatehouse.core.RejectionReason;

/**
 * Why a presented chain was refused: the reason and Go's error text (without the certificate identifier
 * that the authenticator puts in front). Carries no stack trace: it is an expected outcome, not a bug.
 */
final class VerifyException extends Exception {

    private static final long serialVersionUID = 1L;

    private final transient RejectionReason reason;

    VerifyException(RejectionReason reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    RejectionReason reason() {
        return reason;
    }
}
