package io.gatehouse.examples.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** kube-apiserver flag syntax; bad or conflicting flags are one line and exit status 2, before listening. */
class GatewayFlagsTest {

    @Test
    void bothFlagSyntaxesAndRepeatableFlags() throws Exception {
        GatewayOptions o = GatewayFlags.parse(List.of("--secure-port", "8443", "--token-auth-file=/t.csv",
                "--service-account-issuer=a", "--service-account-issuer", "b", "--anonymous-auth",
                "--api-audiences=x, y", "--oidc-required-claim=hd=example.com"), Set.of(), new LinkedHashMap<>());
        assertEquals(8443, o.securePort());
        assertEquals(Path.of("/t.csv"), o.tokenAuthFile());
        assertEquals(List.of("a", "b"), o.serviceAccountIssuers());
        assertTrue(o.anonymousAuth());
        assertEquals(List.of("x", "y"), o.apiAudiences());
        assertEquals("example.com", o.oidcRequiredClaims().get("hd"));
    }

    @Test
    void defaults() throws Exception {
        GatewayOptions o = GatewayFlags.parse(List.of(), Set.of(), new LinkedHashMap<>());
        assertEquals(6443, o.securePort());
        assertEquals(false, o.anonymousAuth(), "anonymous is off unless asked for (kube-apiserver: on)");
        assertEquals(false, o.serviceAccountLookup(), "no Kubernetes API to look service accounts up in");
    }

    @Test
    void apiAudiencesDefaultToTheServiceAccountIssuers() throws Exception {
        GatewayOptions o = GatewayFlags.parse(List.of("--service-account-issuer=https://issuer"), Set.of(), new LinkedHashMap<>());
        assertEquals(List.of("https://issuer"), ChainFactory.apiAudiences(o));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "--no-such-flag=1 | unknown flag: --no-such-flag",
            "--secure-port=http | invalid argument \"http\" for --secure-port",
            "--anonymous-auth=maybe | invalid argument \"maybe\" for --anonymous-auth",
            "--authentication-config=/a.yaml --oidc-issuer-url=https://x | authentication-config file and oidc-* flags are mutually exclusive",
            "--tls-cert-file=/c.pem | --tls-cert-file and --tls-private-key-file must be given together",
            "--upstream=ftp://x | invalid argument \"ftp://x\" for --upstream",
            "--oidc-required-claim=novalue | must be key=value",
            "--token-auth-file | flag needs an argument: --token-auth-file",
            "positional | unexpected argument \"positional\"",
            "--enable-bootstrap-token-auth | --enable-bootstrap-token-auth needs --bootstrap-token-dir",
            "--service-account-lookup | --service-account-lookup=true needs a Kubernetes API",
    })
    void badFlagsExitWithStatusTwoAndOneLine(String args, String message) throws Exception {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = GatewayMain.run(List.of(args.split(" ")), new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(err, true, StandardCharsets.UTF_8), new CountDownLatch(0));
        String text = err.toString(StandardCharsets.UTF_8);
        assertEquals(2, code, text);
        assertTrue(text.startsWith("gateway: ") && text.contains(message), text);
        assertEquals(1, text.lines().count(), text);
    }
}
