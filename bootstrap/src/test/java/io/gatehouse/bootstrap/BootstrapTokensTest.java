package io.gatehouse.bootstrap;

import io.gatehouse.core.internal.GoText;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The k8s.io/cluster-bootstrap helper tables (token/util and util/secrets tests), every row. */
class BootstrapTokensTest {

    @ParameterizedTest(name = "IsValidBootstrapToken({0}) = {1}")
    @CsvSource(delimiter = '|', value = {
            "''|false", "'.'|false", "1234567890123456789012|false", "12345.1234567890123456|false",
            ".1234567890123456|false", "123456.|false", "123456:1234567890.123456|false",
            "abcdef:1234567890123456|false", "Abcdef.1234567890123456|false", "123456.AABBCCDDEEFFGGHH|false",
            "123456.AABBCCD-EEFFGGHH|false", "abc*ef.1234567890123456|false", "ABCDEF.abcdef0123456789|false",
            "abcdef.1234567890123456|true", "123456.aabbccddeeffgghh|true", "abcdef.abcdef0123456789|true",
            "123456.1234560123456789|true"})
    void isValidBootstrapToken(String token, boolean valid) {
        assertEquals(valid, BootstrapTokens.isValidToken(token));
    }

    @Test
    void aTrailingNewlineIsNotAccepted() {
        // Go's \z, not $: "abcdef.1234567890123456\n" is not a token.
        assertEquals(false, BootstrapTokens.isValidToken("abcdef.1234567890123456\n"));
        assertEquals(false, BootstrapTokens.isValidToken("abcdef.123456789012345\n"));
    }

    @ParameterizedTest(name = "IsValidBootstrapTokenID({0}) = {1}")
    @CsvSource(delimiter = '|', value = {
            "''|false", "1234567890123456789012|false", "12345|false", "Abcdef|false", "ABCDEF|false",
            "abcdef.|false", "abcdef|true", "123456|true"})
    void isValidBootstrapTokenId(String id, boolean valid) {
        assertEquals(valid, BootstrapTokens.isValidTokenId(id));
    }

    @ParameterizedTest(name = "ValidateBootstrapGroupName({0}) valid")
    @ValueSource(strings = {"system:bootstrappers:foo", "system:bootstrappers:foo:bar:baz",
            "system:bootstrappers:foo-bar-42"})
    void validGroupNames(String group) {
        assertNull(BootstrapTokens.validateGroupName(group));
    }

    @ParameterizedTest(name = "ValidateBootstrapGroupName({0}) invalid")
    @ValueSource(strings = {"system:bootstrappers:Foo", "foo", "system:bootstrappers:", "system:bootstrappers: ",
            "system:bootstrappers:foo:", "system:bootstrappers:foo-", "system:bootstrappers:*",
            "system:bootstrappers:foo\n", "<script>alert(\"scary?!\")</script>"})
    void invalidGroupNames(String group) {
        assertEquals("bootstrap group " + GoText.quote(group) + " is invalid (must match "
                + "\\Asystem:bootstrappers:[a-z0-9:-]{0,255}[a-z0-9]\\z)", BootstrapTokens.validateGroupName(group));
    }

    @Test
    void groupSuffixLengthLimit() {
        assertNull(BootstrapTokens.validateGroupName("system:bootstrappers:" + "a".repeat(256)));
        String tooLong = "system:bootstrappers:" + "a".repeat(300);
        assertEquals("bootstrap group \"" + tooLong + "\" is invalid (must match "
                + "\\Asystem:bootstrappers:[a-z0-9:-]{0,255}[a-z0-9]\\z)", BootstrapTokens.validateGroupName(tooLong));
        assertEquals("bootstrap group \"system:bootstrappers:" + "a".repeat(257) + "\" is invalid (must match "
                + "\\Asystem:bootstrappers:[a-z0-9:-]{0,255}[a-z0-9]\\z)",
                BootstrapTokens.validateGroupName("system:bootstrappers:" + "a".repeat(257)));
    }

    @Test
    void getGroups() {
        assertEquals(List.of("system:bootstrappers"), BootstrapTokens.groups(null), "not set");
        assertEquals(List.of("system:bootstrappers"), BootstrapTokens.groups(""), "empty");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BootstrapTokens.groups("foo"));
        assertEquals("bootstrap group \"foo\" is invalid (must match "
                + "\\Asystem:bootstrappers:[a-z0-9:-]{0,255}[a-z0-9]\\z)", e.getMessage());
        assertEquals(List.of("system:bootstrappers", "system:bootstrappers:bar", "system:bootstrappers:foo"),
                BootstrapTokens.groups("system:bootstrappers:foo,system:bootstrappers:bar,system:bootstrappers:bar"));
    }

    @ParameterizedTest(name = "ParseName({0}) = {1}")
    @CsvSource(delimiter = '|', nullValues = "null", value = {
            "bootstrap-token-abc123|abc123", "''|null", "abc123|null", "bootstrap-token-|null",
            "bootstrap-token-abc|null", "bootstrap-token-abc123ghi|null", "bootstrap-token-ABC123|null"})
    void parseName(String name, String id) {
        assertEquals(id, BootstrapTokens.parseSecretName(name));
    }

    @ParameterizedTest(name = "goQuote({0})")
    @CsvSource(delimiter = '|', value = {"foo|\"foo\"", "a\"b|\"a\\\"b\"", "a\\b|\"a\\\\b\""})
    void goQuote(String in, String out) {
        assertEquals(out, GoText.quote(in));
    }

    @Test
    void goQuoteEscapesControlCharacters() {
        assertEquals("\"a\\nb\\tc\\x00\\x7f\\u200b\"", GoText.quote("a\nb\tc\u0000\u007f\u200b"));
    }
}
