package io.gatehouse.oidc;

import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelOptions;
import dev.cel.common.CelValidationException;
import dev.cel.common.ast.CelConstant;
import dev.cel.common.ast.CelExpr;
import dev.cel.common.navigation.CelNavigableAst;
import dev.cel.common.types.MapType;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.extensions.CelExtensions;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Kubernetes' claim-side CEL environment on Google's CEL for Java: the {@code claims} variable
 * ({@code map(string, dyn)}), optional types, the strings, sets and lists extensions, cross-type numeric
 * comparisons. Compiles once at load; programs are immutable and thread-safe.
 */
final class CelExpressions {

    /** Kubernetes' {@code PerCallLimit}; bounds each evaluation separately. */
    static final int PER_CALL_LIMIT = 1_000_000;

    private static final CelOptions OPTIONS = CelOptions.current()
            .enableOptionalSyntax(true)
            .enableHeterogeneousNumericComparisons(true)
            .comprehensionMaxIterations(PER_CALL_LIMIT)
            .build();

    private static final CelCompiler CLAIMS = CelCompilerFactory.standardCelCompilerBuilder()
            .setOptions(OPTIONS)
            .setStandardMacros(dev.cel.parser.CelStandardMacro.STANDARD_MACROS)
            .addVar("claims", MapType.create(SimpleType.STRING, SimpleType.DYN))
            .addLibraries(CelExtensions.optional(), CelExtensions.strings(), CelExtensions.sets(OPTIONS),
                    CelExtensions.lists(), CelExtensions.comprehensions(), KubernetesCelLibrary.INSTANCE)
            .build();

    /** Kubernetes' {@code kubernetes.UserInfo}: a field outside these four fails compilation. */
    private static final Map<String, dev.cel.common.types.CelType> USER_FIELDS = Map.of(
            "username", SimpleType.STRING, "uid", SimpleType.STRING,
            "groups", dev.cel.common.types.ListType.create(SimpleType.STRING),
            "extra", MapType.create(SimpleType.STRING, dev.cel.common.types.ListType.create(SimpleType.STRING)));
    private static final dev.cel.common.types.StructType USER_TYPE = dev.cel.common.types.StructType.create(
            "kubernetes.UserInfo", com.google.common.collect.ImmutableSet.copyOf(USER_FIELDS.keySet()),
            name -> java.util.Optional.ofNullable(USER_FIELDS.get(name)));

    /** The user-side environment: {@code user} only, typed; evaluated over a map with the four fields. */
    private static final CelCompiler USER = CelCompilerFactory.standardCelCompilerBuilder()
            .setOptions(OPTIONS)
            .setStandardMacros(dev.cel.parser.CelStandardMacro.STANDARD_MACROS)
            .setTypeProvider(new dev.cel.common.types.CelTypeProvider() {
                @Override
                public com.google.common.collect.ImmutableCollection<dev.cel.common.types.CelType> types() {
                    return com.google.common.collect.ImmutableList.of(USER_TYPE);
                }

                @Override
                public java.util.Optional<dev.cel.common.types.CelType> findType(String name) {
                    return USER_TYPE.name().equals(name) ? java.util.Optional.of(USER_TYPE) : java.util.Optional.empty();
                }
            })
            .addVar("user", USER_TYPE)
            .addLibraries(CelExtensions.optional(), CelExtensions.strings(), CelExtensions.sets(OPTIONS),
                    CelExtensions.lists(), CelExtensions.comprehensions(), KubernetesCelLibrary.INSTANCE)
            .build();

    private static final CelRuntime RUNTIME = CelRuntimeFactory.standardCelRuntimeBuilder()
            .setOptions(OPTIONS)
            .addLibraries(CelExtensions.optional(), CelExtensions.strings(), CelExtensions.sets(OPTIONS),
                    CelExtensions.lists(), CelExtensions.comprehensions(), KubernetesCelLibrary.INSTANCE)
            .build();

    private CelExpressions() {
    }

    /**
     * A compiled claim expression; {@code selectedFields} are the fields it selects directly on its variable
     * ({@code claims.f}, {@code has(claims.f)}, {@code claims.?f}), which Kubernetes' email rule reads.
     */
    record Compiled(String expression, String variable, CelRuntime.Program program, Set<String> selectedFields) {
        /**
         * Evaluates against CEL claims ({@link #claims(Map)}) within {@link #PER_CALL_LIMIT}. CEL for Java has no
         * cost tracker, so cost is counted as evaluated expression nodes, each at least cel-go's unit cost.
         *
         * @throws CostLimitExceeded with cel-go's text when the budget is spent
         */
        Object eval(Map<String, Object> value) throws CelEvaluationException {
            int[] cost = {0};
            return program.trace(Map.of(variable, value), (expr, result) -> {
                if (++cost[0] > PER_CALL_LIMIT) {
                    throw new CostLimitExceeded();
                }
            });
        }
    }

    /**
     * The payload as Kubernetes hands it to CEL: every JSON number a double, arrays lists, objects maps,
     * JSON null kept as CEL null.
     */
    static Map<String, Object> claims(Map<String, Object> payload) {
        return escaped(payload, true);
    }

    private static Map<String, Object> escaped(Map<?, ?> m, boolean topLevel) {
        Map<String, Object> out = new HashMap<>(m.size() * 2);
        m.forEach((k, x) -> out.put(String.valueOf(k), celValue(x)));
        return new CelEscapedMap(out, topLevel);
    }

