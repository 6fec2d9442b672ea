package io.gatehouse.core.internal;

import java.util.ArrayList;
import java.util.List;

/** Kubernetes' {@code authenticator.Audiences} operations, once for every module. */
public final class Audiences {

    private Audiences() {
    }

    /**
     * The members of {@code first} that {@code second} has, in {@code first}'s order (a repeated member stays
     * repeated): Kubernetes' {@code second.Intersect(first)}, whose result follows its argument's order.
     */
    public static List<String> intersect(List<String> first, List<String> second) {
        List<String> both = new ArrayList<>(Math.min(first.size(), second.size()));
        for (String a : first) {
            if (second.contains(a)) {
                both.add(a);
            }
        }
        return both;
    }

    /** Whether the two lists share a member (Kubernetes' {@code len(a.Intersect(b)) > 0}, without allocating). */
    public static boolean meet(List<String> first, List<String> second) {
        for (String a : first) {
            if (second.contains(a)) {
                return true;
            }
        }
        return false;
    }
}
