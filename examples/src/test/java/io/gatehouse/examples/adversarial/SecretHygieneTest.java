package io.gatehouse.examples.adversarial;

import io.gatehouse.bootstrap.BootstrapTokenGenerator;
import io.gatehouse.bootstrap.BootstrapTokenSecret;
import io.gatehouse.bootstrap.GeneratedBootstrapToken;
import io.gatehouse.core.AuthenticationChain;
import io.gatehouse.core.AuthenticationListener;
import io.gatehouse.core.AuthenticationRequest;
import io.gatehouse.core.AuthenticationResult.Rejected;
import io.gatehouse.core.AuthenticationResult;
import io.gatehouse.core.ConfigurationException;
import io.gatehouse.core.TokenCachePolicy;
import io.gatehouse.core.testing.LogCapture;
import io.gatehouse.core.testing.RecordingListener;
import io.gatehouse.serviceaccount.IssuedToken;
import io.gatehouse.serviceaccount.ServiceAccountKeys;
import io.gatehouse.serviceaccount.ServiceAccountTokenIssuer;
import io.gatehouse.serviceaccount.TokenRequest;
import io.gatehouse.statictoken.StaticTokenAuthenticator;
import io.gatehouse.testing.TestPki;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * No token, bootstrap secret or private key in any toString, verdict, explanation, event or exception
 * message, across all five methods and the objects an embedder holds. (Log lines are checked for the whole
 * suite by core's capture, which fails any test whose Gatehouse logs contain a declared secret or key.)
 */
class SecretHygieneTest {

    /** Anything shaped like a JWS/JWT, as core's log capture looks for it. */
    private static final java.util.regex.Pattern JWT = java.util.regex.Pattern.compile("eyJ[A-Za-z0-9_-]{8,}\\.eyJ[A-Za-z0-9_-]{8,}");

    @TempDir
    Path dir;

    private final World world = World.shared();

    /** Every secret the world holds: tokens, bootstrap secrets, private keys in PEM and DER base64. */
    private List<String> secrets() {
        List<String> s = new ArrayList<>();
        world.credentials.stream().filter(c -> c.token() != null).forEach(c -> {
            s.add(c.token());
            // A JWT's signature alone would let no one in, but its payload and header are public; the secret part
            // of an opaque token is all of it. For bootstrap tokens the secret half is checked on its own too.
            if (c.kind() == World.Kind.BOOTSTRAP) {
                s.add(c.token().substring(7));
            }
        });
        for (java.security.KeyPair k : List.of(world.saKeys, world.oidcRsa, world.oidcEc, world.attacker)) {
            String der = Base64.getEncoder().encodeToString(k.getPrivate().getEncoded());
            s.add(der.substring(der.length() / 2, der.length() / 2 + 40));
            String pem = TestPki.pemOf(k.getPrivate());
            s.add(pem.lines().skip(2).findFirst().orElseThrow());
        }
        return s;
    }

    private void assertClean(String where, String text) {
        for (String secret : secrets()) {
            assertFalse(text.contains(secret), () -> where + " contains a secret (" + secret.length() + " chars)");
        }
        assertFalse(JWT.matcher(text).find(), () -> where + " contains a JWT");
        assertFalse(text.contains("PRIVATE KEY"), () -> where + " contains a private key");
    }

    @Test
    void objectsAnEmbedderHoldsNeverShowASecret() {
        GeneratedBootstrapToken generated = BootstrapTokenGenerator.builder().build().generate();
        LogCapture.secret(generated.token());
        IssuedToken issued = world.saIssuer.issue(TokenRequest.forServiceAccount("ns", "sa", "uid"));
        LogCapture.secret(issued.token());
        List<Supplier<Object>> objects = List.of(
                () -> world.staticTokens, () -> world.bootstrap, () -> world.bootstrapStore, () -> world.saIssuer,
                () -> world.serviceAccounts, () -> world.oidc, () -> world.x509, () -> generated, () -> generated.secret(),
                () -> BootstrapTokenGenerator.builder().build(), () -> issued);
        for (Supplier<Object> o : objects) {
            String text = String.valueOf(o.get());
            assertClean(o.get().getClass().getSimpleName() + ".toString()", text);
            assertFalse(text.contains(generated.secret().get(BootstrapTokenSecret.TOKEN_SECRET)), text);
            assertFalse(text.contains(issued.token()), text);
        }
        for (World.Credential c : world.credentials) {
            assertClean("AuthenticationRequest.toString()", c.request().toString());
        }
    }

    @Test
    void verdictsExplanationsAndEventsNeverShowASecret() {
        RecordingListener events = new RecordingListener();
        try (AuthenticationChain chain = world.chain(new TokenCachePolicy(Duration.ofSeconds(10), Duration.ofSeconds(10), 100), events);
             AuthenticationChain logging = world.chain(TokenCachePolicy.DISABLED, AuthenticationListener.logging())) {
            List<AuthenticationRequest> requests = new ArrayList<>();
            for (World.Credential c : world.credentials) {
                requests.add(c.request());
                if (c.token() != null) {
                    // One character off: the message of the refusal must not quote what was presented either.
                    String off = c.token().substring(0, c.token().length() - 1) + (c.token().endsWith("a") ? "b" : "a");
                    LogCapture.secret(off);
                    requests.add(AuthenticationRequest.bearer(off));
                    requests.add(AuthenticationRequest.builder().header("Authorization", "Bearer  " + c.token()).build());
                    requests.add(AuthenticationRequest.builder().header("Authorization", "Basic " + c.token()).build());
                }
            }
            for (AuthenticationRequest r : requests) {
                for (int i = 0; i < 2; i++) {
                    AuthenticationResult verdict = chain.authenticate(r);
                    assertClean("verdict " + verdict.getClass().getSimpleName(), verdict.toString());
                    logging.authenticate(r);
                }
                assertClean("explanation", chain.explain(r).toString());
            }
            for (String e : events.events()) {
                assertClean("event", e);
            }
        }
    }

    @Test
    void aWrongBootstrapSecretIsNamedByIdOnly() {
        World.Credential c = world.credentials(World.Kind.BOOTSTRAP).get(0);
        String wrong = c.token().substring(0, 7) + "0123456789abcdef";
        LogCapture.secret(wrong.substring(7));
        try (AuthenticationChain chain = world.chain(TokenCachePolicy.DISABLED, AuthenticationListener.logging())) {
            Rejected r = assertInstanceOf(Rejected.class, chain.authenticate(AuthenticationRequest.bearer(wrong)));
            assertClean("rejection", r.toString());
            assertFalse(r.toString().contains("0123456789abcdef"), r::toString);
        }
    }

    @Test
    void configurationErrorsNeverQuoteTheSecretsInTheFile() throws Exception {
        String token = LogCapture.secret("c0ffee00c0ffee00c0ffee00c0ffee00");
        Path csv = dir.resolve("tokens.csv");
        for (String content : List.of(token + ",alice\n", token + ",alice,uid,\"unterminated\n", "a,b,c\n" + token + "\n",
                token + ",,uid\n", "\"" + token + ",alice,uid\n")) {
            Files.writeString(csv, content);
            try {
                StaticTokenAuthenticator.builder().file(csv).reloadInterval(Duration.ZERO).build().close();
            } catch (ConfigurationException e) {
                assertFalse(e.getMessage().contains(token), e::getMessage);
                assertFalse(String.valueOf(e).contains(token));
            }
        }
        String privatePem = TestPki.pemOf(world.attacker.getPrivate());
        String body = privatePem.lines().skip(1).findFirst().orElseThrow();
        LogCapture.secret(body);
        Path key = dir.resolve("key.pem");
        for (String content : List.of(privatePem.replace(body, body.substring(0, 20) + "!!" + body.substring(22)),
                privatePem.substring(0, privatePem.length() / 2), privatePem.replace("EC PRIVATE", "RSA PRIVATE"))) {
            Files.writeString(key, content);
            ConfigurationException e = assertThrows(ConfigurationException.class, () -> ServiceAccountKeys.readSigningKey(key));
            assertClean("key file error", e.getMessage());
            assertFalse(e.getMessage().contains(body.substring(0, 20)), e::getMessage);
            ConfigurationException e2 = assertThrows(ConfigurationException.class,
                    () -> ServiceAccountTokenIssuer.builder().signingKeyFile(key).issuer("https://x.example").build());
            assertClean("issuer key error", e2.getMessage());
        }
    }
}
