package io.gatehouse.bootstrap;

import io.gatehouse.core.internal.GoText;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Go's {@code time.Parse(time.RFC3339, ...)}: what parses decides whether a bootstrap token is alive, since
 * Kubernetes treats an unparseable expiration as expired.
 */
class GoTimeTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "2009-11-10T23:00:00Z, 2009-11-10T23:00:00Z",
            "2109-11-10T23:00:00Z, 2109-11-10T23:00:00Z",
            "2026-01-01T02:00:00+01:00, 2026-01-01T01:00:00Z",
            "2026-01-01T00:00:00-05:30, 2026-01-01T05:30:00Z",
            "2026-01-01T00:00:00.5Z, 2026-01-01T00:00:00.500Z",
            "'2026-01-01T00:00:00,25Z', 2026-01-01T00:00:00.250Z",
            "2026-01-01T00:00:00.1234567891Z, 2026-01-01T00:00:00.123456789Z",
            "2026-01-01T3:04:05Z, 2026-01-01T03:04:05Z",
            "2024-02-29T00:00:00Z, 2024-02-29T00:00:00Z",
            "2009-11-10T23:00:00+24:00, 2009-11-09T23:00:00Z"})
    void parsesWhatGoParses(String text, String instant) {
        assertEquals(Instant.parse(instant), GoTime.parseRfc3339(text));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"", "tomorrow", "2009-11-10", "2009-11-10T23:00Z", "2009-11-10T23:00:00",
            "2009-11-10t23:00:00Z", "2009-11-10T23:00:00z", "2009-11-10 23:00:00Z", "2009-11-10T24:00:00Z",
            "2009-11-10T23:60:00Z", "2009-11-10T23:00:60Z", "2009-13-10T23:00:00Z", "2009-02-30T23:00:00Z",
            "2023-02-29T00:00:00Z", "2009-11-10T23:00:00+0100", "2009-11-10T23:00:00+01", "2009-11-10T23:00:00.Z",
            "09-11-10T23:00:00Z", "2009-1-10T23:00:00Z", "2009-11-10T23:00:00Z ", " 2009-11-10T23:00:00Z",
            "2009-11-10T23:00:00+25:00", "2009-11-10T23:00:00UTC", "+2009-11-10T23:00:00Z"})
    void refusesWhatGoRefuses(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GoTime.parseRfc3339(text));
        assertEquals("parsing time " + GoText.quote(text) + " as \"2006-01-02T15:04:05Z07:00\": cannot parse",
                e.getMessage());
    }

    @Test
    void formatsWholeSecondsInUtc() {
        assertEquals("2026-01-02T03:04:05Z", GoTime.formatRfc3339(Instant.parse("2026-01-02T03:04:05.999Z")));
    }
}
