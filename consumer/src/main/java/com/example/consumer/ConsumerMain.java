package com.example.consumer;

import io.gatehouse.bootstrap.BootstrapTokenDirectory;
import io.gatehouse.bootstrap.BootstrapTokenGenerator;
import io.gatehouse.bootstrap.GeneratedBootstrapToken;
import io.gatehouse.core.AuthenticationChain;
import io.gatehouse.core.AuthenticationListener;
import io.gatehouse.core.AuthenticationRequest;
import io.gatehouse.core.AuthenticationResult;
import io.gatehouse.core.ChainConfigLoader;
import io.gatehouse.core.UserInfo;
import io.gatehouse.statictoken.StaticTokenAuthenticator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * What a user of the published artifacts writes: a chain built with the builders (static tokens) and one loaded
 * from YAML (static tokens and bootstrap tokens, each type found through ServiceLoader in its jar). Prints one line
 * per check and exits 0 only when every verdict is the expected one.
 */
public final class ConsumerMain {

    private ConsumerMain() {
    }

    public static void main(String[] args) throws Exception {
        String path = ConsumerMain.class.getModule().isNamed() ? "module path" : "class path";
        System.out.println("running on the " + path);
        Path dir = Files.createTempDirectory("gatehouse-consumer-");
        String token = HexFormat.of().formatHex(new SecureRandom().generateSeed(16));
        Files.writeString(dir.resolve("tokens.csv"), token + ",alice,1001,\"dev,ops\"\n");
        GeneratedBootstrapToken bootstrap = BootstrapTokenGenerator.builder().ttl(Duration.ofHours(1)).build().generate();
        Path secrets = Files.createDirectories(dir.resolve("secrets"));
        try (BootstrapTokenDirectory store = BootstrapTokenDirectory.builder(secrets)
                .listener(AuthenticationListener.NONE).reloadInterval(Duration.ZERO).build()) {
            store.write(bootstrap.secret());
        }
        Files.writeString(dir.resolve("chain.yaml"), String.join("\n",
                "authenticators:",
                "  - type: static-token",
                "    file: tokens.csv",
                "  - type: bootstrap-token",
                "    secretsDirectory: secrets",
                ""));

        int failures = 0;
        StaticTokenAuthenticator tokens = StaticTokenAuthenticator.builder()
                .token(token, new UserInfo("alice", "1001", List.of("dev", "ops"), Map.of())).build();
        try (AuthenticationChain built = AuthenticationChain.builder().addToken("static-token", tokens).build()) {
            failures += check("builder: static token", built, token, "alice");
            failures += check("builder: wrong token", built, token + "x", null);
        }
        try (AuthenticationChain loaded = ChainConfigLoader.create().load(dir.resolve("chain.yaml"))) {
            failures += check("yaml: static token", loaded, token, "alice");
            failures += check("yaml: bootstrap token", loaded, bootstrap.token(),
                    "system:bootstrap:" + bootstrap.id());
        }
        System.out.println(failures == 0 ? "consumer: all checks passed on the " + path
                : "consumer: " + failures + " check(s) FAILED on the " + path);
        System.exit(failures == 0 ? 0 : 1);
    }

    private static int check(String what, AuthenticationChain chain, String bearer, String expectedUser) {
        AuthenticationResult verdict = chain.authenticate(AuthenticationRequest.bearer(bearer));
        boolean ok = expectedUser == null
                ? !(verdict instanceof AuthenticationResult.Authenticated)
                : verdict instanceof AuthenticationResult.Authenticated a && a.user().name().equals(expectedUser);
        System.out.println((ok ? "ok     " : "FAILED ") + what + " -> " + describe(verdict));
        return ok ? 0 : 1;
    }

    private static String describe(AuthenticationResult verdict) {
        return verdict instanceof AuthenticationResult.Authenticated a
                ? a.user().name() + " " + a.user().groups()
                : verdict.getClass().getSimpleName();
    }
}
