package io.gatehouse.core.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gatehouse.core.ConfigurationException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Typed settings with errors that name the setting, Go durations, and unknown-setting tracking. */
class ProviderSettingsTest {

    private static ProviderSettings settings(Map<String, ?> values) {
        return ProviderSettings.of("f.yaml", "authenticators[0] (t)", Path.of("."), values);
    }

    @ParameterizedTest
    @CsvSource({"10s, PT10S", "1m30s, PT1M30S", "500ms, PT0.5S", "1.5h, PT1H30M", "0, PT0S", "2us, PT0.000002S", "0s, PT0S"})
    void goDurations(String text, String expected) {
        assertEquals(Optional.of(Duration.parse(expected)), ProviderSettings.parseDuration(text));
    }

    @ParameterizedTest
    @CsvSource({"10", "s", "1x", "-1s", "1s2", "' 1s'", "''"})
    void notDurations(String text) {
        assertEquals(Optional.empty(), ProviderSettings.parseDuration(text));
    }

    @Test
    void typeErrorsNameTheSetting() {
        ProviderSettings s = settings(Map.of("n", "x", "b", 1, "l", List.of("a", 2), "s", List.of()));
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> s.number("n", 0));
        assertEquals("f.yaml: authenticators[0] (t): setting 'n': must be a whole number, found a string", e.getMessage());
        assertThrows(ConfigurationException.class, () -> s.bool("b", false));
        assertEquals("l[1]", assertThrows(ConfigurationException.class, () -> s.stringList("l")).setting());
        assertEquals("s", assertThrows(ConfigurationException.class, () -> s.string("s")).setting());
        assertEquals("missing", assertThrows(ConfigurationException.class, () -> s.string("missing")).setting());
        assertTrue(assertThrows(ConfigurationException.class, () -> s.path("missing")).getMessage().endsWith("is required"));
    }

    @Test
    void pathsResolveAgainstTheBaseDirectoryAndMustExist() {
        ProviderSettings s = ProviderSettings.of("f.yaml", "e", Path.of("/"), Map.of("p", "etc", "q", "no/such/thing"));
        assertEquals(Path.of("/etc"), s.path("p"));
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> s.path("q"));
        assertTrue(e.getMessage().contains("no such file or directory: /no/such/thing"), e.getMessage());
    }

    @Test
    void unreadSettingsAreTracked() {
        ProviderSettings s = settings(Map.of("a", "1", "b", "2"));
        s.optionalString("a");
        s.optionalString("c");
        assertEquals(Set.of("b"), s.unread());
    }
}
