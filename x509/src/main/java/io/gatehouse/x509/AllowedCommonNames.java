package io.gatehouse.x509;

import io.gatehouse.core.AuthenticationResult;
import io.gatehouse.core.AuthenticationResult.Rejected;
import io.gatehouse.core.RejectionReason;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * Kubernetes' front-proxy {@code x509.NewVerifier} check as a decorator: only a verified client certificate
 * whose common name is in the allowed list reaches the wrapped conversion; any other is rejected with
 * Kubernetes' message. Thread-safe if the wrapped conversion is.
 */
final class AllowedCommonNames implements UserConversion {

    private final Set<String> allowed;
    private final UserConversion next;

    private AllowedCommonNames(Set<String> allowed, UserConversion next) {
        this.allowed = allowed;
        this.next = next;
    }

    /** {@code next} behind the allow-list; {@code next} itself when the list is empty (any name is allowed). */
    static UserConversion wrap(Collection<String> allowedCommonNames, UserConversion next) {
        return allowedCommonNames.isEmpty() ? next : new AllowedCommonNames(Set.copyOf(allowedCommonNames), next);
    }

    @Override
    public AuthenticationResult user(List<X509Certificate> chain) {
        Rejected refused = refusal(chain.get(0));
        return refused != null ? refused : next.user(chain);
    }

    @Override
    public AuthenticationResult user(List<X509Certificate> chain, byte[] leafDer, long notAfterMillis) {
        Rejected refused = refusal(chain.get(0));
        return refused != null ? refused : next.user(chain, leafDer, notAfterMillis);
    }

    private Rejected refusal(X509Certificate leaf) {
        String cn;
        try {
            cn = SubjectNames.of(leaf.getSubjectX500Principal()).commonName();
        } catch (IllegalArgumentException e) {
            return Rejected.of(RejectionReason.MALFORMED, e.getMessage());
        }
        if (!allowed.contains(cn)) {
            return Rejected.of(RejectionReason.INVALID_CREDENTIAL, "x509: subject with cn=" + cn + " is not in the allowed list");
        }
        return null;
    }
}
