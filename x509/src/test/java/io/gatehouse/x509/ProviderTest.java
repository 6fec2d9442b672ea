package io.gatehouse.x509;

import io.gatehouse.core.AuthenticationChain;
import io.gatehouse.core.AuthenticationRequest;
import io.gatehouse.core.AuthenticationResult.Authenticated;
import io.gatehouse.core.AuthenticationResult.Rejected;
import io.gatehouse.core.AuthenticationResult;
import io.gatehouse.core.ChainConfigLoader;
import io.gatehouse.core.ConfigurationException;
import io.gatehouse.core.KubernetesNames;
import io.gatehouse.core.spi.AuthenticatorProvider;
import io.gatehouse.testing.TestPki;
import java.lang.module.ModuleDescriptor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The {@code x509} type through ServiceLoader and the YAML loader: settings, defaults and their errors. */
class ProviderTest {

    static final TestPki.Issued ROOT = TestPki.root("provider-root");
    static final TestPki.Issued ALICE = TestPki.client("CN=alice,O=dev", ROOT);
    static final TestPki.Issued BOB = TestPki.client("CN=bob", ROOT);

    @TempDir
    Path dir;

    @BeforeEach
    void files() throws Exception {
        Files.createDirectories(dir.resolve("pki"));
        Files.writeString(dir.resolve("pki/ca.pem"), TestPki.pem(ROOT.cert()));
        Files.writeString(dir.resolve("pki/root.crl"), TestPki.pem(TestPki.crl(ROOT, Instant.now().minusSeconds(60),
                Instant.now().plus(Duration.ofDays(1)), 1, BOB.cert())));
    }

    AuthenticationChain load(String yaml) throws Exception {
        Path config = Files.writeString(dir.resolve("gatehouse.yaml"), yaml);
        return ChainConfigLoader.create().load(config);
    }

    ConfigurationException loadFails(String entry) {
        return assertThrows(ConfigurationException.class, () -> load("authenticators:\n  - type: x509\n" + entry));
    }

    static AuthenticationResult authenticate(AuthenticationChain chain, TestPki.Issued client) {
        return chain.authenticate(AuthenticationRequest.builder().peerCertificates(List.of(client.cert())).build());
    }

    @Test
    void serviceLoaderFindsTheX509Type() {
        List<String> types = ServiceLoader.load(AuthenticatorProvider.class).stream()
                .map(p -> p.get().type()).collect(Collectors.toList());
        assertTrue(types.contains("x509"), types.toString());
        assertTrue(types.contains("request-header"), types.toString());
    }

    @Test
    void aFullConfigurationWorks() throws Exception {
        try (AuthenticationChain chain = load("""
                authenticators:
                  - type: x509
                    clientCaFile: pki/ca.pem
                    crlFiles: [pki/root.crl]
                    ocsp: {mode: off, timeout: 2s, maxResponseBytes: 32768}
                    allowedCommonNames: [alice, bob]
                    cacheMaximumSize: 100
                    cacheTtl: 1m
                    maxChainLength: 4
                """)) {
            Authenticated ok = assertInstanceOf(Authenticated.class, authenticate(chain, ALICE));
            assertEquals("alice", ok.user().name());
            assertEquals(List.of("dev", KubernetesNames.ALL_AUTHENTICATED), ok.user().groups());
            Rejected revoked = assertInstanceOf(Rejected.class, authenticate(chain, BOB));
            assertEquals(io.gatehouse.core.RejectionReason.REVOKED, revoked.reason());
        }
        try (AuthenticationChain chain = load("""
                authenticators:
                  - type: x509
                    clientCaFile: pki/ca.pem
                    allowedCommonNames: bob
                    ocspMode: soft-fail
                    ocspTimeout: 1s
                """)) {
            assertEquals("x509: subject with cn=alice is not in the allowed list",
                    assertInstanceOf(Rejected.class, authenticate(chain, ALICE)).message());
        }
        try (AuthenticationChain chain = load("authenticators:\n  - type: x509\n    clientCaFile: pki/ca.pem\n    ocsp: hard-fail\n")) {
            // Hard-fail OCSP and a certificate naming no responder: refused.
            assertEquals(io.gatehouse.core.RejectionReason.INTERNAL_ERROR,
                    assertInstanceOf(Rejected.class, authenticate(chain, ALICE)).reason());
        }
    }

    @Test
    void settingErrorsNameTheSetting() {
        assertEquals("clientCaFile", loadFails("    crlFiles: []\n").setting());
        assertTrue(loadFails("    clientCaFile: pki/missing.pem\n").getMessage().contains("no such file"));
        assertEquals("crlFiles[1]", loadFails("    clientCaFile: pki/ca.pem\n    crlFiles: [pki/root.crl, pki/none.crl]\n").setting());
        ConfigurationException mode = loadFails("    clientCaFile: pki/ca.pem\n    ocsp: {mode: sometimes}\n");
        assertEquals("ocsp.mode", mode.setting());
        assertTrue(mode.getMessage().endsWith("must be off, soft-fail or hard-fail, found 'sometimes'"), mode.getMessage());
        assertEquals("ocsp.retries", loadFails("    clientCaFile: pki/ca.pem\n    ocsp: {retries: 3}\n").setting());
        assertEquals("ocsp.responderUrl",
                loadFails("    clientCaFile: pki/ca.pem\n    ocsp: {mode: hard-fail, responderUrl: 'ftp://x/'}\n").setting());
        assertEquals("ocsp", loadFails("    clientCaFile: pki/ca.pem\n    ocsp: {mode: off}\n    ocspMode: off\n").setting());
        assertEquals("ocspTimeout", loadFails("    clientCaFile: pki/ca.pem\n    ocspTimeout: soon\n").setting());
        assertEquals("cacheMaximumSize", loadFails("    clientCaFile: pki/ca.pem\n    cacheMaximumSize: -1\n").setting());
        assertEquals("maxChainLength", loadFails("    clientCaFile: pki/ca.pem\n    maxChainLength: 0\n").setting());
        assertEquals("clientCAFile", loadFails("    clientCaFile: pki/ca.pem\n    clientCAFile: pki/ca.pem\n").setting());
    }

    @Test
    void theModuleDescriptorExportsOnlyTheApiAndProvidesTheType() throws Exception {
        Path descriptor = Path.of(X509AuthenticatorProvider.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                .resolve("module-info.class");
        ModuleDescriptor md = ModuleDescriptor.read(Files.newInputStream(descriptor));
        assertEquals("io.gatehouse.x509", md.name());
        assertEquals(Set.of("io.gatehouse.x509"), md.exports().stream().map(ModuleDescriptor.Exports::source).collect(Collectors.toSet()));
        assertEquals(List.of("io.gatehouse.x509.X509AuthenticatorProvider", "io.gatehouse.x509.RequestHeaderAuthenticatorProvider"),
                md.provides().stream()
                .filter(p -> p.service().equals(AuthenticatorProvider.class.getName())).findFirst().orElseThrow().providers());
    }
}
