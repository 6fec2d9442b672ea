package io.gatehouse.examples.adversarial;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.Set;

/**
 * Finds an internal object inside an assembled chain (through fields and lambda captures) and calls a
 * package-private method on it: how the load test reads the sizes of caches that have no public size, without
 * widening any API for tests. Test-only; a refactoring that hides the object fails the test loudly.
 */
final class Reach {

    private Reach() {
    }

    /** The first object reachable from {@code root} whose class is named {@code simpleName}. */
    static Object find(Object root, String simpleName) {
        Deque<Object> todo = new ArrayDeque<>();
        Set<Object> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        todo.add(root);
        while (!todo.isEmpty()) {
            Object o = todo.poll();
            if (o == null || !seen.add(o)) {
                continue;
            }
            if (o.getClass().getSimpleName().equals(simpleName)) {
                return o;
            }
            if (o instanceof Iterable<?> it && o.getClass().getName().startsWith("java.util")) {
                it.forEach(todo::add);
                continue;
            }
            String name = o.getClass().getName();
            if (!name.startsWith("io.gatehouse") && !name.contains("$$Lambda")) {
                continue;
            }
            for (Class<?> c = o.getClass(); c != null && c != Object.class; c = c.getSuperclass()) {
                for (Field f : c.getDeclaredFields()) {
                    if (Modifier.isStatic(f.getModifiers()) || f.getType().isPrimitive()) {
                        continue;
                    }
                    try {
                        f.setAccessible(true);
                        todo.add(f.get(o));
                    } catch (ReflectiveOperationException | RuntimeException e) {
                        // not readable: not on the way
                    }
                }
            }
        }
        throw new AssertionError("no " + simpleName + " is reachable from " + root.getClass().getName());
    }

    /** Calls the no-argument method {@code name} of {@code target}, whatever its visibility. */
    static long callLong(Object target, String name) {
        try {
            Method m = target.getClass().getDeclaredMethod(name);
            m.setAccessible(true);
            return ((Number) m.invoke(target)).longValue();
        } catch (ReflectiveOperationException e) {
            throw new AssertionError("cannot call " + name + " on " + target.getClass().getName(), e);
        }
    }
}