    private static Object celValue(Object v) {
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        if (v instanceof Map<?, ?> m) {
            return escaped(m, false);
        }
        if (v instanceof List<?> l) {
            List<Object> out = new ArrayList<>(l.size());
            l.forEach(x -> out.add(celValue(x)));
            return out;
        }
        return v == null ? com.google.protobuf.NullValue.NULL_VALUE : v;
    }

    /** cel-go's error text for a failed evaluation, from CEL for Java's message. */
    static String errorText(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof CostLimitExceeded) {
                return t.getMessage();
            }
        }
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        // CEL for Java prefixes "evaluation error at <input>:col: "; cel-go reports the bare cause.
        int at = m.indexOf(": ");
        if (m.startsWith("evaluation error") && at > 0) {
            m = m.substring(at + 2);
        }
        if (m.startsWith("key '") && m.endsWith("' is not present in map.")) {
            return "no such key: " + m.substring(5, m.length() - "' is not present in map.".length());
        }
        return m;
    }

    /**
     * Kubernetes' {@code convertCELValueToStringList}: a string is one value (none when empty), a list must
     * hold only strings (empty ones dropped), null is nothing.
     *
     * @return the values, or null when the result has another type
     */
    static List<String> stringList(Object result) {
        if (result == null || result instanceof com.google.protobuf.NullValue || result instanceof dev.cel.common.values.NullValue) {
            return List.of();
        }
        if (result instanceof String s) {
            return s.isEmpty() ? List.of() : List.of(s);
        }
        if (result instanceof List<?> list) {
            List<String> out = new ArrayList<>(list.size());
            for (Object o : list) {
                if (!(o instanceof String s)) {
                    return null;
                }
                if (!s.isEmpty()) {
                    out.add(s);
                }
            }
            return out;
        }
        return null;
    }

    /**
     * Compiles {@code expression}; {@code bool} demands a boolean static type.
     *
     * @return the program, or throws with Kubernetes' detail text
     */
    static Compiled compileClaims(String expression, boolean bool) throws InvalidExpression {
        return compile(CLAIMS, "claims", expression, bool);
    }

    /** Compiles a user validation rule (must be bool), over the {@code user} variable only. */
    static Compiled compileUser(String expression) throws InvalidExpression {
        return compile(USER, "user", expression, true);
    }

    /** The {@code user} variable for a mapped user: username, uid, groups and extra, never absent. */
    static Map<String, Object> user(io.gatehouse.core.UserInfo u) {
        Map<String, Object> extra = new HashMap<>();
        u.extra().forEach((k, v) -> extra.put(k, List.copyOf(v)));
        return Map.of("username", u.name(), "uid", u.uid(), "groups", List.copyOf(u.groups()),
                "extra", new CelEscapedMap(extra, false));
    }

    private static Compiled compile(CelCompiler compiler, String variable, String expression, boolean bool)
            throws InvalidExpression {
        CelAbstractSyntaxTree ast;
        try {
            ast = compiler.compile(expression).getAst();
        } catch (CelValidationException e) {
            throw new InvalidExpression("compilation failed: " + e.getMessage());
        }
        if (bool && !ast.getResultType().equals(SimpleType.BOOL)) {
            throw new InvalidExpression("must evaluate to bool");
        }
        try {
            return new Compiled(expression, variable, RUNTIME.createProgram(ast), selectedFields(ast, variable));
        } catch (CelEvaluationException e) {
            throw new InvalidExpression("program instantiation failed: " + e.getMessage());
        }
    }

    /**
     * The fields selected directly on identifier {@code variable} anywhere in the checked expression, comprehensions
     * included: a select ({@code claims.f}; {@code has(claims.f)} is a test-only select) or an optional select
     * ({@code claims.?f}, the call {@code _?._(claims, "f")}). {@code claims.other.claims.f} selects only
     * {@code other} on the variable, as Kubernetes' AST walk for the email rule sees it.
     */
    static Set<String> selectedFields(CelAbstractSyntaxTree ast, String variable) {
        Set<String> fields = new HashSet<>();
        CelNavigableAst.fromAst(ast).getRoot().allNodes().forEach(node -> {
            CelExpr e = node.expr();
            if (e.exprKind().getKind() == CelExpr.ExprKind.Kind.SELECT) {
                CelExpr.CelSelect select = e.select();
                if (isIdent(select.operand(), variable)) {
                    fields.add(select.field());
                }
            } else if (e.exprKind().getKind() == CelExpr.ExprKind.Kind.CALL) {
                CelExpr.CelCall call = e.call();
                if (call.function().equals("_?._") && call.args().size() == 2 && isIdent(call.args().get(0), variable)
                        && call.args().get(1).exprKind().getKind() == CelExpr.ExprKind.Kind.CONSTANT
                        && call.args().get(1).constant().getKind() == CelConstant.Kind.STRING_VALUE) {
                    fields.add(call.args().get(1).constant().stringValue());
                }
            }
        });
        return Set.copyOf(fields);
    }

    private static boolean isIdent(CelExpr e, String name) {
        return e.exprKind().getKind() == CelExpr.ExprKind.Kind.IDENT && e.ident().name().equals(name);
    }

    /** Thrown from the evaluation listener to abort an evaluation that spent its budget. */
    static final class CostLimitExceeded extends RuntimeException {
        private static final long serialVersionUID = 1L;

        CostLimitExceeded() {
            super("operation cancelled: actual cost limit exceeded", null, false, false);
        }
    }

    /** A compile or type error, with Kubernetes' detail text. */
    static final class InvalidExpression extends Exception {
        private static final long serialVersionUID = 1L;

        InvalidExpression(String detail) {
            super(detail, null, false, false);
        }
    }
}
