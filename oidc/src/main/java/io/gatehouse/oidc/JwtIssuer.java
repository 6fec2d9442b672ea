package io.gatehouse.oidc;

import io.gatehouse.core.ConfigurationException;
import io.gatehouse.core.internal.GoText;
import io.gatehouse.core.internal.PemCertificates;
import io.gatehouse.jwt.JwtAlgorithm;
import io.gatehouse.jwt.VerificationKey;
import io.gatehouse.jwt.VerificationKeySet;
import java.net.URI;
import java.net.URISyntaxException;
import java.security.PublicKey;
import java.security.cert.Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * One trusted JWT issuer: an entry of Kubernetes' {@code AuthenticationConfiguration.jwt} list (issuer,
 * claim validation rules, claim mappings), with Kubernetes' CEL claim expressions compiled once here. Built and validated eagerly with Kubernetes' field
 * paths and messages, e.g. {@code issuer.url: Invalid value: "http://x": URL scheme must be https}.
 *
 * <p>Immutable and thread-safe.
 */
public final class JwtIssuer {

    /** A {@code claimValidationRules} entry of the claim form: the claim must be a string equal to the value. */
    public record RequiredClaim(String claim, String requiredValue) {
        /**
         * Checks the values.
         *
         * @param claim         the claim name
         * @param requiredValue the string the claim must equal
         * @throws NullPointerException if either is null
         */
        public RequiredClaim {
            Objects.requireNonNull(claim, "claim");
            Objects.requireNonNull(requiredValue, "requiredValue");
        }
    }

    private final String url;
    private final String discoveryUrl;
    private final List<Certificate> certificateAuthority;
    private final List<String> audiences;
    private final List<RequiredClaim> requiredClaims;
    private final String usernameClaim;
    private final String usernamePrefix;
    private final String groupsClaim;
    private final String groupsPrefix;
    private final String uidClaim;
    private final CelMappings cel;
    private final Set<JwtAlgorithm> signingAlgorithms;
    private final List<String> signingAlgorithmNames;
    private final VerificationKeySet staticKeys;
    private final String fieldPrefix;
    private final String source;

    /** The compiled CEL of one issuer; null members are claim mappings. */
    record CelMappings(CelExpressions.Compiled username, CelExpressions.Compiled groups, CelExpressions.Compiled uid,
                       Map<String, CelExpressions.Compiled> extra, List<CelExpressions.Compiled> rules,
                       List<String> messages, List<CelExpressions.Compiled> userRules, List<String> userMessages) {
        boolean any() {
            return username != null || groups != null || uid != null || !extra.isEmpty() || !rules.isEmpty();
        }
    }

    private JwtIssuer(Builder b, List<Certificate> ca, Set<JwtAlgorithm> algs, VerificationKeySet staticKeys,
                      CelMappings cel) {
        this.cel = cel;
        this.url = b.url;
        this.discoveryUrl = b.discoveryUrl;
        this.certificateAuthority = List.copyOf(ca);
        this.audiences = List.copyOf(b.audiences);
        this.requiredClaims = List.copyOf(b.requiredClaims);
        this.usernameClaim = b.usernameClaim;
        this.usernamePrefix = b.usernamePrefix;
        this.groupsClaim = b.groupsClaim;
        this.groupsPrefix = b.groupsPrefix;
        this.uidClaim = b.uidClaim;
        this.signingAlgorithms = algs;
        this.signingAlgorithmNames = List.copyOf(b.signingAlgorithms);
        this.staticKeys = staticKeys;
        this.fieldPrefix = b.fieldPrefix;
        this.source = b.source;
    }

    /**
     * A builder for the issuer at {@code url} (exact string, as tokens carry it).
     *
     * @param url the issuer URL, compared with tokens' {@code iss} as an exact string
     * @return a new builder for that issuer
     */
    public static Builder builder(String url) {
        return new Builder(url);
    }

    /**
     * The issuer URL.
     *
     * @return the issuer URL, never null
     */
    public String url() {
        return url;
    }

    /**
     * The discovery URL, or null for {@code <url>/.well-known/openid-configuration}.
     *
     * @return the discovery URL, or null when derived from the issuer URL
     */
    public String discoveryUrl() {
        return discoveryUrl;
    }

