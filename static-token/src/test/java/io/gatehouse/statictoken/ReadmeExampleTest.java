package io.gatehouse.statictoken;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gatehouse.core.AuthenticationChain;
import io.gatehouse.core.AuthenticationRequest;
import io.gatehouse.core.AuthenticationResult;
import io.gatehouse.core.testing.LogCapture;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's embedding example compiles, runs, and stays word for word what the README shows. */
class ReadmeExampleTest {

    @TempDir
    Path dir;

    /** The README example; the lines between the markers appear verbatim in README.md. */
    static String whoIs(Path tokenFile, String authorizationHeader) {
        // readme:begin
        StaticTokenAuthenticator tokens = StaticTokenAuthenticator.builder()
                .file(tokenFile)                     // token,user,uid,"group1,group2"
                .build();
        try (AuthenticationChain chain = AuthenticationChain.builder()
                .addToken("static-token", tokens)
                .apiAudiences(List.of("https://kubernetes.default.svc"))
                .build()) {
            AuthenticationResult verdict = chain.authenticate(AuthenticationRequest.builder()
                    .header("Authorization", authorizationHeader)
                    .build());
            return verdict instanceof AuthenticationResult.Authenticated ok
                    ? ok.user().name() + " " + ok.user().groups()
                    : "401 Unauthorized";                // log verdict, never show it to the client
        }
        // readme:end
    }

    @Test
    void theExampleWorks() throws IOException {
        LogCapture.secret("31ada4fd-adec-460c");
        Path file = dir.resolve("tokens.csv");
        Files.writeString(file, "31ada4fd-adec-460c,alice,1001,\"dev,ops\"\n");
        assertEquals("alice [dev, ops, system:authenticated]", whoIs(file, "Bearer 31ada4fd-adec-460c"));
        assertEquals("401 Unauthorized", whoIs(file, "Bearer wrong"));
    }

    @Test
    void theReadmeShowsThisExampleVerbatim() throws IOException {
        Path root = Path.of(System.getProperty("gatehouse.repoRoot", "."));
        String source = Files.readString(root.resolve("static-token/src/test/java/io/gatehouse/statictoken/ReadmeExampleTest.java"));
        String snippet = source.substring(source.indexOf("// readme:begin\n") + "// readme:begin\n".length(),
                source.indexOf("        // readme:end"));
        String readme = Files.readString(root.resolve("README.md"));
        String expected = outdent(snippet);
        assertTrue(readme.contains(expected), "README.md must contain the example exactly:\n" + expected);
    }

    private static String outdent(String block) {
        List<String> lines = Arrays.asList(block.split("\n", -1));
        int indent = lines.stream().filter(l -> !l.isBlank())
                .mapToInt(l -> l.length() - l.stripLeading().length()).min().orElse(0);
        return lines.stream().map(l -> l.length() >= indent ? l.substring(indent) : l.strip())
                .collect(Collectors.joining("\n"));
    }
}
