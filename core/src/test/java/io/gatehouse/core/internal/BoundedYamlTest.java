package io.gatehouse.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gatehouse.core.ConfigurationException;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

/** YAML limits: aliases, depth, size, duplicate keys; hostile input gives one clear error, never a crash. */
class BoundedYamlTest {

    @Test
    void plainDocumentsLoad() {
        assertEquals(Map.of("a", List.of(1, "two", true)), BoundedYaml.load("a: [1, two, true]\n", "t.yaml"));
        assertEquals(2, BoundedYaml.loadAll("a: 1\n---\n---\nb: 2\n", "t.yaml").size());
    }

    @Test
    void billionLaughsIsRefused() {
        StringBuilder y = new StringBuilder("a: &a [x, x, x, x, x, x, x, x, x]\n");
        char prev = 'a';
        for (char c = 'b'; c <= 'k'; c++) {
            y.append(c).append(": &").append(c).append(" [");
            for (int i = 0; i < 9; i++) {
                y.append(i == 0 ? "" : ", ").append('*').append(prev);
            }
            y.append("]\n");
            prev = c;
        }
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> BoundedYaml.load(y.toString(), "bomb.yaml"));
        assertTrue(e.getMessage().startsWith("bomb.yaml: "), e.getMessage());
    }

    @Test
    void deepNestingIsRefused() {
        String deep = "[".repeat(10_000) + "]".repeat(10_000);
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> BoundedYaml.load(deep, "deep.yaml"));
        assertTrue(e.getMessage().contains("nested deeper than 64"), e.getMessage());
        assertEquals(List.of(List.of()), BoundedYaml.load("[[]]", "ok.yaml"));
    }

    @Test
    void hugeInputIsRefused() {
        String huge = "a: " + "x".repeat(BoundedYaml.MAX_CODE_POINTS + 1);
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> BoundedYaml.load(huge, "huge.yaml"));
        assertTrue(e.getMessage().contains("larger than"), e.getMessage());
    }

    @Test
    void duplicateKeysAreRefused() {
        assertThrows(ConfigurationException.class, () -> BoundedYaml.load("a: 1\na: 2\n", "dup.yaml"));
    }

    @Test
    void objectTagsAreNotInstantiated() {
        assertThrows(ConfigurationException.class,
                () -> BoundedYaml.load("!!java.net.URL [http://example.com]\n", "tag.yaml"));
    }

    @Property(tries = 300)
    void anyTextGivesADocumentOrOneConfigurationError(@ForAll @StringLength(max = 200) String text) {
        try {
            BoundedYaml.loadAll(text, "fuzz.yaml");
        } catch (ConfigurationException e) {
            assertTrue(e.getMessage().startsWith("fuzz.yaml: "), e.getMessage());
        }
    }

    @Property(tries = 300)
    void yamlishTextGivesADocumentOrOneConfigurationError(@ForAll("yamlish") String text) {
        try {
            BoundedYaml.loadAll(text, "fuzz.yaml");
        } catch (ConfigurationException e) {
            assertTrue(e.getMessage().startsWith("fuzz.yaml: "), e.getMessage());
        }
    }

    @net.jqwik.api.Provide
    net.jqwik.api.Arbitrary<String> yamlish() {
        return Arbitraries.strings().withChars("ab:-[]{}&*!|>'\"#,? \n\t%@`").ofMaxLength(80);
    }
}