    /**
     * The accepted audiences (match any).
     *
     * @return the audiences, unmodifiable, in configured order
     */
    public List<String> audiences() {
        return audiences;
    }

    /**
     * The claim-form validation rules, in order.
     *
     * @return the rules, unmodifiable
     */
    public List<RequiredClaim> requiredClaims() {
        return requiredClaims;
    }

    /**
     * The username claim.
     *
     * @return the claim name, or null when a CEL expression maps the username
     */
    public String usernameClaim() {
        return usernameClaim;
    }

    /**
     * The username prefix; empty for none.
     *
     * @return the prefix; empty for none, null with a username expression
     */
    public String usernamePrefix() {
        return usernamePrefix;
    }

    /**
     * The groups claim, or null.
     *
     * @return the claim name, or null
     */
    public String groupsClaim() {
        return groupsClaim;
    }

    /**
     * The groups prefix; empty for none.
     *
     * @return the prefix; empty for none
     */
    public String groupsPrefix() {
        return groupsPrefix;
    }

    /**
     * The uid claim, or null.
     *
     * @return the claim name, or null
     */
    public String uidClaim() {
        return uidClaim;
    }

    /**
     * The allowed signing algorithms' names, in the configured order.
     *
     * @return the algorithm names, unmodifiable
     */
    public List<String> signingAlgorithms() {
        return signingAlgorithmNames;
    }

    Set<JwtAlgorithm> algorithms() {
        return signingAlgorithms;
    }

    List<Certificate> certificateAuthority() {
        return certificateAuthority;
    }

    CelMappings cel() {
        return cel;
    }

    VerificationKeySet staticKeys() {
        return staticKeys;
    }

    String fieldPrefix() {
        return fieldPrefix;
    }

    String source() {
        return source;
    }

    /** Configuration only; no key material. */
    @Override
    public String toString() {
        return "JwtIssuer{" + url + ", audiences=" + audiences + "}";
    }

    /**
     * Configures a {@link JwtIssuer}. Not thread-safe. Defaults: all nine RS/ES/PS algorithms (the config
     * file's set), keys from OIDC discovery.
     */
    public static final class Builder {
        private final String url;
        private String discoveryUrl;
        private String certificateAuthority;
        private final List<String> audiences = new ArrayList<>();
        private String audienceMatchPolicy = "";
        private final List<RequiredClaim> requiredClaims = new ArrayList<>();
        private String usernameClaim;
        private String usernamePrefix;
        private String groupsClaim;
        private String groupsPrefix;
        private String uidClaim;
        private String usernameExpression;
        private String groupsExpression;
        private String uidExpression;
        private final List<String[]> extra = new ArrayList<>();
        private final List<String[]> claimRules = new ArrayList<>();
        private final List<String[]> userRules = new ArrayList<>();
        private final List<String> signingAlgorithms = new ArrayList<>();
        private final Map<String, PublicKey> staticKeys = new LinkedHashMap<>();
        private String fieldPrefix = "";
        private String source;

        private Builder(String url) {
            this.url = url;
            for (JwtAlgorithm a : JwtAlgorithm.values()) {
                signingAlgorithms.add(a.name());
            }
        }

        /**
         * Where discovery is fetched instead of {@code <url>/.well-known/openid-configuration}; used verbatim.
         *
         * @param discoveryUrl an https URL, different from the issuer URL
         * @return this builder
         */
        public Builder discoveryUrl(String discoveryUrl) {
            this.discoveryUrl = discoveryUrl;
            return this;
        }

        /**
         * PEM certificates trusted for discovery and JWKS (instead of the JDK's roots); null for the roots.
         *
         * @param pem one or more PEM certificates, or null for the JDK's roots
         * @return this builder
         */
        public Builder certificateAuthority(String pem) {
            this.certificateAuthority = pem;
            return this;
        }

        /**
         * Adds accepted audiences (a token needs one of them).
         *
         * @param more audiences to accept, none empty
         * @return this builder
         */
        public Builder audiences(String... more) {
            audiences.addAll(List.of(more));
            return this;
        }

