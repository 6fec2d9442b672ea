package io.gatehouse.x509;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.gatehouse.core.AuthenticationChain;
import io.gatehouse.core.AuthenticationListener;
import io.gatehouse.core.AuthenticationRequest;
import io.gatehouse.core.AuthenticationResult;
import io.gatehouse.core.AuthenticationResult.Abstained;
import io.gatehouse.core.AuthenticationResult.Authenticated;
import io.gatehouse.core.AuthenticationResult.Rejected;
import io.gatehouse.core.RejectionReason;
import io.gatehouse.testing.TestPki;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Stream;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Kubernetes' {@code x509_test.go} {@code TestX509Verifier}, the front-proxy certificate check in front of the
 * request headers, with real certificates; and the authenticator's place in the chain.
 */
class FrontProxyVerifierTest {

    static final Instant NOW = RequestHeaderTest.NOW;
    static final TestPki.Issued CA = RequestHeaderTest.CA;
    static final TestPki.Issued OTHER_CA = TestPki.ca("some-other-ca", NOW);

    private static TestPki.Spec leaf(String cn, TestPki.Issued issuer) {
        return TestPki.cert("CN=" + cn).issuer(issuer).validity(NOW.minus(Duration.ofHours(1)), NOW.plus(Duration.ofDays(1)))
                .keyUsage(KeyUsage.digitalSignature);
    }

    static Stream<Arguments> verifier() {
        TestPki.Issued intermediate = TestPki.intermediate(CA, "front-proxy-intermediate", NOW);
        TestPki.Issued expiredIntermediate = TestPki.cert("CN=expired-intermediate").issuer(CA)
                .validity(NOW.minus(Duration.ofDays(10)), NOW.minus(Duration.ofDays(1))).ca(null)
                .keyUsage(KeyUsage.keyCertSign).issue();
        return Stream.of(
                Arguments.of("non-tls", List.of(), List.of(), null),
                Arguments.of("self signed", List.of(TestPki.cert("CN=front-proxy-client").clientAuth()
                        .validity(NOW.minus(Duration.ofHours(1)), NOW.plus(Duration.ofDays(1))).issue().cert()), List.of(),
                        RejectionReason.UNTRUSTED_CERTIFICATE),
                Arguments.of("server cert disallowed", List.of(leaf("front-proxy-client", CA)
                        .eku(KeyPurposeId.id_kp_serverAuth).issue().cert()), List.of(), RejectionReason.INVALID_CREDENTIAL),
                Arguments.of("server cert allowing non-client cert usages", List.of(leaf("front-proxy-client", CA)
                        .eku(KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth).issue().cert()), List.of(), "ok"),
                Arguments.of("valid client cert", List.of(leaf("front-proxy-client", CA).clientAuth().issue().cert()),
                        List.of(), "ok"),
                Arguments.of("valid client cert with wrong CN", List.of(leaf("not-the-proxy", CA).clientAuth().issue().cert()),
                        List.of("front-proxy-client"), RejectionReason.INVALID_CREDENTIAL),
                Arguments.of("valid client cert with right CN", List.of(leaf("front-proxy-client", CA).clientAuth().issue().cert()),
                        List.of("front-proxy-client"), "ok"),
                Arguments.of("future cert", List.of(TestPki.cert("CN=front-proxy-client").issuer(CA).clientAuth()
                        .validity(NOW.plus(Duration.ofDays(1)), NOW.plus(Duration.ofDays(2))).issue().cert()), List.of(),
                        RejectionReason.NOT_YET_VALID),
                Arguments.of("expired cert", List.of(TestPki.cert("CN=front-proxy-client").issuer(CA).clientAuth()
                        .validity(NOW.minus(Duration.ofDays(2)), NOW.minus(Duration.ofDays(1))).issue().cert()), List.of(),
                        RejectionReason.EXPIRED),
                Arguments.of("multi-level, valid", List.of(leaf("front-proxy-client", intermediate).clientAuth().issue().cert(),
                        intermediate.cert()), List.of(), "ok"),
                Arguments.of("multi-level, expired", List.of(leaf("front-proxy-client", expiredIntermediate).clientAuth()
                        .issue().cert(), expiredIntermediate.cert()), List.of(), RejectionReason.UNTRUSTED_CERTIFICATE),
                Arguments.of("another CA", List.of(TestPki.client(OTHER_CA, "front-proxy-client", List.of(), NOW).cert()),
                        List.of(), RejectionReason.UNTRUSTED_CERTIFICATE));
    }

