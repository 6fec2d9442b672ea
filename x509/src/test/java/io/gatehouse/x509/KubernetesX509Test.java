package io.gatehouse.x509;

import io.gatehouse.core.AuthenticationRequest;
import io.gatehouse.core.AuthenticationResult.Abstained;
import io.gatehouse.core.AuthenticationResult.Authenticated;
import io.gatehouse.core.AuthenticationResult.Rejected;
import io.gatehouse.core.AuthenticationResult;
import io.gatehouse.core.KubernetesNames;
import io.gatehouse.core.RejectionReason;
import io.gatehouse.core.UserInfo;
import io.gatehouse.core.testing.MutableClock;
import io.gatehouse.testing.TestPki;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Kubernetes' {@code x509_test.go} (TestX509, TestX509Verifier, TestCertificateIdentifier), case by case,
 * with the shipped fixtures and the same expectations. See reference/kubernetes-tests.md §2.2.
 */
class KubernetesX509Test {

    static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

    static X509Certificate ROOT;
    static X509Certificate CLIENT_CN;
    static X509Certificate SERVER;
    static X509Certificate SELF_SIGNED;
    static X509Certificate CA_WITH_GROUPS;
    static X509Certificate CA_WITH_MULTI_UIDS;
    static X509Certificate MULTI_ROOT;
    static X509Certificate MULTI_INTERMEDIATE;
    static X509Certificate MULTI_CLIENT_VALID;
    static X509Certificate MULTI_CLIENT_EXPIRED;

    @BeforeAll
    static void loadFixtures() {
        ROOT = Fixtures.k8sCert("rootCACert.pem");
        CLIENT_CN = Fixtures.k8sCert("clientCNCert.pem");
        SERVER = Fixtures.k8sCert("serverCert.pem");
        SELF_SIGNED = Fixtures.k8sCert("selfSignedCert.pem");
        CA_WITH_GROUPS = Fixtures.k8sCert("caWithGroups.pem");
        CA_WITH_MULTI_UIDS = Fixtures.k8sCert("caWithMultiUIDs.pem");
        MULTI_ROOT = Fixtures.k8sCert("testdata-root.pem");
        MULTI_INTERMEDIATE = Fixtures.k8sCert("testdata-intermediate.pem");
        MULTI_CLIENT_VALID = Fixtures.k8sCert("testdata-client-valid.pem");
        MULTI_CLIENT_EXPIRED = Fixtures.k8sCert("testdata-client-expired.pem");
    }

    static final String SERVER_ID = "X509SHA256=04adf2b65e6325a8c467256eb3a9a373d818398d9a1f1d9eca1cbc2c237fe75f";
    static final String CLIENT_CN_ID = "X509SHA256=0a016b6c2ff14c5431e4a2b448e941fcaa21fb3d7ad105e9a53d4e8ce12824f0";
    static final String GROUPS_ID = "X509SHA256=6f337bb6576b6f942bd5ac5256f621e352aa7b34d971bda9b8f8981f51bba456";
    static final String MULTI_ID = "X509SHA256=794b0529fd1a72d55d52d98be9bab5b822d16f9ae86c4373fa7beee3cafe8582";

    /** One row of the table. */
    record Case(String name, List<X509Certificate> roots, List<X509Certificate> certs, Instant now,
                Consumer<X509Authenticator.Builder> options, Expect expect) {
        @Override
        public String toString() {
            return name;
        }
    }

    /** What a row expects: a user, an abstention, or a rejection whose message contains a text. */
    record Expect(UserInfo user, RejectionReason reason, String messagePart) {
        static Expect user(String name, String uid, List<String> groups, String credentialId) {
            return new Expect(new UserInfo(name, uid, groups, Map.of(KubernetesNames.CREDENTIAL_ID_KEY, List.of(credentialId))),
                    null, null);
        }

        static Expect abstain() {
            return new Expect(null, null, null);
        }

        static Expect error(RejectionReason reason, String messagePart) {
            return new Expect(null, reason, messagePart);
        }
    }

    static Consumer<X509Authenticator.Builder> defaults() {
        return b -> {
        };
    }

    static Consumer<X509Authenticator.Builder> anyUsage() {
        return b -> b.requiredExtendedKeyUsages(List.of());
    }