        /**
         * Adds accepted audiences.
         *
         * @param more audiences to accept, none empty
         * @return this builder
         */
        public Builder audiences(Collection<String> more) {
            audiences.addAll(more);
            return this;
        }

        /**
         * {@code ""} or {@code MatchAny}; required to be {@code MatchAny} with several audiences.
         *
         * @param policy {@code ""} or {@code MatchAny}
         * @return this builder
         */
        public Builder audienceMatchPolicy(String policy) {
            this.audienceMatchPolicy = policy == null ? "" : policy;
            return this;
        }

        /**
         * The username claim and its prefix ({@code ""} for none); required.
         *
         * @param claim the claim holding the username
         * @param prefix prepended to it; {@code ""} for none (Kubernetes requires it to be given)
         * @return this builder
         */
        public Builder username(String claim, String prefix) {
            this.usernameClaim = claim;
            this.usernamePrefix = prefix;
            return this;
        }

        /**
         * The groups claim (a string or an array of strings) and its prefix ({@code ""} for none).
         *
         * @param claim the claim holding the groups
         * @param prefix prepended to each group; {@code ""} for none
         * @return this builder
         */
        public Builder groups(String claim, String prefix) {
            this.groupsClaim = claim;
            this.groupsPrefix = prefix;
            return this;
        }

        /**
         * The uid claim (a string).
         *
         * @param claim the claim holding the uid
         * @return this builder
         */
        public Builder uid(String claim) {
            this.uidClaim = claim;
            return this;
        }

        /**
         * The username as a CEL expression over {@code claims} (must return a non-empty string; no prefix).
         *
         * @param expression the CEL expression, compiled at {@link #build()}
         * @return this builder
         */
        public Builder usernameExpression(String expression) {
            this.usernameExpression = expression;
            return this;
        }

        /**
         * The groups as a CEL expression over {@code claims} (a string, a list of strings, or null).
         *
         * @param expression the CEL expression, compiled at {@link #build()}
         * @return this builder
         */
        public Builder groupsExpression(String expression) {
            this.groupsExpression = expression;
            return this;
        }

        /**
         * The uid as a CEL expression over {@code claims} (a string).
         *
         * @param expression the CEL expression, compiled at {@link #build()}
         * @return this builder
         */
        public Builder uidExpression(String expression) {
            this.uidExpression = expression;
            return this;
        }

        /**
         * Adds an {@code extra} mapping: a domain-prefixed key and a CEL expression (a string or list of strings).
         *
         * @param key the extra key: domain-prefixed, lower case, not under k8s.io or kubernetes.io
         * @param valueExpression the CEL expression, compiled at {@link #build()}
         * @return this builder
         */
        public Builder extra(String key, String valueExpression) {
            extra.add(new String[] {key, valueExpression});
            return this;
        }

        /**
         * Adds a CEL claim validation rule (must return bool); {@code message} is reported when it is false.
         *
         * @param expression the CEL expression, compiled at {@link #build()}
         * @param message the rejection's text when the rule is false; empty for Kubernetes' default
         * @return this builder
         */
        public Builder claimValidationRule(String expression, String message) {
            claimRules.add(new String[] {expression, message == null ? "" : message});
            return this;
        }

        /**
         * Adds a CEL user validation rule over {@code user} (must return bool); {@code message} when false.
         *
         * @param expression the CEL expression over {@code user}, compiled at {@link #build()}
         * @param message the rejection's text when the rule is false; empty for Kubernetes' default
         * @return this builder
         */
        public Builder userValidationRule(String expression, String message) {
            userRules.add(new String[] {expression, message == null ? "" : message});
            return this;
        }

        /**
         * Adds a rule: {@code claim} must be a string equal to {@code requiredValue}.
         *
         * @param claim the claim name
         * @param requiredValue the string the claim must equal
         * @return this builder
         */
        public Builder requiredClaim(String claim, String requiredValue) {
            requiredClaims.add(new RequiredClaim(claim, requiredValue));
            return this;
        }

