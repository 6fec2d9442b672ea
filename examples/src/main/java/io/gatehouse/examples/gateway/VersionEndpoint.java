package io.gatehouse.examples.gateway;

import com.sun.net.httpserver.HttpExchange;
import io.gatehouse.core.AuthenticationResult.Authenticated;
import java.io.IOException;
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

    @Override
    public void serve(HttpExchange ex, Authenticated caller) throws IOException {
        Responses.json(ex, 200, VERSION);
    }
}
