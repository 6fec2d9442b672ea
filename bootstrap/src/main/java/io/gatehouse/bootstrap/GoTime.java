package io.gatehouse.bootstrap;

import io.gatehouse.core.internal.GoText;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/**
 * Go's {@code time.Parse(time.RFC3339, s)} and {@code t.UTC().Format(time.RFC3339)}, because Java's ISO parsers
 * accept forms Go refuses (a missing seconds field, lower-case {@code z}) and a bootstrap token's validity depends
 * on which expirations parse: Kubernetes treats an unparseable one as expired.
 *
 * <p>Accepted: {@code YYYY-MM-DDTHH:MM:SS}, an optional fraction after {@code .} or {@code ,}, then {@code Z} or
 * {@code ±hh:mm}. Where Go's strict RFC 3339 path fails it falls back to its generic layout parser, which also
 * takes a one-digit hour, a comma before the fraction and offsets up to {@code 24:60}; so does this.
 */
final class GoTime {

    static final String RFC3339_LAYOUT = "2006-01-02T15:04:05Z07:00";
    private static final DateTimeFormatter FORMAT = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ssXXX");

    private GoTime() {
    }

    /**
     * Parses an RFC 3339 time as Go does.
     *
     * @throws IllegalArgumentException with a Go-like message ({@code parsing time "x" as "2006-01-02T15:04:05Z07:00"})
     *                                  when {@code s} does not parse
     */
    static Instant parseRfc3339(String s) {
        Instant t = parseOrNull(s);
        if (t == null) {
            throw new IllegalArgumentException("parsing time " + GoText.quote(s) + " as \"" + RFC3339_LAYOUT
                    + "\": cannot parse");
        }
        return t;
    }

    /** Go's {@code Format(time.RFC3339)} of {@code t} in UTC: whole seconds, {@code Z}. */
    static String formatRfc3339(Instant t) {
        return FORMAT.format(t.truncatedTo(ChronoUnit.SECONDS).atOffset(ZoneOffset.UTC));
    }

    private static Instant parseOrNull(String s) {
        int[] at = {0};
        int year = digits(s, at, 4, 4);
        if (year < 0 || !expect(s, at, '-')) {
            return null;
        }
        int month = digits(s, at, 2, 2);
        if (month < 1 || month > 12 || !expect(s, at, '-')) {
            return null;
        }
        int day = digits(s, at, 2, 2);
        if (day < 1 || !expect(s, at, 'T')) {
            return null;
        }
        int hour = digits(s, at, 1, 2);
        if (hour < 0 || hour > 23 || !expect(s, at, ':')) {
            return null;
        }
        int minute = digits(s, at, 2, 2);
        if (minute < 0 || minute > 59 || !expect(s, at, ':')) {
            return null;
        }
        int second = digits(s, at, 2, 2);
        if (second < 0 || second > 59) {
            return null;
        }
        int nanos = 0;
        if (at[0] + 1 < s.length() && (s.charAt(at[0]) == '.' || s.charAt(at[0]) == ',')
                && isDigit(s.charAt(at[0] + 1))) {
            at[0]++;
            int n = 0;
            int scale = 100_000_000;
            while (at[0] < s.length() && isDigit(s.charAt(at[0]))) {
                // Go keeps nine digits and ignores the rest.
                n += (s.charAt(at[0]) - '0') * scale;
                scale /= 10;
                at[0]++;
            }
            nanos = n;
        }
        int offsetSeconds;
        if (at[0] == s.length() - 1 && s.charAt(at[0]) == 'Z') {
            offsetSeconds = 0;
        } else if (at[0] == s.length() - 6 && (s.charAt(at[0]) == '+' || s.charAt(at[0]) == '-')) {
            int sign = s.charAt(at[0]) == '-' ? -1 : 1;
            at[0]++;
            int oh = digits(s, at, 2, 2);
            // Go's generic parser allows offsets up to 24:60 ("some people do write offsets of 24 hours").
            if (oh < 0 || oh > 24 || !expect(s, at, ':')) {
                return null;
            }
            int om = digits(s, at, 2, 2);
            if (om < 0 || om > 60) {
                return null;
            }
            offsetSeconds = sign * (oh * 3600 + om * 60);
        } else {
            return null;
        }
        try {
            // LocalDateTime.of checks the day against the month (and leap years), as Go's daysIn does.
            LocalDateTime local = LocalDateTime.of(year, month, day, hour, minute, second, nanos);
            return local.toInstant(ZoneOffset.UTC).minusSeconds(offsetSeconds);
        } catch (DateTimeException e) {
            return null;
        }
    }

    /** Reads {@code min..max} ASCII digits at {@code at[0]}; -1 when there are fewer than {@code min}. */
    private static int digits(String s, int[] at, int min, int max) {
        int value = 0;
        int n = 0;
        while (n < max && at[0] < s.length() && isDigit(s.charAt(at[0]))) {
            value = value * 10 + (s.charAt(at[0]) - '0');
            at[0]++;
            n++;
        }
        return n < min ? -1 : value;
    }

    private static boolean expect(String s, int[] at, char c) {
        if (at[0] < s.length() && s.charAt(at[0]) == c) {
            at[0]++;
            return true;
        }
        return false;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
