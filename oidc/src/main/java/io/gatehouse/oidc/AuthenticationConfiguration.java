package io.gatehouse.oidc;

import io.gatehouse.core.ConfigurationException;
import io.gatehouse.core.internal.BoundedYaml;
import io.gatehouse.core.internal.GoText;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads Kubernetes' {@code AuthenticationConfiguration} file ({@code apiserver.config.k8s.io/v1},
 * {@code v1beta1} or {@code v1alpha1}): its {@code jwt:} list becomes {@link JwtIssuer}s. Decoding is strict
 * (unknown fields are errors) and validation uses Kubernetes' field paths and messages.
 *
 * <p>CEL expressions ({@code claimValidationRules[].expression}, {@code claimMappings.*.expression},
 * {@code extra[].valueExpression}) are compiled at load; a compile or type error fails the load with
 * Kubernetes' field path; so are {@code userValidationRules[].expression} over {@code user}.
 * {@code egressSelectorType} is refused by name rather than ignored (there is no egress selector). The
 * {@code anonymous} block is validated here and read with {@link #anonymous(Path)}.
 *
 * <p>Stateless and thread-safe.
 */
public final class AuthenticationConfiguration {

    private static final Set<String> VERSIONS = Set.of("apiserver.config.k8s.io/v1", "apiserver.config.k8s.io/v1beta1",
            "apiserver.config.k8s.io/v1alpha1");
    private static final int MAX_JWT = 64;

    private AuthenticationConfiguration() {
    }

    /**
     * Loads and validates a file.
     *
     * @param file the {@code AuthenticationConfiguration} YAML file, read as UTF-8; not null
     * @return the configured JWT issuers, in file order; empty when the file lists none
     * @throws ConfigurationException naming the file and field, for unreadable, malformed or invalid content
     */
    public static List<JwtIssuer> load(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConfigurationException(file.toString(), "cannot read: " + e.getClass().getSimpleName());
        }
        return parse(text, file.toString());
    }

    /**
     * Parses and validates file content.
     *
     * @param yaml   the {@code AuthenticationConfiguration} YAML text
     * @param source names the content in errors
     * @return the configured JWT issuers, in document order; empty when it lists none
     * @throws ConfigurationException naming the source and field
     */
    public static List<JwtIssuer> parse(String yaml, String source) {
        Object doc = BoundedYaml.load(yaml, source);
        Reader root = new Reader(source);
        Map<String, Object> top = root.map(doc, "");
        root.allowOnly(top, "", "apiVersion", "kind", "jwt", "anonymous");
        Object version = top.get("apiVersion");
        // Set.of(...).contains(null) throws: a file without apiVersion must fail as invalid, not crash.
        if (version == null || !VERSIONS.contains(version)) {
            throw root.fail("apiVersion", "Invalid value: " + GoText.quote(String.valueOf(version))
                    + ": must be one of " + VERSIONS.stream().sorted().toList());
        }
        if (!"AuthenticationConfiguration".equals(top.get("kind"))) {
            throw root.fail("kind", "Invalid value: " + GoText.quote(String.valueOf(top.get("kind")))
                    + ": must be AuthenticationConfiguration");
        }
        anonymous(root, top);
        List<Object> entries = root.list(top.get("jwt"), "jwt");
        if (entries.size() > MAX_JWT) {
            throw root.fail("jwt", "Too many: " + entries.size() + ": must have at most " + MAX_JWT + " items");
        }
        List<JwtIssuer> issuers = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            issuers.add(issuer(root, entries.get(i), "jwt[" + i + "]."));
        }
        return issuers;
    }

    /**
     * The file's {@code anonymous} block (KEP-4633), for the caller that builds the chain: anonymous belongs
     * to the chain ({@code AuthenticationChain.Builder.anonymous} and {@code anonymousConditions}), and the
     * caller must refuse it together with {@code --anonymous-auth}, as kube-apiserver does.
     *
     * @param enabled        {@code anonymous.enabled}
     * @param conditionPaths the exact request paths of {@code anonymous.conditions}; empty for every path
     */
    public record Anonymous(boolean enabled, List<String> conditionPaths) {
        /**
         * Copies the paths.
         *
         * @param enabled        {@code anonymous.enabled}
         * @param conditionPaths the exact request paths, copied; not null, no element null
         */
        public Anonymous {
            conditionPaths = List.copyOf(conditionPaths);
        }
    }

    /**
     * Reads only the {@code anonymous} block of a file (validated as {@link #load(Path)} validates it).
     *
     * @param file the {@code AuthenticationConfiguration} YAML file, read as UTF-8; not null
     * @return empty when the file has no {@code anonymous} block
     * @throws ConfigurationException naming the file and field
     */
    public static java.util.Optional<Anonymous> anonymous(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConfigurationException(file.toString(), "cannot read: " + e.getClass().getSimpleName());
        }
        return anonymous(text, file.toString());
    }

    /** {@link #anonymous(Path)} of a file's text; {@code source} names it in errors. */
    static java.util.Optional<Anonymous> anonymous(String text, String source) {
        Reader root = new Reader(source);
        return java.util.Optional.ofNullable(anonymous(root, root.map(BoundedYaml.load(text, source), "")));
    }

    private static Anonymous anonymous(Reader r, Map<String, Object> top) {
        if (!top.containsKey("anonymous")) {
            return null;
        }
        Map<String, Object> a = r.map(top.get("anonymous"), "anonymous");
        r.allowOnly(a, "anonymous.", "enabled", "conditions");
        Object enabled = a.get("enabled");
        if (enabled != null && !(enabled instanceof Boolean)) {
            throw r.fail("anonymous.enabled", "must be true or false");
        }
        List<String> paths = new ArrayList<>();
        List<Object> conditions = r.list(a.get("conditions"), "anonymous.conditions");
        for (int i = 0; i < conditions.size(); i++) {
            String cp = "anonymous.conditions[" + i + "]";
            Map<String, Object> c = r.map(conditions.get(i), cp);
            r.allowOnly(c, cp + ".", "path");
            String path = r.string(c, cp + ".", "path");
            paths.add(path == null ? "" : path);
        }
        if (!Boolean.TRUE.equals(enabled) && !paths.isEmpty()) {
            throw r.fail("anonymous.conditions", "Invalid value: " + paths
                    + ": enabled should be set to true when conditions are defined");
        }
        return new Anonymous(Boolean.TRUE.equals(enabled), paths);
    }

    private static JwtIssuer issuer(Reader r, Object entry, String p) {
        Map<String, Object> jwt = r.map(entry, p);
        r.allowOnly(jwt, p, "issuer", "claimValidationRules", "claimMappings", "userValidationRules");
        Map<String, Object> iss = r.map(jwt.get("issuer"), p + "issuer");
        r.allowOnly(iss, p + "issuer.", "url", "discoveryURL", "certificateAuthority", "audiences",
                "audienceMatchPolicy", "egressSelectorType");
        Object egress = iss.get("egressSelectorType");
        if (egress != null) {
            if (!"controlplane".equals(egress) && !"cluster".equals(egress)) {
                throw r.fail(p + "issuer.egressSelectorType", "Invalid value: " + GoText.quote(String.valueOf(egress))
                        + ": egress selector must be either controlplane or cluster");
            }
            throw r.fail(p + "issuer.egressSelectorType", "egress selection is not supported");
        }
        JwtIssuer.Builder b = JwtIssuer.builder(r.string(iss, p + "issuer.", "url"))
                .fieldPrefix(p, r.source)
                .discoveryUrl(r.string(iss, p + "issuer.", "discoveryURL"))
                .certificateAuthority(r.string(iss, p + "issuer.", "certificateAuthority"))
                .audienceMatchPolicy(r.string(iss, p + "issuer.", "audienceMatchPolicy"));
        for (Object a : r.list(iss.get("audiences"), p + "issuer.audiences")) {
            if (!(a instanceof String s)) {
                throw r.fail(p + "issuer.audiences", "must be a list of strings");
            }
            b.audiences(s);
        }
        List<Object> rules = r.list(jwt.get("claimValidationRules"), p + "claimValidationRules");
        for (int i = 0; i < rules.size(); i++) {
            String rp = p + "claimValidationRules[" + i + "]";
            Map<String, Object> rule = r.map(rules.get(i), rp);
            r.allowOnly(rule, rp + ".", "claim", "requiredValue", "expression", "message");
            String claim = r.string(rule, rp + ".", "claim");
            String expression = r.string(rule, rp + ".", "expression");
            if (claim != null && !claim.isEmpty() && expression != null && !expression.isEmpty()) {
                throw r.fail(rp, "Invalid value: \"\": claim and expression can't both be set");
            }
            if (expression != null && !expression.isEmpty()) {
                if (rule.get("requiredValue") != null) {
                    throw r.fail(rp + ".requiredValue", "Invalid value: " + GoText.quote(String.valueOf(rule.get("requiredValue")))
                            + ": may not be specified when expression is set");
                }
                b.claimValidationRule(expression, r.string(rule, rp + ".", "message"));
                continue;
            }
            if (claim == null || claim.isEmpty()) {
                throw r.fail(rp, "Required value: claim or expression is required");
            }
            if (rule.get("message") != null) {
                throw r.fail(rp + ".message", "Invalid value: " + GoText.quote(String.valueOf(rule.get("message")))
                        + ": message can't be set when claim is set");
            }
            String required = r.string(rule, rp + ".", "requiredValue");
            b.requiredClaim(claim, required == null ? "" : required);
        }
        String mp = p + "claimMappings";
        Map<String, Object> mappings = r.map(jwt.get("claimMappings"), mp);
        r.allowOnly(mappings, mp + ".", "username", "groups", "uid", "extra");
        List<Object> extra = r.list(mappings.get("extra"), mp + ".extra");
        for (int i = 0; i < extra.size(); i++) {
            String ep = mp + ".extra[" + i + "]";
            Map<String, Object> e = r.map(extra.get(i), ep);
            r.allowOnly(e, ep + ".", "key", "valueExpression");
            b.extra(r.string(e, ep + ".", "key"), r.string(e, ep + ".", "valueExpression"));
        }
        String[] username = claimMapping(r, mappings.get("username"), mp + ".username", true);
        b.username(username[0], username[1]).usernameExpression(username[2]);
        if (mappings.get("groups") != null) {
            String[] groups = claimMapping(r, mappings.get("groups"), mp + ".groups", true);
            if (groups[0] != null && !groups[0].isEmpty()) {
                b.groups(groups[0], groups[1]);
            } else if (groups[1] != null) {
                b.groups(null, groups[1]);
            }
            b.groupsExpression(groups[2]);
        }
        if (mappings.get("uid") != null) {
            String[] uid = claimMapping(r, mappings.get("uid"), mp + ".uid", false);
            if (uid[0] != null && !uid[0].isEmpty()) {
                b.uid(uid[0]);
            }
            b.uidExpression(uid[2]);
        }
        List<Object> userRules = r.list(jwt.get("userValidationRules"), p + "userValidationRules");
        for (int i = 0; i < userRules.size(); i++) {
            String up = p + "userValidationRules[" + i + "]";
            Map<String, Object> rule = r.map(userRules.get(i), up);
            r.allowOnly(rule, up + ".", "expression", "message");
            b.userValidationRule(r.string(rule, up + ".", "expression"), r.string(rule, up + ".", "message"));
        }
        return b.build();
    }

    /** {claim, prefix, expression} of a {@code PrefixedClaimOrExpression} / {@code ClaimOrExpression}. */
    private static String[] claimMapping(Reader r, Object value, String path, boolean prefixed) {
        Map<String, Object> m = value == null ? Map.of() : r.map(value, path);
        if (prefixed) {
            r.allowOnly(m, path + ".", "claim", "prefix", "expression");
        } else {
            r.allowOnly(m, path + ".", "claim", "expression");
        }
        // Exclusivity (claim vs expression, prefix with an expression) is JwtIssuer's, with Kubernetes' messages.
        return new String[] {r.string(m, path + ".", "claim"), prefixed ? r.string(m, path + ".", "prefix") : null,
            r.string(m, path + ".", "expression")};
    }

    /** Typed reads with field paths in errors. */
    private static final class Reader {
        final String source;

        Reader(String source) {
            this.source = source;
        }

        @SuppressWarnings("unchecked")
        Map<String, Object> map(Object v, String path) {
            if (v == null) {
                return Map.of();
            }
            if (!(v instanceof Map)) {
                throw fail(path.isEmpty() ? "(root)" : strip(path), "must be an object");
            }
            return (Map<String, Object>) v;
        }

        @SuppressWarnings("unchecked")
        List<Object> list(Object v, String path) {
            if (v == null) {
                return List.of();
            }
            if (!(v instanceof List)) {
                throw fail(path, "must be a list");
            }
            return (List<Object>) v;
        }

        String string(Map<String, Object> m, String prefix, String key) {
            Object v = m.get(key);
            if (v == null) {
                return null;
            }
            if (!(v instanceof String s)) {
                throw fail(prefix + key, "must be a string");
            }
            return s;
        }

        void allowOnly(Map<String, Object> m, String prefix, String... known) {
            Set<String> allowed = Set.of(known);
            for (String k : m.keySet()) {
                if (!allowed.contains(k)) {
                    throw fail(prefix.isEmpty() ? k : prefix + k, "unknown field " + GoText.quote(k));
                }
            }
        }

        ConfigurationException fail(String field, String detail) {
            return new ConfigurationException(source, null, field, field + ": " + detail, null);
        }

        private static String strip(String path) {
            return path.endsWith(".") ? path.substring(0, path.length() - 1) : path;
        }
    }
}