        /**
         * Replaces the allowed algorithms (RS/ES/PS 256/384/512; HMAC, EdDSA and none never).
         *
         * @param names JWS algorithm names
         * @return this builder
         */
        public Builder signingAlgorithms(Collection<String> names) {
            signingAlgorithms.clear();
            signingAlgorithms.addAll(names);
            return this;
        }

        /**
         * Trusts a fixed key instead of discovery (Kubernetes' {@code KeySet} option).
         *
         * @param kid the key id tokens name; null for a key tried on tokens without kid
         * @param key an RSA or EC public key
         * @return this builder
         */
        public Builder staticKey(String kid, PublicKey key) {
            staticKeys.put(kid, Objects.requireNonNull(key, "key"));
            return this;
        }

        Builder fieldPrefix(String prefix, String file) {
            this.fieldPrefix = prefix;
            this.source = file;
            return this;
        }

        /**
         * Validates and builds.
         *
         * @return the issuer, validated and with its CEL expressions compiled
         * @throws ConfigurationException with every problem, in Kubernetes' words, naming the first field
         */
        public JwtIssuer build() {
            List<String[]> errors = new ArrayList<>();
            validateUrl(errors, "issuer.url", url);
            if (discoveryUrl != null && !discoveryUrl.isEmpty()) {
                validateUrl(errors, "issuer.discoveryURL", discoveryUrl);
                if (url != null && trimSlash(url).equals(trimSlash(discoveryUrl))) {
                    err(errors, "issuer.discoveryURL", "Invalid value: " + GoText.quote(discoveryUrl)
                            + ": discoveryURL must be different from URL");
                }
            }
            if (audiences.isEmpty()) {
                err(errors, "issuer.audiences", "Required value: at least one issuer.audiences is required");
            }
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < audiences.size(); i++) {
                String a = audiences.get(i);
                if (a == null || a.isEmpty()) {
                    err(errors, "issuer.audiences[" + i + "]", "Required value: audience can't be empty");
                } else if (!seen.add(a)) {
                    err(errors, "issuer.audiences[" + i + "]", "Duplicate value: " + GoText.quote(a));
                }
            }
            if (audiences.size() > 1 && !"MatchAny".equals(audienceMatchPolicy)) {
                err(errors, "issuer.audienceMatchPolicy", "Invalid value: " + GoText.quote(audienceMatchPolicy)
                        + ": audienceMatchPolicy must be MatchAny for multiple audiences");
            } else if (audiences.size() == 1 && !audienceMatchPolicy.isEmpty() && !"MatchAny".equals(audienceMatchPolicy)) {
                err(errors, "issuer.audienceMatchPolicy", "Invalid value: " + GoText.quote(audienceMatchPolicy)
                        + ": audienceMatchPolicy must be empty or MatchAny for single audience");
            }
            Set<String> claims = new HashSet<>();
            for (int i = 0; i < requiredClaims.size(); i++) {
                String c = requiredClaims.get(i).claim();
                if (c.isEmpty()) {
                    err(errors, "claimValidationRules[" + i + "]", "Required value: claim or expression is required");
                } else if (!claims.add(c)) {
                    err(errors, "claimValidationRules[" + i + "].claim", "Duplicate value: " + GoText.quote(c));
                }
            }
            CelExpressions.Compiled userCel = prefixed(errors, "username", usernameClaim, usernamePrefix, usernameExpression, true);
            CelExpressions.Compiled groupsCel = prefixed(errors, "groups", groupsClaim, groupsPrefix, groupsExpression, false);
            CelExpressions.Compiled uidCel = null;
            if (!blank(uidClaim) && !blank(uidExpression)) {
                err(errors, "claimMappings.uid", "Invalid value: \"\": claim and expression can't both be set");
            } else if (!blank(uidExpression)) {
                uidCel = compile(errors, "claimMappings.uid.expression", uidExpression, false);
            }
            Map<String, CelExpressions.Compiled> extraCel = new LinkedHashMap<>();
            for (int i = 0; i < extra.size(); i++) {
                String key = extra.get(i)[0];
                String kp = "claimMappings.extra[" + i + "].key";
                String keyProblem = ExtraKeys.problem(key);
                if (keyProblem != null) {
                    err(errors, kp, keyProblem);
                    continue;
                }
                if (extraCel.containsKey(key)) {
                    err(errors, kp, "Duplicate value: " + GoText.quote(key));
                    continue;
                }
                String expr = extra.get(i)[1];
                if (blank(expr)) {
                    err(errors, "claimMappings.extra[" + i + "].valueExpression", "Required value: valueExpression is required");
                    continue;
                }
                extraCel.put(key, compile(errors, "claimMappings.extra[" + i + "].valueExpression", expr, false));
            }
            List<CelExpressions.Compiled> rulesCel = new ArrayList<>();
            List<String> ruleMessages = new ArrayList<>();
            Set<String> seenRules = new HashSet<>();
            for (int i = 0; i < claimRules.size(); i++) {
                String rp = "claimValidationRules[" + (requiredClaims.size() + i) + "].expression";
                String expr = claimRules.get(i)[0];
                if (!seenRules.add(expr)) {
                    err(errors, rp, "Duplicate value: " + GoText.quote(expr));
                    continue;
                }
                CelExpressions.Compiled c = compile(errors, rp, expr, true);
                if (c != null) {
                    rulesCel.add(c);
                    ruleMessages.add(claimRules.get(i)[1]);
                }
            }
            if (userCel != null && userCel.selectedFields().contains("email")
                    && !usesEmailVerified(userCel, extraCel.values(), rulesCel)) {
                err(errors, "claimMappings.username.expression", "Invalid value: " + GoText.quote(usernameExpression)
                        + ": claims.email_verified must be used in claimMappings.username.expression or "
                        + "claimMappings.extra[*].valueExpression or claimValidationRules[*].expression when "
                        + "claims.email is used in claimMappings.username.expression");
            }
            List<CelExpressions.Compiled> userCelRules = new ArrayList<>();
            List<String> userMessages = new ArrayList<>();
            Set<String> seenUserRules = new HashSet<>();
            for (int i = 0; i < userRules.size(); i++) {
                String up = "userValidationRules[" + i + "].expression";
                String expr = userRules.get(i)[0];
                if (blank(expr)) {
                    err(errors, up, "Required value: expression is required");
                } else if (!seenUserRules.add(expr)) {
                    err(errors, up, "Duplicate value: " + GoText.quote(expr));
                } else {
                    try {
                        userCelRules.add(CelExpressions.compileUser(expr));
                        userMessages.add(userRules.get(i)[1]);
                    } catch (CelExpressions.InvalidExpression e) {
                        err(errors, up, "Invalid value: " + GoText.quote(expr) + ": " + e.getMessage());
                    }
                }
            }
            CelMappings cel = new CelMappings(userCel, groupsCel, uidCel, Map.copyOf(extraCel), List.copyOf(rulesCel),
                    List.copyOf(ruleMessages), List.copyOf(userCelRules), List.copyOf(userMessages));
            Set<JwtAlgorithm> algs = EnumSet.noneOf(JwtAlgorithm.class);
            for (String name : signingAlgorithms) {
                JwtAlgorithm a = JwtAlgorithm.fromName(name);
                if (a == null) {
                    errors.add(new String[] {"signingAlgorithms", "oidc: unsupported signing alg: " + GoText.quote(name)});
                } else {
                    algs.add(a);
                }
            }
            if (signingAlgorithms.isEmpty()) {
                errors.add(new String[] {"signingAlgorithms", "oidc: no signing algorithms configured"});
            }
            if (!staticKeys.isEmpty() && discoveryUrl != null && !discoveryUrl.isEmpty()) {
                errors.add(new String[] {"issuer.discoveryURL", "oidc: KeySet and DiscoveryURL are mutually exclusive"});
            }
            List<Certificate> ca = List.of();
            if (certificateAuthority != null && !certificateAuthority.isBlank()) {
                try {
                    ca = List.copyOf(PemCertificates.parse(certificateAuthority));
                } catch (IllegalArgumentException e) {
                    err(errors, "issuer.certificateAuthority", "Invalid value: \"<omitted>\": no valid PEM certificates");
                }
            }
            VerificationKeySet keys = null;
            if (!staticKeys.isEmpty()) {
                List<VerificationKey> list = new ArrayList<>();
                staticKeys.forEach((kid, key) -> {
                    try {
                        list.add(VerificationKey.of(kid, key));
                    } catch (IllegalArgumentException e) {
                        errors.add(new String[] {"keys", "key " + kid + ": " + e.getMessage()});
                    }
                });
                keys = VerificationKeySet.of(list);
            }
            if (!errors.isEmpty()) {
                List<String> messages = new ArrayList<>();
                for (String[] e : errors) {
                    messages.add(e[1]);
                }
                String problem = messages.size() == 1 ? messages.get(0) : "[" + String.join(", ", messages) + "]";
                throw new ConfigurationException(source, fieldPrefix.isEmpty() ? null : fieldPrefix.substring(0, fieldPrefix.length() - 1),
                        errors.get(0)[0], problem, null);
            }
            return new JwtIssuer(this, ca, algs, keys, cel);
        }