    static Stream<Case> testX509() {
        List<X509Certificate> root = List.of(ROOT);
        Instant past = ZonedDateTime.ofInstant(NOW, ZoneOffset.UTC).minusYears(100).toInstant();
        Instant future = ZonedDateTime.ofInstant(NOW, ZoneOffset.UTC).plusYears(100).toInstant();
        String unknownAuthority = "x509: certificate signed by unknown authority";
        return Stream.of(
                new Case("tls, no certs", root, List.of(), NOW, defaults(), Expect.abstain()),
                new Case("self signed", root, List.of(SELF_SIGNED), NOW, defaults(),
                        Expect.error(RejectionReason.UNTRUSTED_CERTIFICATE, unknownAuthority)),
                new Case("server cert", root, List.of(SERVER), NOW, defaults(),
                        Expect.error(RejectionReason.INVALID_CREDENTIAL,
                                "x509: certificate specifies an incompatible key usage")),
                // Go's empty KeyUsages means serverAuth: the Kubernetes case passes with the server's own usage.
                new Case("server cert allowing non-client cert usages", root, List.of(SERVER), NOW,
                        b -> b.requiredExtendedKeyUsages(List.of(Certificates.EKU_SERVER_AUTH)),
                        Expect.user("127.0.0.1", "", List.of("My Org"), SERVER_ID)),
                new Case("server cert allowing any usage", root, List.of(SERVER), NOW, anyUsage(),
                        Expect.user("127.0.0.1", "", List.of("My Org"), SERVER_ID)),
                new Case("common name and UID", root, List.of(CLIENT_CN), NOW, defaults(),
                        Expect.user("client_cn", "client_id", List.of("My Org"), CLIENT_CN_ID)),
                new Case("common name and empty UID with feature gate disabled", root, List.of(CLIENT_CN), NOW,
                        b -> b.userConversion(CommonNameUserConversion.withoutUid()),
                        Expect.user("client_cn", "", List.of("My Org"), CLIENT_CN_ID)),
                new Case("ca with multiple UIDs", List.of(CA_WITH_MULTI_UIDS), List.of(CA_WITH_MULTI_UIDS), NOW,
                        anyUsage(), Expect.error(RejectionReason.INVALID_CLAIMS,
                                "expected 1 UID, but found multiple: [client_uid1 client_uid2]")),
                new Case("ca with multiple organizations", List.of(CA_WITH_GROUPS), List.of(CA_WITH_GROUPS), NOW,
                        anyUsage(), Expect.user("ROOT CA WITH GROUPS", "", List.of("My Org", "My Org 1", "My Org 2"),
                                GROUPS_ID)),
                new Case("custom conversion error", root, List.of(CLIENT_CN), NOW,
                        b -> b.userConversion(chain -> Rejected.of(RejectionReason.INVALID_CLAIMS, "custom error")),
                        Expect.error(RejectionReason.INVALID_CLAIMS, "custom error")),
                new Case("custom conversion success", root, List.of(CLIENT_CN), NOW,
                        b -> b.userConversion(chain -> Authenticated.of(UserInfo.of("custom", ""))),
                        new Expect(UserInfo.of("custom", ""), null, null)),
                new Case("future cert", root, List.of(CLIENT_CN), past, defaults(),
                        Expect.error(RejectionReason.NOT_YET_VALID,
                                "x509: certificate has expired or is not yet valid: current time 1926-01-01T00:00:00Z is before")),
                new Case("expired cert", root, List.of(CLIENT_CN), future, defaults(),
                        Expect.error(RejectionReason.EXPIRED,
                                "x509: certificate has expired or is not yet valid: current time 2126-01-01T00:00:00Z is after")),
                new Case("multi-level, valid", List.of(MULTI_ROOT), List.of(MULTI_CLIENT_VALID, MULTI_INTERMEDIATE), NOW,
                        defaults(), Expect.user("My Client", "", List.of(), MULTI_ID)),
                new Case("multi-level, valid, unrelated certificates in the pool", List.of(MULTI_ROOT),
                        List.of(MULTI_CLIENT_VALID, SELF_SIGNED, MULTI_INTERMEDIATE, MULTI_ROOT), NOW,
                        defaults(), Expect.user("My Client", "", List.of(), MULTI_ID)),
                new Case("multi-level, missing intermediate", List.of(MULTI_ROOT), List.of(MULTI_CLIENT_VALID), NOW,
                        defaults(), Expect.error(RejectionReason.UNTRUSTED_CERTIFICATE, unknownAuthority)),
                new Case("multi-level, expired", List.of(MULTI_ROOT), List.of(MULTI_CLIENT_EXPIRED, MULTI_INTERMEDIATE),
                        NOW, defaults(), Expect.error(RejectionReason.EXPIRED,
                                "x509: certificate has expired or is not yet valid: current time 2026-01-01T00:00:00Z is after 1990-12-31T23:59:00Z")));
    }

