package io.gatehouse.core.testing;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The leak detector itself: it must catch what it promises to catch, or every test relying on it is hollow. */
class LogCaptureTest {

    @Test
    void findsDeclaredSecretsJwtsAndPrivateKeys() {
        LogCapture.secret("declared-secret-123");
        String leak = LogCapture.findLeak(List.of("INFO x - token declared-secret-123 refused"));
        assertNotNull(leak);
        assertTrue(!leak.contains("declared-secret-123"), "the report itself redacts the secret");
        assertNotNull(LogCapture.findLeak(List.of("eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2ln")));
        assertNotNull(LogCapture.findLeak(List.of("-----BEGIN PRIVATE KEY-----")));
        assertNull(LogCapture.findLeak(List.of("rejected token sha256:0a1b2c3d4e5f")));
    }

    @Test
    void theBindingCapturesEveryLevel() {
        int mark = LogCapture.mark();
        org.slf4j.LoggerFactory.getLogger("io.gatehouse.capture-test").trace("trace line {}", 1);
        assertTrue(LogCapture.linesSince(mark).contains("TRACE io.gatehouse.capture-test - trace line 1"), LogCapture.linesSince(mark).toString());
    }
}
