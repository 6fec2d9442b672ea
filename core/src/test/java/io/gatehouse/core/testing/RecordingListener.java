package io.gatehouse.core.testing;

import io.gatehouse.core.AuthenticationListener;
import io.gatehouse.core.AuthenticationResult.Rejected;
import io.gatehouse.core.UserInfo;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Records every event as a line of text, for assertions. Thread-safe. */
public final class RecordingListener implements AuthenticationListener {

    private final List<String> events = new CopyOnWriteArrayList<>();

    public List<String> events() {
        return List.copyOf(events);
    }

    /** Events whose text starts with {@code prefix}. */
    public List<String> eventsStartingWith(String prefix) {
        return events.stream().filter(e -> e.startsWith(prefix)).toList();
    }

    public void clear() {
        events.clear();
    }

    @Override
    public void authenticated(UserInfo user, Duration latency) {
        events.add("authenticated " + user.name());
    }

    @Override
    public void rejected(Rejected rejection, Duration latency) {
        events.add("rejected " + rejection.reason() + " " + rejection.message());
    }

    @Override
    public void abstained(Duration latency) {
        events.add("abstained");
    }

    @Override
    public void cacheHit(String fingerprint) {
        events.add("cacheHit " + fingerprint);
    }

    @Override
    public void cacheMiss(String fingerprint) {
        events.add("cacheMiss " + fingerprint);
    }

    @Override
    public void reloaded(String source, String summary) {
        events.add("reloaded " + source + " " + summary);
    }

    @Override
    public void reloadFailed(String source, String error) {
        events.add("reloadFailed " + source + " " + error);
    }

    @Override
    public void keysRefreshed(String source, int keyCount) {
        events.add("keysRefreshed " + source + " " + keyCount);
    }

    @Override
    public void keyRefreshFailed(String source, String error) {
        events.add("keyRefreshFailed " + source + " " + error);
    }

    @Override
    public void warning(String source, String message) {
        events.add("warning " + source + " " + message);
    }
}
