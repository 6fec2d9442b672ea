package io.gatehouse.examples.gateway;

import io.gatehouse.core.AuthenticationResult.Authenticated;
import java.io.IOException;

/** One of the gateway's own endpoints, answering an authenticated caller. */
@FunctionalInterface
interface Endpoint {

    /** Answers {@code ex} for {@code caller}; must send a response. */
    void serve(Exchange ex, Authenticated caller) throws IOException;
}
