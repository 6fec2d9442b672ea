package io.gatehouse.serviceaccount;

import io.gatehouse.core.AuthenticationListener;

/** Reports what Kubernetes writes as audit annotations through the listener's warning event, never throwing. */
final class EventSink {

    static final String SOURCE = "service-account";

    private final AuthenticationListener listener;

    EventSink(AuthenticationListener listener) {
        this.listener = listener;
    }

    void warn(String message) {
        try {
            listener.warning(SOURCE, message);
        } catch (RuntimeException e) {
            // A listener must not throw; if one does, the verdict still stands.
        }
    }
}
