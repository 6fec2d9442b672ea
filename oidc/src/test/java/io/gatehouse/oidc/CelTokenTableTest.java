package io.gatehouse.oidc;

import static io.gatehouse.oidc.TokenTableTest.ISS;
import static io.gatehouse.oidc.TokenTableTest.NOW;
import static io.gatehouse.oidc.TokenTableTest.claims;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.gatehouse.core.AuthenticationResult;
import io.gatehouse.core.KubernetesNames;
import io.gatehouse.core.UserInfo;
import io.gatehouse.testing.JwtFixtures;

import java.security.KeyPair;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The CEL cases of Kubernetes' {@code TestToken} table (reference/kubernetes-tests.md 2.5), same inputs,
 * users and messages, on the fixed clock and fixture keys of {@link TokenTableTest}.
 */
class CelTokenTableTest {

    record Case(String name, UnaryOperator<JwtIssuer.Builder> config, String claims, Object expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Case c(String name, UnaryOperator<JwtIssuer.Builder> config, String json, Object expected) {
        return new Case(name, config, claims(json), expected);
    }

    static UserInfo u(String name, String uid, List<String> groups, Map<String, List<String>> extra) {
        return new UserInfo(name, uid, groups, extra);
    }

    static final String TURTLE = "{\"iss\":\"ISS\",\"aud\":\"my-client\",\"exp\":VALID,\"turtle\":{\"foo\":{\"1\":\"a\",\"2\":\"b\","
            + "\"other1\":{\"bit1\":true,\"bit2\":false,\"bit3\":1},\"bar\":{\"3\":\"c\",\"4\":\"d\",\"other1\":{\"bit1\":true,"
            + "\"bit2\":false,\"bit3\":1},\"baz\":{\"5\":\"e\",\"6\":\"f\",\"panda\":[\"snorlax\",\"007\",\"santa\",\"claus\"],"
            + "\"other1\":{\"bit1\":true,\"bit2\":false,\"bit3\":1}}}}}}";

    static Stream<Case> table() {
        UnaryOperator<JwtIssuer.Builder> celUser = b -> b.usernameExpression("claims.username");
        UnaryOperator<JwtIssuer.Builder> celAll = b -> b.usernameExpression("claims.username")
                .groupsExpression("claims.groups").uidExpression("claims.uid")
                .extra("example.org/foo", "claims.foo").extra("example.org/bar", "claims.bar");
        String full = "{\"iss\":\"ISS\",\"aud\":\"my-client\",\"username\":\"jane\",\"groups\":[\"team1\",\"team2\"],\"exp\":VALID,"
                + "\"uid\":\"1234\",\"foo\":\"bar\",\"bar\":[\"baz\",\"qux\"]}";
        return Stream.of(
                c("32 nuanced audience validation using claim validation rules", b -> b.audiences("bar", "foo", "baz")
                        .audienceMatchPolicy("MatchAny").username("username", "")
                        .claimValidationRule("sets.equivalent(claims.aud, [\"bar\", \"foo\", \"baz\"])", "audience must exactly contain [bar, foo, baz]"),
                        "{\"iss\":\"ISS\",\"aud\":[\"foo\",\"bar\",\"baz\"],\"azp\":\"not-my-client\",\"username\":\"jane\",\"exp\":VALID}",
                        u("jane", "", List.of(), Map.of())),
                c("33 audience validation using claim validation rules fails", b -> b.audiences("bar", "foo", "baz")
                        .audienceMatchPolicy("MatchAny").username("username", "")
                        .claimValidationRule("sets.equivalent(claims.aud, [\"bar\", \"foo\", \"baz\"])", "audience must exactly contain [bar, foo, baz]"),
                        "{\"iss\":\"ISS\",\"aud\":[\"foo\",\"baz\"],\"azp\":\"not-my-client\",\"username\":\"jane\",\"exp\":VALID}",
                        "oidc: error evaluating claim validation expression: validation expression 'sets.equivalent(claims.aud, "
                                + "[\"bar\", \"foo\", \"baz\"])' failed: audience must exactly contain [bar, foo, baz]"),
                c("49 user validation rule fails for user.username", b -> b.username("username", "system:")
                        .userValidationRule("!user.username.startsWith('system:')", "username cannot used reserved system: prefix"),
                        "{\"iss\":\"ISS\",\"aud\":\"my-client\",\"username\":\"jane\",\"exp\":VALID}",
                        "oidc: error evaluating user info validation rule: validation expression '!user.username.startsWith('system:')' "
                                + "failed: username cannot used reserved system: prefix"),
                c("50 user validation rule fails for user.groups", b -> b.usernameExpression("claims.username").groups("groups", "system:")
                        .userValidationRule("user.groups.all(group, !group.startsWith('system:'))", "groups cannot used reserved system: prefix"),
                        "{\"iss\":\"ISS\",\"aud\":\"my-client\",\"username\":\"jane\",\"exp\":VALID,\"groups\":[\"team1\",\"team2\"]}",
                        "oidc: error evaluating user info validation rule: validation expression 'user.groups.all(group, "
                                + "!group.startsWith('system:'))' failed: groups cannot used reserved system: prefix"),
                c("51 claim validation rule with expression fails", b -> b.username("username", "")
                        .claimValidationRule("claims.hd == \"example.com\"", "hd claim must be example.com"),
                        "{\"iss\":\"ISS\",\"aud\":\"my-client\",\"username\":\"jane\",\"exp\":VALID}",
                        "oidc: error evaluating claim validation expression: expression 'claims.hd == \"example.com\"' "
                                + "resulted in error: no such key: hd"),
                c("52 claim validation rule with expression", b -> b.username("username", "")
                        .claimValidationRule("claims.hd == \"example.com\"", "hd claim must be example.com"),
                        "{\"iss\":\"ISS\",\"aud\":\"my-client\",\"username\":\"jane\",\"exp\":VALID,\"hd\":\"example.com\"}",
                        u("jane", "", List.of(), Map.of())),
                c("53 claim validation rule with expression and nested claims", b -> b.username("username", "")
                        .claimValidationRule("claims.foo.bar == \"baz\"", "foo.bar claim must be baz"),
                        "{\"iss\":\"ISS\",\"aud\":\"my-client\",\"username\":\"jane\",\"exp\":VALID,\"hd\":\"example.com\",\"foo\":{\"bar\":\"baz\"}}",
                        u("jane", "", List.of(), Map.of())),
                c("54 claim validation rule with mix of expression and claim", b -> b.username("username", "")
                        .requiredClaim("hd", "example.com").claimValidationRule("claims.foo.bar == \"baz\"", "foo.bar claim must be baz"),
                        "{\"iss\":\"ISS\",\"aud\":\"my-client\",\"username\":\"jane\",\"exp\":VALID,\"hd\":\"example.com\",\"foo\":{\"bar\":\"baz\"}}",
                        u("jane", "", List.of(), Map.of())),
                c("55 username claim mapping with expression", celUser,
                        "{\"iss\":\"ISS\",\"aud\":\"my-client\",\"username\":\"jane\",\"exp\":VALID}", u("jane", "", List.of(), Map.of())),
                c("56 username claim mapping with expression and nested claim", b -> b.usernameExpression("claims.foo.username"),
                        "{\"iss\":\"ISS\",\"aud\":\"my-client\",\"username\":\"jane\",\"exp\":VALID,\"foo\":{\"username\":\"jane\"}}",
                        u("jane", "", List.of(), Map.of())),
                c("57 deeply nested claim - success (mappings only)", b -> b.usernameExpression("claims.turtle.foo.bar.baz.panda[0]")
                        .groupsExpression("claims.turtle.foo.bar.baz.panda").uidExpression("claims.turtle.foo.bar.baz.panda[1]")
                        .extra("bio.snorlax.org/1", "string(claims.turtle.foo.bar.baz.other1.bit2)")
                        .extra("bio.snorlax.org/2", "string(int(claims.turtle.foo.bar.baz.other1.bit3))")
                        .extra("bio.snorlax.org/3", "[string(claims.turtle.foo.other1.bit1), claims.turtle.foo[\"1\"], "
                                + "claims.turtle.foo[\"2\"], claims.turtle.foo.bar[\"3\"]]"),
                        TURTLE, u("snorlax", "007", List.of("snorlax", "007", "santa", "claus"), Map.of("bio.snorlax.org/1", List.of("false"),
                                "bio.snorlax.org/2", List.of("1"), "bio.snorlax.org/3", List.of("true", "a", "b", "c")))),
                c("58 deeply nested claim - success via optional", b -> b.usernameExpression("claims.turtle.foo.bar.baz.panda[0]")
                        .groupsExpression("claims.turtle.foo.bar.baz.?a.b.c.d.orValue([ 'claus' ])")
                        .uidExpression("claims.turtle.foo.bar.baz.panda[1]"),
                        TURTLE, u("snorlax", "007", List.of("claus"), Map.of())),
                c("59 deeply nested claim - failure without optional", b -> b.usernameExpression("claims.turtle.foo.bar.baz.panda[0]")
                        .groupsExpression("claims.turtle.foo.bar.baz.a.b.c.d").uidExpression("claims.turtle.foo.bar.baz.panda[1]"),
                        TURTLE, "oidc: error evaluating group claim expression: expression 'claims.turtle.foo.bar.baz.a.b.c.d' "
                                + "resulted in error: no such key: a"),
                // Kubernetes' case uses https://kubernetes.default.svc as issuer and audience; here the table's own.
                c("60 deeply nested claim - service account payload", b -> b
                                .claimValidationRule("claims.sub == (\"system:serviceaccount:\" + claims.kubernetes__dot__io.namespace"
                                        + " + \":\" + claims.kubernetes__dot__io.serviceaccount.name)", "")
                                .claimValidationRule("has(claims.kubernetes__dot__io.pod.uid)", "")
                                .claimValidationRule("claims[\"kubernetes.io\"][\"node\"][\"uid\"] != \"\"", "")
                                .claimValidationRule("claims[?\"kubernetes.io\"][\"node\"][\"ip\"].orValue(true)", "")
                                .usernameExpression("\"system:serviceaccount:\" + claims.kubernetes__dot__io.namespace + \":\" "
                                        + "+ claims.kubernetes__dot__io.serviceaccount.name")
                                .uidExpression("claims.kubernetes__dot__io.serviceaccount.uid")
                                .groupsExpression("[ \"system:serviceaccounts\", \"system:serviceaccounts:\" "
                                        + "+ claims.kubernetes__dot__io.namespace ]")
                                .extra("authentication.x-kubernetes.io/pod-name", "claims.kubernetes__dot__io.pod.name")
                                .extra("authentication.x-kubernetes.io/pod-uid", "claims.kubernetes__dot__io.pod.uid")
                                .extra("authentication.x-kubernetes.io/node-name", "claims.kubernetes__dot__io.node.name")
                                .extra("authentication.x-kubernetes.io/node-uid", "claims.kubernetes__dot__io.node.uid")
                                .extra("authentication.x-kubernetes.io/credential-id", "\"JTI=\" + claims.jti")
                                .extra("test.x-kubernetes.io/warnafter", "string(int(claims.kubernetes__dot__io.warnafter))")
                                .extra("test.x-kubernetes.io/namespace", "claims.kubernetes__dot__io.namespace")
                                .userValidationRule("user.username.startsWith(\"system:serviceaccount:\" "
                                        + "+ user.extra[\"test.x-kubernetes.io/namespace\"][0] + \":\")", "")
                                .userValidationRule("user.uid != \"\"", "")
                                .userValidationRule("\"system:serviceaccounts\" in user.groups && user.groups.size() == 2", "")
                                .userValidationRule("user.extra.authentication__dot__x__dash__kubernetes__dot__io__slash__node__dash__name[0]"
                                        + " == \"127.0.0.1\"", "")
                                .userValidationRule("user.extra.authentication__dot__x__dash__kubernetes__dot__io__slash__credential__dash__id[0]"
                                        + " == user.extra.authentication__dot__kubernetes__dot__io__slash__credential__dash__id[0]", "")
                                .userValidationRule("user.extra[\"test.x-kubernetes.io/warnafter\"][0] == \"1700081020\"", "")
                                .userValidationRule("has(user.extra.authentication__dot__x__dash__kubernetes__dot__io__slash__pod__dash__name)", "")
                                .userValidationRule("user.extra[?\"test.x-kubernetes.io/missing\"].orValue([]) == []", ""),
                        "{\"aud\":[\"my-client\"],\"exp\":VALID,\"iat\":1700077413,\"iss\":\"ISS\","
                                + "\"jti\":\"ea28ed49-2e11-4280-9ec5-bc3d1d84661a\",\"kubernetes.io\":{\"namespace\":\"kube-system\","
                                + "\"node\":{\"name\":\"127.0.0.1\",\"uid\":\"58456cb0-dd00-45ed-b797-5578fdceaced\"},"
                                + "\"pod\":{\"name\":\"coredns-69cbfb9798-jv9gn\",\"uid\":\"778a530c-b3f4-47c0-9cd5-ab018fb64f33\"},"
                                + "\"serviceaccount\":{\"name\":\"coredns\",\"uid\":\"a087d5a0-e1dd-43ec-93ac-f13d89cd13af\"},"
                                + "\"warnafter\":1700081020},\"sub\":\"system:serviceaccount:kube-system:coredns\"}",
                        u("system:serviceaccount:kube-system:coredns", "a087d5a0-e1dd-43ec-93ac-f13d89cd13af",
                                List.of("system:serviceaccounts", "system:serviceaccounts:kube-system"), Map.of(
                                        "authentication.x-kubernetes.io/pod-name", List.of("coredns-69cbfb9798-jv9gn"),
                                        "authentication.x-kubernetes.io/pod-uid", List.of("778a530c-b3f4-47c0-9cd5-ab018fb64f33"),
                                        "authentication.x-kubernetes.io/node-name", List.of("127.0.0.1"),
                                        "authentication.x-kubernetes.io/node-uid", List.of("58456cb0-dd00-45ed-b797-5578fdceaced"),
                                        "authentication.kubernetes.io/credential-id", List.of("JTI=ea28ed49-2e11-4280-9ec5-bc3d1d84661a"),
                                        "authentication.x-kubernetes.io/credential-id", List.of("JTI=ea28ed49-2e11-4280-9ec5-bc3d1d84661a"),
                                        "test.x-kubernetes.io/warnafter", List.of("1700081020"),
                                        "test.x-kubernetes.io/namespace", List.of("kube-system")))),
                c("61 deeply nested claim - claims payload with deep use of __dot__", b -> b
                                .usernameExpression("claims.turtle.foo.bar.baz.username__dot__io")
                                .groupsExpression("claims.data[0].groups__dot__io")
                                .uidExpression("claims.turtle.foo.bar.baz.link[0].uid__dot__io")
                                .claimValidationRule("claims.turtle.foo.bar.bee.username__dot__io.company__dot__io == 'fun-corp'", "m1")
                                .claimValidationRule("claims[?\"turtle\"].foo.?bar.bee.?username__dot__io.company__dot__io.orValue('') == 'fun-corp'", "m2")
                                .claimValidationRule("has(claims.turtle.foo.bar.baz.username__dot__io)", "m3")
                                .claimValidationRule("!has(claims.turtle.foo.bar.baz.username__dash__io)", "m4"),
                        "{\"iss\":\"ISS\",\"aud\":\"my-client\",\"exp\":VALID,\"data\":[{\"groups.io\":\"gen1\"}],\"turtle\":{\"foo\":{"
                                + "\"bar\":{\"bee\":{\"username.io\":{\"company.io\":\"fun-corp\"}},\"baz\":{\"username.io\":\"snorlax.io\","
                                + "\"link\":[{\"uid.io\":\"143\"}]}}}}}",
                        u("snorlax.io", "143", List.of("gen1"), Map.of())),
                c("62 groups claim mapping with expression", b -> b.usernameExpression("claims.username").groupsExpression("claims.groups"),
                        "{\"iss\":\"ISS\",\"aud\":\"my-client\",\"username\":\"jane\",\"groups\":[\"team1\",\"team2\"],\"exp\":VALID}",
                        u("jane", "", List.of("team1", "team2"), Map.of())),
                c("63 groups claim with expression", b -> b.username("username", "oidc:")
                        .groupsExpression("(claims.roles.split(\",\") + claims.other_roles.split(\",\")).map(role, \"groups:\" + role)"),
                        "{\"iss\":\"ISS\",\"aud\":\"my-client\",\"username\":\"jane\",\"roles\":\"foo,bar\",\"other_roles\":\"baz,qux\",\"exp\":VALID}",
                        u("oidc:jane", "", List.of("groups:foo", "groups:bar", "groups:baz", "groups:qux"), Map.of())),
                c("64 uid claim mapping with expression", b -> b.usernameExpression("claims.username").groupsExpression("claims.groups")
                        .uidExpression("claims.uid"),
                        "{\"iss\":\"ISS\",\"aud\":\"my-client\",\"username\":\"jane\",\"groups\":[\"team1\",\"team2\"],\"exp\":VALID,\"uid\":\"1234\"}",
                        u("jane", "1234", List.of("team1", "team2"), Map.of())),
                c("65 uid claim mapping with claim", b -> b.usernameExpression("claims.username").groupsExpression("claims.groups").uid("uid"),
                        "{\"iss\":\"ISS\",\"aud\":\"my-client\",\"username\":\"jane\",\"groups\":[\"team1\",\"team2\"],\"exp\":VALID,\"uid\":\"1234\"}",
                        u("jane", "1234", List.of("team1", "team2"), Map.of())),
                c("66 extra claim mapping with expression", celAll, full, u("jane", "1234", List.of("team1", "team2"),
                        Map.of("example.org/foo", List.of("bar"), "example.org/bar", List.of("baz", "qux")))),
                c("67 extra claim mapping, value derived from claim value", b -> b.usernameExpression("claims.username")
                        .extra("example.org/admin", "(has(claims.is_admin) && claims.is_admin) ? \"true\":\"\"")
                        .extra("example.org/admin_1", "claims.?is_admin.orValue(false) == true ? \"true\":\"\"")
                        .extra("example.org/non_existent", "claims.?non_existent.orValue(\"default\") == \"default\" ? \"true\":\"\""),
                        "{\"iss\":\"ISS\",\"aud\":\"my-client\",\"username\":\"jane\",\"exp\":VALID,\"is_admin\":true}",
                        u("jane", "", List.of(), Map.of("example.org/admin", List.of("true"), "example.org/admin_1", List.of("true"),
                                "example.org/non_existent", List.of("true")))),
                c("68 hardcoded extra claim mapping", b -> b.usernameExpression("claims.username").extra("example.org/admin", "\"true\""),
                        "{\"iss\":\"ISS\",\"aud\":\"my-client\",\"username\":\"jane\",\"exp\":VALID,\"is_admin\":true}",
                        u("jane", "", List.of(), Map.of("example.org/admin", List.of("true")))),
                c("78 extra claim mapping, empty string value for key", celAll, full.replace("\"foo\":\"bar\"", "\"foo\":\"\""),
                        u("jane", "1234", List.of("team1", "team2"), Map.of("example.org/bar", List.of("baz", "qux")))),
                c("79 extra claim mapping with user validation rule succeeds", b -> b.usernameExpression("claims.username")
                        .groupsExpression("claims.groups").uidExpression("claims.uid")
                        .extra("example.org/foo", "'bar'").extra("example.org/baz", "claims.baz")
                        .userValidationRule("'bar' in user.extra['example.org/foo'] && 'qux' in user.extra['example.org/baz']",
                                "example.org/foo must be bar and example.org/baz must be qux"),
                        "{\"iss\":\"ISS\",\"aud\":\"my-client\",\"username\":\"jane\",\"groups\":[\"team1\",\"team2\"],\"exp\":VALID,"
                                + "\"uid\":\"1234\",\"baz\":\"qux\"}",
                        u("jane", "1234", List.of("team1", "team2"), Map.of("example.org/foo", List.of("bar"), "example.org/baz", List.of("qux")))),
                c("80 groups expression returns null", b -> b.usernameExpression("claims.username").groupsExpression("claims.groups"),
                        "{\"iss\":\"ISS\",\"aud\":\"my-client\",\"username\":\"jane\",\"groups\":null,\"exp\":VALID,\"uid\":\"1234\",\"baz\":\"qux\"}",
                        u("jane", "", List.of(), Map.of())),
                c("81 user validation rule doesn't fail when user info is empty except username", b -> b.usernameExpression("claims.username")
                        .groupsExpression("claims.groups").userValidationRule("user.uid == \"\"", "uid must be empty string")
                        .userValidationRule("!('bar' in user.groups)", "groups must not contain bar")
                        .userValidationRule("!('bar' in user.extra)", "extra must not contain bar")
                        .userValidationRule("user.username == \" \"", "username must be a space"),
                        "{\"iss\":\"ISS\",\"aud\":\"my-client\",\"username\":\" \",\"groups\":null,\"exp\":VALID,\"baz\":\"qux\"}",
                        u(" ", "", List.of(), Map.of())),
                c("83 minimum valid jwt payload", b -> b.usernameExpression("claims.user"),
                        "{\"iss\":\"ISS\",\"aud\":\"my-client\",\"user\":\"jane\",\"exp\":VALID}", u("jane", "", List.of(), Map.of())),
                c("89 credential id set in extra even when no extra claim mappings are defined", celUser,
                        "{\"iss\":\"ISS\",\"aud\":\"my-client\",\"username\":\"jane\",\"exp\":VALID,\"jti\":\"1234\"}",
                        u("jane", "", List.of(), Map.of(KubernetesNames.CREDENTIAL_ID_KEY, List.of("JTI=1234")))),
                c("90 credential id set in extra when extra claim mappings are defined", b -> b.usernameExpression("claims.username")
                        .extra("example.org/foo", "claims.foo").extra("example.org/bar", "claims.bar"),
                        "{\"iss\":\"ISS\",\"aud\":\"my-client\",\"username\":\"jane\",\"exp\":VALID,\"jti\":\"1234\",\"foo\":\"bar\",\"bar\":[\"baz\",\"qux\"]}",
                        u("jane", "", List.of(), Map.of(KubernetesNames.CREDENTIAL_ID_KEY, List.of("JTI=1234"),
                                "example.org/foo", List.of("bar"), "example.org/bar", List.of("baz", "qux")))),
                c("93 using credential id and user validation rule to simulate revocation", b -> b.usernameExpression("claims.username")
                        .userValidationRule("!(user.extra[?'authentication.kubernetes.io/credential-id'][0].orValue('') in "
                                + "[\"JTI=ea28ed49-2e11-4280-9ec5-bc3d1d84661a\"])", "credential is revoked"),
                        "{\"iss\":\"ISS\",\"aud\":\"my-client\",\"username\":\"jane\",\"exp\":VALID,\"jti\":\"ea28ed49-2e11-4280-9ec5-bc3d1d84661a\"}",
                        "oidc: error evaluating user info validation rule: validation expression '!(user.extra[?'authentication.kubernetes.io/"
                                + "credential-id'][0].orValue('') in [\"JTI=ea28ed49-2e11-4280-9ec5-bc3d1d84661a\"])' failed: credential is revoked"),
                c("91 non-string jti claim does not set credential id in extra or error", celUser,
                        "{\"iss\":\"ISS\",\"aud\":\"my-client\",\"username\":\"jane\",\"exp\":VALID,\"jti\":1234}", u("jane", "", List.of(), Map.of())),
                c("92 missing jti claim does not set credential id in extra or error", celUser,
                        "{\"iss\":\"ISS\",\"aud\":\"my-client\",\"username\":\"jane\",\"exp\":VALID}", u("jane", "", List.of(), Map.of())));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void testToken(Case c) {
        JwtIssuer.Builder b = c.config().apply(JwtIssuer.builder(ISS).audiences("my-client").signingAlgorithms(List.of("RS256")));
        KeyPair pair = JwtFixtures.k8sKey("rsa_1");
        b.staticKey(JwtFixtures.thumbprintHex(pair.getPublic()), pair.getPublic());
        String token = JwtFixtures.sign(pair, "RS256", JwtFixtures.thumbprintHex(pair.getPublic()), c.claims());
        try (OidcAuthenticator auth = OidcAuthenticator.builder().issuer(b.build()).clock(Clock.fixed(NOW, ZoneOffset.UTC)).build()) {
            AuthenticationResult r = auth.authenticate(token, List.of());
            if (c.expected() instanceof UserInfo user) {
                AuthenticationResult.Authenticated a = assertInstanceOf(AuthenticationResult.Authenticated.class, r, r.toString());
                assertEquals(user, a.user());
            } else {
                AuthenticationResult.Rejected rejected = assertInstanceOf(AuthenticationResult.Rejected.class, r, r.toString());
                assertEquals(c.expected(), rejected.message());
            }
        }
    }

    @Test
    void configurationCasesAreRejectedWithKubernetesMessages() {
        assertEquals("claimMappings.extra[2].key: Duplicate value: \"example.org/foo\"",
                TokenTableTest.problem(() -> JwtIssuer.builder(ISS).audiences("my-client").usernameExpression("claims.username")
                        .extra("example.org/foo", "claims.foo").extra("example.org/bar", "claims.bar")
                        .extra("example.org/foo", "claims.bar").build()));
        assertEquals("claimMappings.username.prefix: Invalid value: \"p:\": may not be specified when expression is set",
                TokenTableTest.problem(() -> JwtIssuer.builder(ISS).audiences("my-client").username(null, "p:")
                        .usernameExpression("claims.sub").build()));
        assertEquals("claimValidationRules[0].expression: Invalid value: \"claims.hd\": must evaluate to bool",
                TokenTableTest.problem(() -> JwtIssuer.builder(ISS).audiences("my-client").username("sub", "")
                        .claimValidationRule("claims.hd", "m").build()));
        assertEquals("claimMappings.extra[0].key: Invalid value: \"example.org/Foo\": must be lowercase",
                TokenTableTest.problem(() -> JwtIssuer.builder(ISS).audiences("my-client").username("sub", "")
                        .extra("example.org/Foo", "claims.foo").build()));
        assertEquals("claimMappings.extra[0].key: Invalid value: \"k8s.io/foo\": k8s.io, kubernetes.io and their subdomains "
                        + "are reserved for Kubernetes use",
                TokenTableTest.problem(() -> JwtIssuer.builder(ISS).audiences("my-client").username("sub", "")
                        .extra("k8s.io/foo", "claims.foo").build()));
    }
}