    static Stream<Case> testX509Verifier() {
        List<X509Certificate> root = List.of(ROOT);
        Instant past = ZonedDateTime.ofInstant(NOW, ZoneOffset.UTC).minusYears(100).toInstant();
        Instant future = ZonedDateTime.ofInstant(NOW, ZoneOffset.UTC).plusYears(100).toInstant();
        Consumer<X509Authenticator.Builder> inner = b -> b.userConversion(chain -> Authenticated.of(UserInfo.of("innerauth", "")));
        UserInfo innerUser = UserInfo.of("innerauth", "");
        return Stream.of(
                new Case("verifier: tls, no certs", root, List.of(), NOW, inner, Expect.abstain()),
                new Case("verifier: self signed", root, List.of(SELF_SIGNED), NOW, inner,
                        Expect.error(RejectionReason.UNTRUSTED_CERTIFICATE, "signed by unknown authority")),
                new Case("verifier: server cert disallowed", root, List.of(SERVER), NOW, inner,
                        Expect.error(RejectionReason.INVALID_CREDENTIAL, "incompatible key usage")),
                new Case("verifier: server cert allowing non-client cert usages", root, List.of(SERVER), NOW,
                        inner.andThen(anyUsage()), new Expect(innerUser, null, null)),
                new Case("verifier: valid client cert", root, List.of(CLIENT_CN), NOW, inner,
                        new Expect(innerUser, null, null)),
                new Case("verifier: valid client cert with wrong CN", root, List.of(CLIENT_CN), NOW,
                        inner.andThen(b -> b.allowedCommonNames(List.of("foo", "bar"))),
                        Expect.error(RejectionReason.INVALID_CREDENTIAL,
                                "x509: subject with cn=client_cn is not in the allowed list")),
                new Case("verifier: valid client cert with right CN", root, List.of(CLIENT_CN), NOW,
                        inner.andThen(b -> b.allowedCommonNames(List.of("client_cn"))), new Expect(innerUser, null, null)),
                new Case("verifier: future cert", root, List.of(CLIENT_CN), past, inner,
                        Expect.error(RejectionReason.NOT_YET_VALID, "is before")),
                new Case("verifier: expired cert", root, List.of(CLIENT_CN), future, inner,
                        Expect.error(RejectionReason.EXPIRED, "is after")),
                new Case("verifier: multi-level, valid", List.of(MULTI_ROOT), List.of(MULTI_CLIENT_VALID, MULTI_INTERMEDIATE),
                        NOW, inner, new Expect(innerUser, null, null)),
                new Case("verifier: multi-level, expired", List.of(MULTI_ROOT),
                        List.of(MULTI_CLIENT_EXPIRED, MULTI_INTERMEDIATE), NOW, inner,
                        Expect.error(RejectionReason.EXPIRED, "is after")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource({"testX509", "testX509Verifier"})
    void table(Case c) {
        X509Authenticator.Builder b = X509Authenticator.builder().trustAnchors(c.roots()).clock(new MutableClock(c.now()));
        c.options().accept(b);
        AuthenticationResult r;
        try (X509Authenticator a = b.build()) {
            r = a.authenticate(AuthenticationRequest.builder().peerCertificates(c.certs()).build());
        }
        Expect e = c.expect();
        if (e.user() != null) {
            Authenticated ok = assertInstanceOf(Authenticated.class, r, () -> "expected a user, got " + r);
            assertEquals(e.user(), ok.user());
        } else if (e.reason() != null) {
            Rejected rej = assertInstanceOf(Rejected.class, r, () -> "expected a rejection, got " + r);
            assertEquals(e.reason(), rej.reason(), rej.message());
            assertTrue(rej.message().contains(e.messagePart()), () -> "message: " + rej.message());
        } else {
            assertInstanceOf(Abstained.class, r);
        }
    }

    @Test
    void verificationErrorsNameTheCertificateAsKubernetesDoes() {
        Rejected r = rejectedWith(List.of(ROOT), List.of(SELF_SIGNED), NOW);
        assertEquals("verifying certificate " + Certificates.identifier(SELF_SIGNED)
                + " failed: x509: certificate signed by unknown authority", r.message());
        Rejected expired = rejectedWith(List.of(MULTI_ROOT), List.of(MULTI_CLIENT_EXPIRED, MULTI_INTERMEDIATE), NOW);
        assertTrue(expired.message().matches("verifying certificate SN=\\d+, SKID=[0-9A-F:]*, AKID=[0-9A-F:]* failed: "
                + "x509: certificate has expired or is not yet valid: current time 2026-01-01T00:00:00Z is after "
                + "1990-12-31T23:59:00Z"), expired.message());
    }

    @Test
    void theChainLogsTheRejectionInKubernetesForm() {
        int mark = io.gatehouse.core.testing.LogCapture.mark();
        try (X509Authenticator x509 = X509Authenticator.builder().trustAnchors(List.of(ROOT)).clock(new MutableClock(NOW)).build();
             io.gatehouse.core.AuthenticationChain chain = io.gatehouse.core.AuthenticationChain.builder().add("x509", x509)
                     .listener(io.gatehouse.core.AuthenticationListener.logging()).build()) {
            chain.authenticate(AuthenticationRequest.builder().peerCertificates(List.of(SELF_SIGNED)).build());
        }
        String expected = "verifying certificate " + Certificates.identifier(SELF_SIGNED)
                + " failed: x509: certificate signed by unknown authority";
        assertTrue(io.gatehouse.core.testing.LogCapture.linesSince(mark).stream().anyMatch(l -> l.contains(expected)),
                () -> "logged: " + io.gatehouse.core.testing.LogCapture.linesSince(mark));
    }

    @Test
    void certificateIdentifierMatchesKubernetes() {
        assertEquals("SN=1, SKID=64:84:5E:B7:37:A2:82:F9:62:1A:01:00:FE:1B:B4:4B:F4:18:92:F6, "
                + "AKID=48:70:75:D4:ED:6B:49:3B:53:DB:E9:A6:F9:9C:55:92:51:BD:96:E6", Certificates.identifier(CLIENT_CN));
        String self = Certificates.identifier(SELF_SIGNED);
        assertTrue(self.startsWith("SN=654708847004117259890317394342561449606220871090, SKID=56:A5:"), self);
        assertTrue(self.contains(":6F:16, AKID=56:A5:") && self.endsWith(":6F:16"), self);
        // Empty key identifiers print as nothing.
        TestPki.Issued bare = TestPki.cert("CN=bare").ca(null).issue();
        String id = Certificates.identifier(bare.cert());
        assertTrue(id.endsWith(", AKID="), id);
    }

    @Test
    void emptyAndNonStringUidsAreRejectedAsKubernetesDoes() {
        TestPki.Issued ca = TestPki.root("uid-ca");
        X509Certificate emptyUid = TestPki.cert("CN=client_cn,O=My Org," + CommonNameUserConversion.UID_OID + "=")
                .issuer(ca).clientAuth().issue().cert();
        Rejected r1 = rejectedWith(List.of(ca.cert()), List.of(emptyUid), Instant.now());
        assertEquals("UID cannot be an empty string", r1.message());
        assertEquals(RejectionReason.INVALID_CLAIMS, r1.reason());

        org.bouncycastle.asn1.x500.X500NameBuilder nb = new org.bouncycastle.asn1.x500.X500NameBuilder();
        nb.addRDN(org.bouncycastle.asn1.x500.style.BCStyle.CN, "client_cn");
        nb.addRDN(new org.bouncycastle.asn1.ASN1ObjectIdentifier(CommonNameUserConversion.UID_OID),
                new org.bouncycastle.asn1.DERSequence(new org.bouncycastle.asn1.DERUTF8String("custom_value")));
        X509Certificate sequenceUid = TestPki.cert("CN=x").subject(nb.build()).issuer(ca).clientAuth().issue().cert();
        Rejected r2 = rejectedWith(List.of(ca.cert()), List.of(sequenceUid), Instant.now());
        assertEquals("unable to parse UID into a string", r2.message());
    }

    @Test
    void lastCommonNameInDerOrderWins() {
        // clientCNCert has CN=client_cn2 then CN=client_cn in DER order; Go (and Kubernetes) take the last.
        SubjectNames names = SubjectNames.of(CLIENT_CN.getSubjectX500Principal());
        assertEquals("client_cn", names.commonName());
        assertEquals(List.of("client_cn2", "client_cn"), names.values(SubjectNames.CN));
    }

    static Rejected rejectedWith(List<X509Certificate> roots, List<X509Certificate> certs, Instant now) {
        try (X509Authenticator a = X509Authenticator.builder().trustAnchors(roots).clock(new MutableClock(now)).build()) {
            AuthenticationResult r = a.authenticate(AuthenticationRequest.builder().peerCertificates(new ArrayList<>(certs)).build());
            return assertInstanceOf(Rejected.class, r, () -> "expected a rejection, got " + r);
        }
    }
}