    static RequestHeaderAuthenticator authenticator(List<String> allowed) {
        return RequestHeaderAuthenticator.builder().trustAnchors(List.of(CA.cert())).allowedNames(allowed)
                .clock(Clock.fixed(NOW, ZoneOffset.UTC)).listener(AuthenticationListener.NONE).build();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("verifier")
    void x509Verifier(String name, List<X509Certificate> chain, List<String> allowed, Object expected) {
        try (RequestHeaderAuthenticator auth = authenticator(allowed)) {
            AuthenticationResult r = auth.authenticate(AuthenticationRequest.builder().peerCertificates(chain)
                    .header("X-Remote-User", "alice").build());
            if (expected == null) {
                assertInstanceOf(Abstained.class, r);
            } else if (expected.equals("ok")) {
                assertEquals("alice", assertInstanceOf(Authenticated.class, r, r::toString).user().name());
            } else {
                Rejected rej = assertInstanceOf(Rejected.class, r, r::toString);
                assertEquals(expected, rej.reason(), rej.message());
            }
        }
    }

    @Test
    void errorsAreKubernetesBareVerifierErrors() {
        try (RequestHeaderAuthenticator auth = authenticator(List.of("front-proxy-client"))) {
            Rejected unknown = (Rejected) auth.authenticate(AuthenticationRequest.builder()
                    .peerCertificates(List.of(TestPki.client(OTHER_CA, "front-proxy-client", List.of(), NOW).cert()))
                    .header("X-Remote-User", "alice").build());
            assertEquals("x509: certificate signed by unknown authority", unknown.message());
            Rejected unlisted = (Rejected) auth.authenticate(AuthenticationRequest.builder()
                    .peerCertificates(List.of(TestPki.client(CA, "mallory", List.of(), NOW).cert()))
                    .header("X-Remote-User", "alice").build());
            assertEquals("x509: subject with cn=mallory is not in the allowed list", unlisted.message());
        }
    }

    @Test
    void theCertificateVerdictIsCachedButTheHeadersAreReadEachTime() {
        try (RequestHeaderAuthenticator auth = authenticator(List.of())) {
            for (String user : List.of("alice", "bob", "carol")) {
                AuthenticationResult r = auth.authenticate(AuthenticationRequest.builder()
                        .peerCertificates(List.of(RequestHeaderTest.PROXY.cert())).header("X-Remote-User", user).build());
                assertEquals(user, ((Authenticated) r).user().name());
            }
            assertEquals(1, auth.cachedChains());
        }
    }

    @Test
    void inTheChainAUsersOwnCertificateStillAuthenticatesThroughX509() {
        TestPki.Issued clientCa = TestPki.ca("client-ca", NOW);
        Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
        try (AuthenticationChain chain = AuthenticationChain.builder().listener(AuthenticationListener.NONE).clock(clock)
                .add("request-header", authenticator(List.of()))
                .add("x509", X509Authenticator.builder().trustAnchors(List.of(clientCa.cert())).clock(clock).build())
                .build()) {
            AuthenticationRequest own = AuthenticationRequest.builder()
                    .peerCertificates(List.of(TestPki.client(clientCa, "dave", List.of("devs"), NOW).cert()))
                    .header("X-Remote-User", "admin").build();
            Authenticated a = assertInstanceOf(Authenticated.class, chain.authenticate(own));
            assertEquals("dave", a.user().name());
            AuthenticationRequest proxied = AuthenticationRequest.builder()
                    .peerCertificates(List.of(RequestHeaderTest.PROXY.cert())).header("X-Remote-User", "erin").build();
            assertEquals("erin", ((Authenticated) chain.authenticate(proxied)).user().name());
            assertEquals(List.of("system:authenticated"), ((Authenticated) chain.authenticate(proxied)).user().groups());
        }
    }

    @Test
    void theCaFileReloadsAsClientCaFileDoesAndEmptiesTheCache(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        java.nio.file.Path file = dir.resolve("front-proxy-ca.crt");
        java.nio.file.Files.writeString(file, TestPki.pem(OTHER_CA.cert()));
        AuthenticationRequest proxied = AuthenticationRequest.builder()
                .peerCertificates(List.of(RequestHeaderTest.PROXY.cert())).header("X-Remote-User", "alice").build();
        try (RequestHeaderAuthenticator auth = RequestHeaderAuthenticator.builder().clientCaFile(file)
                .reloadInterval(Duration.ZERO).clock(Clock.fixed(NOW, ZoneOffset.UTC))
                .listener(AuthenticationListener.NONE).build()) {
            assertEquals(RejectionReason.UNTRUSTED_CERTIFICATE, ((Rejected) auth.authenticate(proxied)).reason());
            java.nio.file.Path next = java.nio.file.Files.writeString(dir.resolve("next.crt"), TestPki.pem(CA.cert()));
            java.nio.file.Files.move(next, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            org.junit.jupiter.api.Assertions.assertTrue(auth.reloadIfChanged());
            assertEquals("alice", assertInstanceOf(Authenticated.class, auth.authenticate(proxied)).user().name());
            assertEquals(1, auth.cachedChains());
            java.nio.file.Path back = java.nio.file.Files.writeString(dir.resolve("back.crt"), TestPki.pem(OTHER_CA.cert()));
            java.nio.file.Files.move(back, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            org.junit.jupiter.api.Assertions.assertTrue(auth.reloadIfChanged());
            assertInstanceOf(Rejected.class, auth.authenticate(proxied));
        }
    }

    @Test
    void kubeApiserverFlagValidation() {
        IllegalArgumentException empty = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> RequestHeaderAuthenticator.builder().usernameHeaders(List.of("X-Remote-User", " ")));
        assertEquals("empty value in \"requestheader-username-headers\"", empty.getMessage());
        IllegalStateException uid = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> RequestHeaderAuthenticator.builder().trustAnchors(List.of(CA.cert())).uidHeaders(List.of("X-Id")).build());
        assertEquals("--requestheader-uid-headers is set without specifying the standard X-Remote-Uid header - API "
                + "aggregation will not work", uid.getMessage());
    }
}
