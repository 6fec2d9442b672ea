package io.gatehouse.core.testing;

import net.jqwik.api.lifecycle.AroundPropertyHook;
import net.jqwik.api.lifecycle.PropagationMode;
import net.jqwik.api.lifecycle.PropertyExecutionResult;
import net.jqwik.api.lifecycle.PropertyExecutor;
import net.jqwik.api.lifecycle.PropertyLifecycleContext;

/**
 * The jqwik counterpart of {@link NoSecretsInLogsExtension}: fails a property whose runs logged a declared
 * secret, a JWT or private-key material. Registered globally through {@code META-INF/services}.
 */
public final class NoSecretsInLogsHook implements AroundPropertyHook {

    @Override
    public PropagationMode propagateTo() {
        return PropagationMode.ALL_DESCENDANTS;
    }

    @Override
    public PropertyExecutionResult aroundProperty(PropertyLifecycleContext context, PropertyExecutor property) {
        int mark = LogCapture.mark();
        PropertyExecutionResult result = property.execute();
        String leak = LogCapture.findLeak(LogCapture.linesSince(mark));
        return leak == null ? result : result.mapToFailed("secret in logs: " + leak);
    }
}
