package io.gatehouse.examples.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gatehouse.core.AuthenticationListener;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The request-header and proxy-client flags: kube-apiserver's syntax, defaults and startup checks. */
class FrontProxyFlagsTest {

    @TempDir
    Path dir;

    private static GatewayOptions parse(String... flags) throws GatewayFlags.FlagException {
        return GatewayFlags.parse(List.of(flags), Set.of(), new LinkedHashMap<>());
    }

    @Test
    void kubeApiserverHasNoHeaderDefaults() throws Exception {
        FrontProxyOptions o = parse().frontProxy();
        assertNull(o.requestheaderClientCaFile());
        assertEquals(List.of(), o.usernameHeaders());
        assertEquals(List.of(), o.groupHeaders());
        assertEquals(List.of(), o.extraHeadersPrefix());
        assertEquals(List.of(), o.allowedNames());
    }

    @Test
    void listsAreCommaSeparated() throws Exception {
        FrontProxyOptions o = parse("--requestheader-username-headers=X-Remote-User,X-Other-User",
                "--requestheader-allowed-names", "front-proxy-client,aggregator").frontProxy();
        assertEquals(List.of("X-Remote-User", "X-Other-User"), o.usernameHeaders());
        assertEquals(List.of("front-proxy-client", "aggregator"), o.allowedNames());
    }

    private Path ca(String name) throws Exception {
        Certificates.Issued ca = Certificates.certificateAuthority(name, Instant.now(), Duration.ofDays(1));
        return Files.writeString(dir.resolve(name + ".crt"), Pem.write(ca.certificate()));
    }

    private String startupError(String... flags) {
        return assertThrows(GatewayFlags.FlagException.class,
                () -> ChainFactory.build(parse(flags), Clock.systemUTC(), AuthenticationListener.NONE)).getMessage();
    }

    @Test
    void kubeApiserversStartupChecks() throws Exception {
        Path fp = ca("front-proxy-ca");
        assertEquals("empty value in \"requestheader-username-headers\"",
                startupError("--requestheader-client-ca-file=" + fp, "--requestheader-username-headers=X-Remote-User,"));
        assertEquals("--requestheader-uid-headers is set without specifying the standard X-Remote-Uid header - API "
                + "aggregation will not work", startupError("--requestheader-client-ca-file=" + fp,
                "--requestheader-username-headers=X-Remote-User", "--requestheader-uid-headers=X-Id"));
        assertTrue(startupError("--client-ca-file=" + fp, "--requestheader-client-ca-file=" + fp,
                "--requestheader-username-headers=X-Remote-User")
                .startsWith("--requestheader-client-ca-file and --client-ca-file contain overlapping certificates"));
        // With allowed names, the overlap is accepted, as kube-apiserver accepts it.
        ChainFactory.build(parse("--client-ca-file=" + fp, "--requestheader-client-ca-file=" + fp,
                "--requestheader-allowed-names=front-proxy-client", "--requestheader-username-headers=X-Remote-User"),
                Clock.systemUTC(), AuthenticationListener.NONE).close();
    }

    @Test
    void theProxyClientCertificateNeedsItsKey() {
        GatewayFlags.FlagException e = assertThrows(GatewayFlags.FlagException.class,
                () -> parse("--proxy-client-cert-file=/p.crt"));
        assertEquals("--proxy-client-cert-file and --proxy-client-key-file must be given together", e.getMessage());
    }
}
