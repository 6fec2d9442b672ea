package io.gatehouse.statictoken;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.gatehouse.core.AuthenticationResult.Authenticated;
import io.gatehouse.core.UserInfo;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

/** The token table against a plain map: growth, replacement, misses, and a built table that never changes. */
class TokenTableTest {

    private static UserInfo user(String name) {
        return UserInfo.of(name, "");
    }

    private static String nameOf(Authenticated a) {
        return a == null ? null : a.user().name();
    }

    @Property(tries = 200)
    void agreesWithAMapWhateverTheTokensAndRepeats(
            @ForAll @Size(max = 3000) List<@StringLength(min = 1, max = 6) String> tokens,
            @ForAll @StringLength(min = 1, max = 6) String probe) {
        TokenTable.Builder b = new TokenTable.Builder();
        Map<String, String> model = new HashMap<>();
        for (int i = 0; i < tokens.size(); i++) {
            String t = tokens.get(i);
            boolean replaced = b.put(TokenTable.digest(t), t.length(), user("u" + i));
            assertEquals(model.put(t, "u" + i) != null, replaced, "replaced " + t);
        }
        TokenTable table = b.build();
        assertEquals(model.size(), table.size());
        model.forEach((t, name) -> assertEquals(name, nameOf(table.find(t)), t));
        assertEquals(model.get(probe), nameOf(table.find(probe)));
    }

    @Test
    void growsFarBeyondItsFirstArrays() {
        TokenTable.Builder b = new TokenTable.Builder();
        for (int i = 0; i < 100_000; i++) {
            b.put(TokenTable.digest("token-" + i), 12, user("user-" + i));
        }
        TokenTable table = b.build();
        assertEquals(100_000, table.size());
        assertEquals("user-0", nameOf(table.find("token-0")));
        assertEquals("user-99999", nameOf(table.find("token-99999")));
        assertNull(table.find("token-100000"));
    }

    @Property(tries = 50)
    void aBuiltTableNeverChangesWhenTheBuilderGoesOn(@ForAll @IntRange(min = 1, max = 2000) int before) {
        TokenTable.Builder b = new TokenTable.Builder();
        for (int i = 0; i < before; i++) {
            b.put(TokenTable.digest("t" + i), 4, user("first-" + i));
        }
        TokenTable first = b.build();
        b.put(TokenTable.digest("t0"), 2, user("replaced"));
        b.put(TokenTable.digest("new"), 3, user("new"));
        TokenTable second = b.build();
        assertEquals("first-0", nameOf(first.find("t0")));
        assertNull(first.find("new"));
        assertEquals(before, first.size());
        assertEquals("replaced", nameOf(second.find("t0")));
        assertEquals("new", nameOf(second.find("new")));
    }

    @Test
    void theBuilderOfTheAuthenticatorKeepsBuiltAuthenticatorsApart() {
        StaticTokenAuthenticator.Builder b = StaticTokenAuthenticator.builder().token("alpha", user("alice"));
        try (StaticTokenAuthenticator one = b.build()) {
            b.token("alpha", user("mallory")).token("beta", user("bob"));
            try (StaticTokenAuthenticator two = b.build()) {
                assertEquals("alice", ((Authenticated) one.authenticate("alpha", List.of())).user().name());
                assertEquals("mallory", ((Authenticated) two.authenticate("alpha", List.of())).user().name());
                assertEquals("bob", ((Authenticated) two.authenticate("beta", List.of())).user().name());
            }
        }
    }
}
