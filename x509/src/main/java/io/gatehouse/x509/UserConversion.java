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
}
