package io.gatehouse.core.testing;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails any Jupiter test whose log output contains a declared secret ({@link LogCapture#secret}), a JWT or
 * private-key material. Registered for every test through JUnit's extension auto-detection.
 */
public final class NoSecretsInLogsExtension implements BeforeEachCallback, AfterEachCallback {

    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(NoSecretsInLogsExtension.class);

    @Override
    public void beforeEach(ExtensionContext context) {
        context.getStore(NS).put("mark", LogCapture.mark());
    }

    @Override
    public void afterEach(ExtensionContext context) {
        Integer mark = context.getStore(NS).get("mark", Integer.class);
        String leak = LogCapture.findLeak(LogCapture.linesSince(mark == null ? 0 : mark));
        if (leak != null) {
            throw new AssertionError("secret in logs: " + leak);
        }
    }
}
