package io.gatehouse.examples.gateway;

import io.gatehouse.core.AuthenticationResult.Authenticated;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** {@code GET /version}, for {@code kubectl version}. */
final class VersionEndpoint implements Endpoint {

    static final String PATH = "/version";

    /** Kubernetes' version.Info fields, in its order. */
    private static final Map<String, Object> VERSION = new LinkedHashMap<>();

    static {
        VERSION.put("major", "1");
        VERSION.put("minor", "33");
        VERSION.put("gitVersion", "v1.33.0-gatehouse");
        VERSION.put("platform", System.getProperty("os.name").toLowerCase(Locale.ROOT) + "/" + System.getProperty("os.arch"));
    }

    /** The version document served. */
    static Map<String, Object> version() {
        return VERSION;
    }

    /** Written once: the document never changes while the gateway runs. */
    private static final String BODY = WireJson.write(VERSION);

    @Override
    public void serve(Exchange ex, Authenticated caller) {
        Responses.bytes(ex, 200, "application/json", BODY);
    }
}
