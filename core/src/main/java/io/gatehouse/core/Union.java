package io.gatehouse.core;

import io.gatehouse.core.AuthenticationResult.Abstained;
import io.gatehouse.core.AuthenticationResult.Authenticated;
import io.gatehouse.core.AuthenticationResult.Rejected;
import java.util.ArrayList;
import java.util.List;

/**
 * Kubernetes' union semantics, written once for request and token authenticators: the first success wins
 * and drops earlier rejections; otherwise rejections aggregate; all abstaining is an abstention. With
 * fail-on-error the first rejection ends the walk.
 */
final class Union {

    /** Asks one member for its verdict. */
    @FunctionalInterface
    interface Judge<T> {
        AuthenticationResult judge(T member);
    }

    private Union() {
    }

    static <T> AuthenticationResult evaluate(List<T> members, Judge<T> judge, boolean failOnError) {
        List<Rejected> rejections = null;
        List<String> warnings = null;
        for (int i = 0, n = members.size(); i < n; i++) {
            AuthenticationResult r = judge.judge(members.get(i));
            if (r instanceof Authenticated) {
                return warnings == null ? r : r.withWarnings(warnings);
            }
            if (r instanceof Rejected rejected) {
                if (failOnError) {
                    return warnings == null ? r : prepend(warnings, rejected);
                }
                if (rejections == null) {
                    rejections = new ArrayList<>(2);
                }
                rejections.add(rejected);
            } else if (!r.warnings().isEmpty()) {
                if (warnings == null) {
                    warnings = new ArrayList<>(2);
                }
                warnings.addAll(r.warnings());
            }
        }
        if (rejections != null) {
            Rejected all = Rejected.aggregate(rejections);
            return warnings == null ? all : prepend(warnings, all);
        }
        return warnings == null ? Abstained.instance() : new Abstained(warnings);
    }

    private static Rejected prepend(List<String> earlier, Rejected r) {
        List<String> all = new ArrayList<>(earlier);
        all.addAll(r.warnings());
        return new Rejected(r.reason(), r.message(), all, r.causes());
    }
}
