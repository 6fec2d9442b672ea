package io.gatehouse.oidc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gatehouse.core.ConfigurationException;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Kubernetes' AuthenticationConfiguration file: v1 and v1beta1, validation messages, CEL compiled at load. */
class AuthenticationConfigurationTest {

    static final String ENTRY = """
            - issuer:
                url: https://auth.example.com
                audiences: [my-client, other]
                audienceMatchPolicy: MatchAny
              claimValidationRules:
              - claim: hd
                requiredValue: example.com
              claimMappings:
                username: {claim: email, prefix: ""}
                groups: {claim: groups, prefix: "oidc:"}
                uid: {claim: sub}
            """;

    static String file(String version, String jwt) {
        return "apiVersion: apiserver.config.k8s.io/" + version + "\nkind: AuthenticationConfiguration\njwt:\n" + jwt;
    }

    static String message(String yaml) {
        return assertThrows(ConfigurationException.class, () -> AuthenticationConfiguration.parse(yaml, "auth.yaml")).getMessage();
    }

    @ParameterizedTest
    @ValueSource(strings = {"v1", "v1beta1", "v1alpha1"})
    void readsEveryServedVersion(String version) {
        List<JwtIssuer> issuers = AuthenticationConfiguration.parse(file(version, ENTRY), "auth.yaml");
        assertEquals(1, issuers.size());
        JwtIssuer i = issuers.get(0);
        assertEquals("https://auth.example.com", i.url());
        assertEquals(List.of("my-client", "other"), i.audiences());
        assertEquals("email", i.usernameClaim());
        assertEquals("", i.usernamePrefix());
        assertEquals("oidc:", i.groupsPrefix());
        assertEquals("sub", i.uidClaim());
        assertEquals(List.of(new JwtIssuer.RequiredClaim("hd", "example.com")), i.requiredClaims());
        assertEquals(9, i.signingAlgorithms().size(), "the config file allows RS/ES/PS 256/384/512");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "claim rule not bool | claimValidationRules: [{expression: 'claims.hd', message: m}] | jwt[0].claimValidationRules[0].expression: Invalid value: \"claims.hd\": must evaluate to bool",
        "claim rule with requiredValue | claimValidationRules: [{expression: 'true', requiredValue: x}] | jwt[0].claimValidationRules[0].requiredValue: Invalid value: \"x\": may not be specified when expression is set",
        "username wrong variable | claimMappings: {username: {expression: 'user.username'}} | jwt[0].claimMappings.username.expression: Invalid value: \"user.username\": compilation failed: ERROR: <input>:1:1: undeclared reference to 'user' (in container '')",
        "username prefix with expression | claimMappings: {username: {expression: 'claims.sub', prefix: ''}} | jwt[0].claimMappings.username.prefix: Invalid value: \"\": may not be specified when expression is set",
        "groups claim and expression | claimMappings: {username: {claim: sub, prefix: ''}, groups: {claim: g, expression: 'claims.g'}} | jwt[0].claimMappings.groups: Invalid value: \"\": claim and expression can't both be set",
        "uid claim and expression | claimMappings: {username: {claim: sub, prefix: ''}, uid: {claim: sub, expression: 'claims.sub'}} | jwt[0].claimMappings.uid: Invalid value: \"\": claim and expression can't both be set",
        "extra without domain | claimMappings: {username: {claim: sub, prefix: ''}, extra: [{key: foo, valueExpression: 'claims.a'}]} | jwt[0].claimMappings.extra[0].key: Invalid value: \"foo\": must be a domain-prefixed path (such as \"acme.io/foo\")",
        "extra duplicate | claimMappings: {username: {claim: sub, prefix: ''}, extra: [{key: a.io/b, valueExpression: 'claims.a'}, {key: a.io/b, valueExpression: 'claims.b'}]} | jwt[0].claimMappings.extra[1].key: Duplicate value: \"a.io/b\"",
        "extra empty expression | claimMappings: {username: {claim: sub, prefix: ''}, extra: [{key: a.io/b}]} | jwt[0].claimMappings.extra[0].valueExpression: Required value: valueExpression is required",
        "user rule over claims | userValidationRules: [{expression: 'claims.sub == \"\"', message: m}] | jwt[0].userValidationRules[0].expression: Invalid value: \"claims.sub == \\\"\\\"\": compilation failed: ERROR: <input>:1:1: undeclared reference to 'claims' (in container '')",
        "user rule unknown field | userValidationRules: [{expression: 'user.unknown == \"\"', message: m}] | jwt[0].userValidationRules[0].expression: Invalid value: \"user.unknown == \\\"\\\"\": compilation failed: ERROR: <input>:1:5: undefined field 'unknown'",
        "user rule not bool | userValidationRules: [{expression: 'user.username', message: m}] | jwt[0].userValidationRules[0].expression: Invalid value: \"user.username\": must evaluate to bool",
        "user rule duplicate | userValidationRules: [{expression: 'true'}, {expression: 'true'}] | jwt[0].userValidationRules[1].expression: Duplicate value: \"true\""})
    void celIsValidatedAtLoadNamingTheFileAndField(String name, String yaml, String expected) {
        String entry = "- issuer: {url: https://auth.example.com, audiences: [a]}\n  " + yaml + "\n"
                + (yaml.startsWith("claimMappings") ? "" : "  claimMappings: {username: {claim: sub, prefix: ''}}\n");
        String m = message(file("v1", entry));
        // A compile error continues, as cel-go's, with the source line and a caret line.
        assertTrue(m.contains(expected), m);
        assertTrue(m.startsWith("auth.yaml"), m);
    }

    @Test
    void celExpressionsLoad() {
        List<JwtIssuer> issuers = AuthenticationConfiguration.parse(file("v1", """
                - issuer: {url: https://auth.example.com, audiences: [a]}
                  claimValidationRules:
                  - expression: 'claims.exp - claims.nbf <= 86400'
                    message: total token lifetime must not exceed 24 hours
                  claimMappings:
                    username: {expression: '"oidc:" + claims.sub'}
                    groups: {expression: 'claims.?realm_access.roles.orValue([])'}
                    uid: {expression: 'claims.sub'}
                    extra:
                    - key: example.org/tenant
                      valueExpression: 'claims.?tenant.orValue("")'
                """), "auth.yaml");
        assertEquals(1, issuers.size());
        assertTrue(issuers.get(0).cel().any());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "not https | {url: http://auth.example.com, audiences: [a]} | jwt[0].issuer.url: Invalid value: \"http://auth.example.com\": URL scheme must be https",
        "userinfo | {url: 'https://u:p@auth.example.com', audiences: [a]} | jwt[0].issuer.url: Invalid value: \"https://u:p@auth.example.com\": URL must not contain a username or password",
        "query | {url: 'https://auth.example.com?x=1', audiences: [a]} | jwt[0].issuer.url: Invalid value: \"https://auth.example.com?x=1\": URL must not contain a query",
        "fragment | {url: 'https://auth.example.com#f', audiences: [a]} | jwt[0].issuer.url: Invalid value: \"https://auth.example.com#f\": URL must not contain a fragment",
        "discovery same | {url: https://auth.example.com, discoveryURL: https://auth.example.com/, audiences: [a]} | jwt[0].issuer.discoveryURL: Invalid value: \"https://auth.example.com/\": discoveryURL must be different from URL",
        "no audience | {url: https://auth.example.com} | jwt[0].issuer.audiences: Required value: at least one issuer.audiences is required",
        "policy multi | {url: https://auth.example.com, audiences: [a, b]} | jwt[0].issuer.audienceMatchPolicy: Invalid value: \"\": audienceMatchPolicy must be MatchAny for multiple audiences",
        "policy single | {url: https://auth.example.com, audiences: [a], audienceMatchPolicy: MatchAll} | jwt[0].issuer.audienceMatchPolicy: Invalid value: \"MatchAll\": audienceMatchPolicy must be empty or MatchAny for single audience",
        "duplicate audience | {url: https://auth.example.com, audiences: [a, a], audienceMatchPolicy: MatchAny} | jwt[0].issuer.audiences[1]: Duplicate value: \"a\"",
        "egress | {url: https://auth.example.com, audiences: [a], egressSelectorType: etcd} | jwt[0].issuer.egressSelectorType: Invalid value: \"etcd\": egress selector must be either controlplane or cluster",
        "unknown field | {url: https://auth.example.com, audiences: [a], color: red} | jwt[0].issuer.color: unknown field \"color\""})
    void issuerValidation(String name, String issuer, String expected) {
        String m = message(file("v1", "- issuer: " + issuer + "\n  claimMappings: {username: {claim: sub, prefix: ''}}\n"));
        assertTrue(m.endsWith(expected), m);
    }

    @Test
    void mappingAndRuleValidation() {
        String base = "- issuer: {url: https://auth.example.com, audiences: [a]}\n";
        assertTrue(message(file("v1", base + "  claimMappings: {username: {claim: sub}}\n")).endsWith(
                "jwt[0].claimMappings.username.prefix: Required value: prefix is required when claim is set. "
                        + "It can be set to an empty string to disable prefixing"));
        assertTrue(message(file("v1", base + "  claimMappings: {}\n")).endsWith(
                "jwt[0].claimMappings.username: Required value: claim or expression is required"));
        assertTrue(message(file("v1", base + "  claimMappings: {username: {claim: sub, prefix: ''}}\n"
                + "  claimValidationRules: [{claim: hd, requiredValue: a}, {claim: hd, requiredValue: b}]\n")).endsWith(
                "jwt[0].claimValidationRules[1].claim: Duplicate value: \"hd\""));
        assertTrue(message(file("v1", base + "  claimMappings: {username: {claim: sub, prefix: ''}}\n"
                + "  claimValidationRules: [{claim: hd, expression: 'true'}]\n")).endsWith(
                "jwt[0].claimValidationRules[0]: Invalid value: \"\": claim and expression can't both be set"));
        String dup = base + "  claimMappings: {username: {claim: sub, prefix: ''}}\n";
        String m = assertThrows(ConfigurationException.class, () -> OidcAuthenticator.builder()
                .issuers(AuthenticationConfiguration.parse(file("v1", dup + dup), "auth.yaml")).build()).getMessage();
        assertTrue(m.endsWith("jwt[1].issuer.url: Duplicate value: \"https://auth.example.com\""), m);
    }

    @Test
    void anonymousConditionsAreReadForTheChain(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path f = java.nio.file.Files.writeString(dir.resolve("auth.yaml"), file("v1", ENTRY)
                + "anonymous:\n  enabled: true\n  conditions:\n  - path: /livez\n  - path: /readyz\n");
        assertEquals(java.util.Optional.of(new AuthenticationConfiguration.Anonymous(true, List.of("/livez", "/readyz"))),
                AuthenticationConfiguration.anonymous(f));
        assertEquals(1, AuthenticationConfiguration.load(f).size());
        java.nio.file.Path none = java.nio.file.Files.writeString(dir.resolve("none.yaml"), file("v1", ENTRY));
        assertEquals(java.util.Optional.empty(), AuthenticationConfiguration.anonymous(none));
    }

    @Test
    void documentLevelErrors() {
        assertTrue(message("apiVersion: v1\nkind: AuthenticationConfiguration\n").contains("apiVersion: Invalid value: \"v1\""));
        assertTrue(message("apiVersion: apiserver.config.k8s.io/v1\nkind: Config\n").contains("must be AuthenticationConfiguration"));
        assertTrue(message("apiVersion: apiserver.config.k8s.io/v1\nkind: AuthenticationConfiguration\njwt: []\n"
                + "anonymous: {enabled: false, conditions: [{path: /livez}]}\n").endsWith(
                "anonymous.conditions: Invalid value: [/livez]: enabled should be set to true when conditions are defined"));
        assertTrue(message(file("v1", "- issuer: {url: https://a.example.com, audiences: [a]}\n  claimMappings: {username: {claim: sub, prefix: ''}}\n".repeat(65)))
                .contains("jwt: Too many: 65: must have at most 64 items"));
    }
}
