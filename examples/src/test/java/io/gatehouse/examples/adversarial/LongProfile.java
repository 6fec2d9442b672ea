package io.gatehouse.examples.adversarial;

import net.jqwik.api.lifecycle.AroundPropertyHook;
import net.jqwik.api.lifecycle.PropagationMode;
import net.jqwik.api.lifecycle.PropertyExecutionResult;
import net.jqwik.api.lifecycle.PropertyExecutor;
import net.jqwik.api.lifecycle.PropertyLifecycleContext;

/**
 * The long local profile: with {@code -Dgatehouse.long=true} every property of a class that adds this hook
 * runs {@value #FACTOR} rounds of its CI tries (CI keeps the whole examples run within about two minutes).
 */
public final class LongProfile implements AroundPropertyHook {

    static final int FACTOR = 40;

    static boolean enabled() {
        return Boolean.getBoolean("gatehouse.long");
    }

    /** {@code ci} in CI, {@code ci * FACTOR} in the long profile; for loops and load durations. */
    static int scaled(int ci) {
        return enabled() ? ci * FACTOR : ci;
    }

    @Override
    public PropagationMode propagateTo() {
        return PropagationMode.ALL_DESCENDANTS;
    }

    @Override
    public PropertyExecutionResult aroundProperty(PropertyLifecycleContext context, PropertyExecutor property) {
        // jqwik fixes a property's tries before hooks run, so the long profile runs the whole property again,
        // each round with a fresh seed, and stops at the first failure.
        PropertyExecutionResult result = property.execute();
        for (int round = 1; enabled() && round < FACTOR && result.status() == PropertyExecutionResult.Status.SUCCESSFUL; round++) {
            result = property.execute();
        }
        return result;
    }
}
