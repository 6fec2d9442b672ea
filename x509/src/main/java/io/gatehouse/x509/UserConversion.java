package io.gatehouse.x509;

import io.gatehouse.core.AuthenticationResult;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * Turns a verified chain into a verdict (Kubernetes' {@code x509.UserConversion}): usually
 * {@link AuthenticationResult.Authenticated}; {@link AuthenticationResult.Abstained} when the certificate
 * names no user; {@link AuthenticationResult.Rejected} when it names one badly.
 *
 * <p>Implementations must be thread-safe and should not throw; the authenticator turns an exception into a
 * rejection with reason {@code INTERNAL_ERROR}.
 */
@FunctionalInterface
public interface UserConversion {

    /**
     * @param chain the verified chain: the client's certificate first, the trust anchor last; never empty
     * @return the verdict; never null
     */
    AuthenticationResult user(List<X509Certificate> chain);

    /**
     * The verdict for a verified chain, given what the authenticator already holds: the client certificate's
     * DER encoding and the earliest notAfter of the chain. The authenticator calls this method; the default
     * ignores the extra arguments and calls {@link #user(List)}. Override it to use them instead of recomputing.
     *
     * @param chain          the verified chain, as for {@link #user(List)}
     * @param leafDer        the DER encoding of {@code chain.get(0)}; not to be modified
     * @param notAfterMillis the earliest notAfter in the chain, in epoch milliseconds
     * @return the verdict; never null
     */
    default AuthenticationResult user(List<X509Certificate> chain, byte[] leafDer, long notAfterMillis) {
        return user(chain);
    }
}
