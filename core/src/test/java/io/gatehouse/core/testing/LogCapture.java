package io.gatehouse.core.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Every line any test logs through SLF4J, and the secrets tests declared. {@link NoSecretsInLogsExtension}
 * fails a test whose logs contain a declared secret, a JWT or PEM private-key material.
 */
public final class LogCapture {

    // Appended under its own lock, not copy-on-write: a copy of every line at every log call made a request that
    // logs cost O(lines logged so far) in the suite, which a property test measuring work rightly flagged.
    private static final List<String> LINES = new ArrayList<>();
    private static final Set<String> SECRETS = ConcurrentHashMap.newKeySet();
    /** Anything shaped like a JWS/JWT (base64url JSON header and payload). */
    static final Pattern JWT = Pattern.compile("eyJ[A-Za-z0-9_-]{8,}\\.eyJ[A-Za-z0-9_-]{8,}");
    static final Pattern PRIVATE_KEY = Pattern.compile("PRIVATE KEY-----|MII[EJ][A-Za-z0-9+/]{40,}");

    private LogCapture() {
    }

    /** Declares {@code secret} (a token, a token secret, a password): no log line may contain it. */
    public static String secret(String secret) {
        if (secret.length() >= 6) {
            SECRETS.add(secret);
        }
        return secret;
    }

    /** A copy of the lines logged so far. */
    public static List<String> lines() {
        synchronized (LINES) {
            return new ArrayList<>(LINES);
        }
    }

    /** How many lines have been logged so far; a mark for {@link #linesSince(int)}. */
    public static int mark() {
        synchronized (LINES) {
            return LINES.size();
        }
    }

    /** Lines logged after {@code mark}. */
    public static List<String> linesSince(int mark) {
        synchronized (LINES) {
            return mark >= LINES.size() ? List.of() : new ArrayList<>(LINES.subList(mark, LINES.size()));
        }
    }

    static void record(String line) {
        synchronized (LINES) {
            LINES.add(line);
        }
    }

    /** Describes the first leak in {@code lines}, or null. */
    static String findLeak(List<String> lines) {
        for (String line : lines) {
            for (String s : SECRETS) {
                if (line.contains(s)) {
                    return "a declared secret (" + s.length() + " chars) was logged: " + redact(line, s);
                }
            }
            if (JWT.matcher(line).find()) {
                return "a JWT was logged: " + JWT.matcher(line).replaceAll("<JWT>");
            }
            if (PRIVATE_KEY.matcher(line).find()) {
                return "private key material was logged";
            }
        }
        return null;
    }

    private static String redact(String line, String secret) {
        return line.replace(secret, "<SECRET>");
    }
}