        /**
         * Kubernetes' email rule: a username expression that reads {@code claims.email} must be accompanied by a read
         * of {@code claims.email_verified} in the username expression, an extra value expression or a claim rule;
         * only expressions that compiled count.
         */
        private static boolean usesEmailVerified(CelExpressions.Compiled username,
                                                 Collection<CelExpressions.Compiled> extras,
                                                 List<CelExpressions.Compiled> rules) {
            List<CelExpressions.Compiled> all = new ArrayList<>();
            all.add(username);
            all.addAll(extras);
            all.addAll(rules);
            for (CelExpressions.Compiled c : all) {
                if (c != null && c.selectedFields().contains("email_verified")) {
                    return true;
                }
            }
            return false;
        }

        /** Kubernetes' PrefixedClaimOrExpression rules for username (required) and groups. */
        private CelExpressions.Compiled prefixed(List<String[]> errors, String name, String claim, String prefix,
                                                 String expression, boolean required) {
            String path = "claimMappings." + name;
            if (!blank(claim) && !blank(expression)) {
                err(errors, path, "Invalid value: \"\": claim and expression can't both be set");
                return null;
            }
            if (!blank(expression)) {
                if (prefix != null) {
                    err(errors, path + ".prefix", "Invalid value: " + GoText.quote(prefix)
                            + ": may not be specified when expression is set");
                }
                return compile(errors, path + ".expression", expression, false);
            }
            if (blank(claim)) {
                if (required) {
                    err(errors, path, "Required value: claim or expression is required");
                }
            } else if (prefix == null) {
                err(errors, path + ".prefix", "Required value: prefix is required when claim is set. "
                        + "It can be set to an empty string to disable prefixing");
            }
            return null;
        }

