package io.gatehouse.statictoken;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gatehouse.core.AuthenticationResult;
import io.gatehouse.core.AuthenticationResult.Abstained;
import io.gatehouse.core.AuthenticationResult.Authenticated;
import io.gatehouse.core.ConfigurationException;
import io.gatehouse.core.testing.LogCapture;
import io.gatehouse.core.testing.RecordingListener;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Kubernetes' tokenfile_test.go table (TestTokenFile, TestBadTokenFile, TestInsufficientColumns, TestEmptyToken). */
class TokenFileTest {

    /** The file of TestTokenFile, leading blank line included. */
    private static final String KUBERNETES_FILE = """

            token1,user1,uid1
            token2,user2,uid2
            token3,user3,uid3,"group1,group2"
            token4,user4,uid4,"group2"
            token5,user5,uid5,group5
            token6,user6,uid6,group5,otherdata
            token7,user7,uid7,"group1,group2",otherdata
            """;

    @TempDir
    Path dir;

    private StaticTokenAuthenticator load(String content, RecordingListener listener) throws IOException {
        Path file = dir.resolve("tokens.csv");
        Files.writeString(file, content, StandardCharsets.UTF_8);
        return StaticTokenAuthenticator.builder().file(file).reloadInterval(Duration.ZERO).listener(listener).build();
    }

    @ParameterizedTest(name = "{0} -> {1}/{2} groups [{3}]")
    @CsvSource(delimiter = '|', nullValues = "-", value = {
            "token1 | user1 | uid1 | ",
            "token2 | user2 | uid2 | ",
            "token3 | user3 | uid3 | group1;group2",
            "token4 | user4 | uid4 | group2",
            "token5 | user5 | uid5 | group5",
            "token6 | user6 | uid6 | group5",
            "token7 | user7 | uid7 | group1;group2",
    })
    void kubernetesTable(String token, String name, String uid, String groups) throws IOException {
        try (StaticTokenAuthenticator tokens = load(KUBERNETES_FILE, new RecordingListener())) {
            AuthenticationResult r = tokens.authenticate(token, List.of());
            Authenticated a = assertInstanceOf(Authenticated.class, r);
            assertEquals(name, a.user().name());
            assertEquals(uid, a.user().uid());
            assertEquals(groups == null ? List.of() : List.of(groups.split(";")), a.user().groups());
            assertTrue(a.audiences().isEmpty(), "the token file returns no audiences; the chain adds them");
        }
    }

    @Test
    void unknownTokenAbstains() throws IOException {
        try (StaticTokenAuthenticator tokens = load(KUBERNETES_FILE, new RecordingListener())) {
            assertInstanceOf(Abstained.class, tokens.authenticate("token8", List.of()));
            assertEquals(7, tokens.size());
        }
    }

