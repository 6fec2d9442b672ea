package io.gatehouse.oidc;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gatehouse.core.ConfigurationException;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Kubernetes' email rule for CEL username expressions (validation_test.go's email and email_verified variants): a
 * username expression that reads {@code claims.email} loads only when {@code claims.email_verified} is read by the
 * username expression, an extra value expression or a claim rule that compiled.
 */
class EmailVerifiedRuleTest {

    static final String MESSAGE = "claims.email_verified must be used in claimMappings.username.expression or "
            + "claimMappings.extra[*].valueExpression or claimValidationRules[*].expression when claims.email is used "
            + "in claimMappings.username.expression";

    private static String entry(String username, String extra, String rule) {
        StringBuilder y = new StringBuilder("- issuer: {url: https://auth.example.com, audiences: [a]}\n");
        if (rule != null) {
            y.append("  claimValidationRules:\n  - expression: '").append(rule).append("'\n    message: m\n");
        }
        y.append("  claimMappings:\n    username: {expression: '").append(username).append("'}\n");
        if (extra != null) {
            y.append("    extra:\n    - key: example.org/x\n      valueExpression: '").append(extra).append("'\n");
        }
        return AuthenticationConfigurationTest.file("v1", y.toString());
    }

    private static String load(String username, String extra, String rule) {
        try {
            AuthenticationConfiguration.parse(entry(username, extra, rule), "auth.yaml");
            return "loaded";
        } catch (ConfigurationException e) {
            return e.getMessage();
        }
    }

    @ParameterizedTest(name = "refused: {0}")
    @CsvSource(delimiter = '|', value = {
        "claims.email",
        "claims.email.trim()",
        "has(claims.email) ? claims.email : claims.sub",
        "[\"yay\", string(claims.email), \"panda\"].join(\" \")",
        "claims.?email.orValue(\"\")",
        "{claims.?email: \"panda\"}",
        "{\"fancy\": claims.?email}",
        "[\"a\"].map(i, i + claims.email)[0]",
    })
    void aUsernameReadingEmailAloneIsRefused(String username) {
        String m = load(username, null, null);
        assertTrue(m.contains("jwt[0].claimMappings.username.expression: Invalid value: "), m);
        assertTrue(m.endsWith(MESSAGE), m);
        assertTrue(m.startsWith("auth.yaml"), m);
    }

    @ParameterizedTest(name = "loads: {0} / extra {1} / rule {2}")
    @CsvSource(delimiter = '|', nullValues = "-", value = {
        "claims.?email_verified.orValue(true) ? claims.email : claims.sub | - | -",
        "claims.?email_verified.orValue(false) ? claims.email : claims.sub | - | -",
        "claims.email | - | has(claims.email_verified)",
        "claims.email | - | claims.?email_verified.orValue(true) == true",
        "claims.email | string(claims.email_verified) | -",
        "claims.email_ | - | -",
        "claims.other.email | - | -",
        "claims.sub | - | -",
    })
    void emailVerifiedAnywhereItCountsLetsItLoad(String username, String extra, String rule) {
        assertEquals("loaded", load(username, extra, rule));
    }

    @Test
    void anAlmostEmailVerifiedRuleDoesNotCount() {
        String m = load("claims.email", null, "has(claims.email_verified_)");
        assertTrue(m.endsWith(MESSAGE), m);
    }

    @Test
    void aRuleThatFailsToCompileCountsForNothingSoBothErrorsAreReported() {
        // Not bool, so it does not compile as a rule: it cannot vouch for the username expression.
        String m = load("claims.email", null, "claims.?email_verified.orValue(true)");
        assertTrue(m.contains("jwt[0].claimValidationRules[0].expression: Invalid value: "), m);
        assertTrue(m.contains("must evaluate to bool"), m);
        assertTrue(m.contains(MESSAGE), m);
    }

    @Test
    void aUsernameClaimOfEmailIsCheckedAtRunTimeInstead() {
        String yaml = AuthenticationConfigurationTest.file("v1", """
                - issuer: {url: https://auth.example.com, audiences: [a]}
                  claimMappings:
                    username: {claim: email, prefix: ''}
                """);
        assertDoesNotThrow(() -> AuthenticationConfiguration.parse(yaml, "auth.yaml"));
    }

    @Test
    void theWalkSeesSelectsOnTheVariableOnly() throws Exception {
        assertEquals(Set.of("email", "sub"), CelExpressions.compileClaims(
                "has(claims.email) ? claims.email : claims.sub", false).selectedFields());
        assertEquals(Set.of("other"), CelExpressions.compileClaims("claims.other.claims", false).selectedFields());
        assertEquals(Set.of("email_verified"), CelExpressions.compileClaims(
                "[1].all(x, claims.?email_verified.orValue(true))", true).selectedFields());
        assertEquals(Set.of(), CelExpressions.compileClaims("claims[\"email\"]", false).selectedFields());
        assertThrows(CelExpressions.InvalidExpression.class, () -> CelExpressions.compileClaims("claims.", false));
        assertEquals(List.of(), List.copyOf(CelExpressions.compileClaims("1 + 1", false).selectedFields()));
    }
}