        private CelExpressions.Compiled compile(List<String[]> errors, String path, String expression, boolean bool) {
            try {
                return CelExpressions.compileClaims(expression, bool);
            } catch (CelExpressions.InvalidExpression e) {
                err(errors, path, "Invalid value: " + GoText.quote(expression) + ": " + e.getMessage());
                return null;
            }
        }

        private static boolean blank(String s) {
            return s == null || s.isEmpty();
        }

        private void validateUrl(List<String[]> errors, String field, String value) {
            if (value == null || value.isEmpty()) {
                err(errors, field, "Required value: URL is required");
                return;
            }
            URI u;
            try {
                u = new URI(value);
            } catch (URISyntaxException e) {
                err(errors, field, "Invalid value: " + GoText.quote(value) + ": " + e.getReason());
                return;
            }
            String bad = null;
            if (!"https".equals(u.getScheme())) {
                bad = "URL scheme must be https";
            } else if (u.getRawUserInfo() != null) {
                bad = "URL must not contain a username or password";
            } else if (u.getRawQuery() != null) {
                bad = "URL must not contain a query";
            } else if (u.getRawFragment() != null) {
                bad = "URL must not contain a fragment";
            }
            if (bad != null) {
                err(errors, field, "Invalid value: " + GoText.quote(value) + ": " + bad);
            }
        }

        private void err(List<String[]> errors, String field, String detail) {
            String path = fieldPrefix + field;
            errors.add(new String[] {path, path + ": " + detail});
        }
    }

    static String trimSlash(String s) {
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }
}