    @Test
    void oneShortRecordRejectsTheWholeFile() {
        ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> load("token1,user1,uid1\ntoken3,user3\ntoken4\n", new RecordingListener()));
        assertTrue(e.getMessage().contains("must have at least 3 columns (token, user name, user uid), found 2"),
                e.getMessage());
        assertTrue(e.getMessage().contains("tokens.csv"), "names the file: " + e.getMessage());
    }

    @Test
    void insufficientColumns() {
        ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> load("token4\n", new RecordingListener()));
        assertTrue(e.getMessage().endsWith("found 1"), e.getMessage());
    }

    @Test
    void emptyTokenIsSkippedWithAWarning() throws IOException {
        RecordingListener listener = new RecordingListener();
        try (StaticTokenAuthenticator tokens = load(",user5,uid5\n", listener)) {
            assertEquals(0, tokens.size());
            assertEquals(1, listener.eventsStartingWith("warning").size());
            assertTrue(listener.events().get(0).contains("empty token has been found in token file"), listener.events().toString());
            assertTrue(listener.events().get(0).contains("record number '1'"), listener.events().toString());
        }
    }

    @Test
    void duplicateTokenLastWinsWithAWarning() throws IOException {
        LogCapture.secret("dup-token-1");
        RecordingListener listener = new RecordingListener();
        try (StaticTokenAuthenticator tokens = load("dup-token-1,first,1\ndup-token-1,second,2\n", listener)) {
            Authenticated a = assertInstanceOf(Authenticated.class, tokens.authenticate("dup-token-1", List.of()));
            assertEquals("second", a.user().name());
            List<String> warnings = listener.eventsStartingWith("warning");
            assertEquals(1, warnings.size());
            assertTrue(warnings.get(0).contains("duplicate token has been found in token file"), warnings.get(0));
            assertTrue(warnings.get(0).contains("record number '2'"), warnings.get(0));
            assertFalse(warnings.get(0).contains("dup-token-1"), "warnings never name the token");
        }
    }

    @Test
    void emptyFourthColumnKeepsKubernetesSingleEmptyGroup() throws IOException {
        try (StaticTokenAuthenticator tokens = load("tokenA,u,1,\n", new RecordingListener())) {
            Authenticated a = assertInstanceOf(Authenticated.class, tokens.authenticate("tokenA", List.of()));
            assertEquals(List.of(""), a.user().groups(), "Go's strings.Split(\"\", \",\") is [\"\"]");
        }
    }

    @Test
    void spacesAreKeptAsKubernetesDoes() throws IOException {
        try (StaticTokenAuthenticator tokens = load(" spaced ,user x , uid\n", new RecordingListener())) {
            assertInstanceOf(Abstained.class, tokens.authenticate("spaced", List.of()));
            Authenticated a = assertInstanceOf(Authenticated.class, tokens.authenticate(" spaced ", List.of()));
            assertEquals("user x ", a.user().name());
            assertEquals(" uid", a.user().uid());
        }
    }

    @Test
    void hashedTokensAuthenticateTheirPlainToken() throws IOException {
        LogCapture.secret("s3cret-token");
        // printf %s s3cret-token | sha256sum
        String hash = java.util.HexFormat.of().formatHex(TokenTable.digest("s3cret-token"));
        try (StaticTokenAuthenticator tokens = load("sha256:" + hash + ",alice,42,admins\n", new RecordingListener())) {
            Authenticated a = assertInstanceOf(Authenticated.class, tokens.authenticate("s3cret-token", List.of()));
            assertEquals("alice", a.user().name());
            assertInstanceOf(Abstained.class, tokens.authenticate("sha256:" + hash, List.of()),
                    "the digest itself is not a credential");
        }
    }

    @Test
    void tokensLongerThanAnyInTheTableAreMissesAndHashedEntriesOfAnyLengthStillMatch() throws IOException {
        // A plain table knows its longest token and does not hash longer ones; a digest-only entry could be
        // for a token of any length, so a table holding one hashes every token.
        String jwtLike = "eyJ" + "a".repeat(900);
        LogCapture.secret(jwtLike);
        try (StaticTokenAuthenticator tokens = load("short-token,alice,1\n", new RecordingListener())) {
            assertInstanceOf(Abstained.class, tokens.authenticate(jwtLike, List.of()));
            assertInstanceOf(Abstained.class, tokens.authenticate("short-tokeN", List.of()));
            assertEquals("alice", ((Authenticated) tokens.authenticate("short-token", List.of())).user().name());
        }
        String hash = java.util.HexFormat.of().formatHex(TokenTable.digest(jwtLike));
        try (StaticTokenAuthenticator tokens = load("short-token,alice,1\nsha256:" + hash + ",bob,2\n",
                new RecordingListener())) {
            assertEquals("bob", ((Authenticated) tokens.authenticate(jwtLike, List.of())).user().name());
            assertInstanceOf(Abstained.class, tokens.authenticate(jwtLike + "a", List.of()));
        }
    }

    @Test
    void hashedTokenMustBeSixtyFourHexDigits() {
        ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> load("sha256:abc,alice,42\n", new RecordingListener()));
        assertTrue(e.getMessage().contains("record number '1'"), e.getMessage());
        assertTrue(e.getMessage().contains("64 hexadecimal digits"), e.getMessage());
    }

    @Test
    void plainAndHashedFormOfOneTokenAreDuplicates() throws IOException {
        String hash = java.util.HexFormat.of().formatHex(TokenTable.digest("tokenZ"));
        RecordingListener listener = new RecordingListener();
        try (StaticTokenAuthenticator tokens = load("tokenZ,first,1\nsha256:" + hash + ",second,2\n", listener)) {
            assertEquals("second", ((Authenticated) tokens.authenticate("tokenZ", List.of())).user().name());
            assertEquals(1, listener.eventsStartingWith("warning").size());
        }
    }

    @Test
    void csvSyntaxErrorFailsTheLoadNamingLineAndColumn() {
        ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> load("token1,us\"er,uid\n", new RecordingListener()));
        assertTrue(e.getMessage().contains("parse error on line 1, column 10: bare \" in non-quoted-field"), e.getMessage());
    }

    @Test
    void invalidUtf8FailsTheLoad() throws IOException {
        Path file = dir.resolve("tokens.csv");
        Files.write(file, new byte[] {'t', 'o', 'k', (byte) 0xff, ',', 'u', ',', '1', '\n'});
        ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> StaticTokenAuthenticator.builder().file(file).reloadInterval(Duration.ZERO).build());
        assertTrue(e.getMessage().contains("not valid UTF-8"), e.getMessage());
    }

    @Test
    void missingFileFailsTheBuildNamingTheFile() {
        Path missing = dir.resolve("nope.csv");
        ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> StaticTokenAuthenticator.builder().file(missing).build());
        assertTrue(e.getMessage().startsWith(missing.toString()), e.getMessage());
    }

    @Test
    void toStringNamesNoToken() throws IOException {
        LogCapture.secret("visible-token");
        try (StaticTokenAuthenticator tokens = load("visible-token,u,1\n", new RecordingListener())) {
            assertFalse(tokens.toString().contains("visible-token"), tokens.toString());
            assertTrue(tokens.toString().contains("1 tokens"), tokens.toString());
        }
    }

    @Test
    void inMemoryTokens() {
        StaticTokenAuthenticator tokens = StaticTokenAuthenticator.builder()
                .token("mem-token", io.gatehouse.core.UserInfo.of("bob", "7"))
                .build();
        assertEquals("bob", ((Authenticated) tokens.authenticate("mem-token", List.of())).user().name());
        assertThrows(IllegalStateException.class, () -> StaticTokenAuthenticator.builder().build());
        assertThrows(IllegalArgumentException.class,
                () -> StaticTokenAuthenticator.builder().token("", io.gatehouse.core.UserInfo.of("x", "")));
    }
}
