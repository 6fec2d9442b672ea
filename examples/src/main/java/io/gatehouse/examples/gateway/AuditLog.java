package io.gatehouse.examples.gateway;

import io.gatehouse.core.AuthenticationResult.Authenticated;
import io.gatehouse.core.AuthenticationResult.Rejected;
import io.gatehouse.core.AuthenticationResult;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One JSON line per authentication decision: time, source, request line, outcome, user, groups, reason
 * and the credential's fingerprint. Never the credential itself. Thread-safe.
 */
final class AuditLog implements Closeable {

    private final Writer out;
    private final Clock clock;

    private AuditLog(Writer out, Clock clock) {
        this.out = out;
        this.clock = clock;
    }

    /** An audit log at {@code path} (appended to), on standard output for {@code -}, or none for null. */
    static AuditLog open(String path, Clock clock) throws IOException {
        if (path == null) {
            return new AuditLog(null, clock);
        }
        if (path.equals("-")) {
            return new AuditLog(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), clock);
        }
        return new AuditLog(Files.newBufferedWriter(Path.of(path), StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND), clock);
    }

    void record(String sourceIp, String method, String path, AuthenticationResult verdict, String credential) {
        if (out == null) {
            return;
        }
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("time", clock.instant().toString());
        line.put("sourceIP", sourceIp);
        line.put("verb", method);
        line.put("path", path);
        if (verdict instanceof Authenticated a) {
            line.put("outcome", a.user().name().equals("system:anonymous") ? "anonymous" : "authenticated");
            line.put("user", a.user().name());
            line.put("uid", a.user().uid());
            line.put("groups", a.user().groups());
        } else if (verdict instanceof Rejected r) {
            line.put("outcome", "rejected");
            line.put("reason", r.reason().name());
            line.put("message", r.message());
        } else {
            line.put("outcome", "unauthenticated");
        }
        line.put("credential", credential);
        String text = WireJson.write(line);
        synchronized (this) {
            try {
                out.write(text);
                out.write('\n');
                out.flush();
            } catch (IOException e) {
                System.err.println("gateway: cannot write the audit log: " + e.getMessage());
            }
        }
    }

    @Override
    public void close() throws IOException {
        if (out != null && !(out instanceof OutputStreamWriter)) {
            out.close();
        }
    }

}
