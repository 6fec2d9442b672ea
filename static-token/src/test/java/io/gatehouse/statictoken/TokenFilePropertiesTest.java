package io.gatehouse.statictoken;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.gatehouse.core.AuthenticationListener;
import io.gatehouse.core.AuthenticationResult.Abstained;
import io.gatehouse.core.AuthenticationResult.Authenticated;
import io.gatehouse.core.UserInfo;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Any token table written in Kubernetes' format reads back as the same users. */
class TokenFilePropertiesTest {

    record Row(String token, UserInfo user, boolean hashed) {
    }

    @Property(tries = 200)
    void anyWrittenTableParsesBackIdentically(@ForAll("tables") List<Row> rows) {
        StringBuilder file = new StringBuilder();
        Map<String, UserInfo> expected = new LinkedHashMap<>();
        for (Row r : rows) {
            String tokenColumn = r.hashed()
                    ? TokenFileParser.HASH_PREFIX + java.util.HexFormat.of().formatHex(TokenTable.digest(r.token()))
                    : r.token();
            file.append(quote(tokenColumn)).append(',').append(quote(r.user().name())).append(',')
                    .append(quote(r.user().uid()));
            if (!r.user().groups().isEmpty()) {
                file.append(',').append(quote(String.join(",", r.user().groups())));
            }
            file.append('\n');
            expected.put(r.token(), r.user());
        }
        TokenTable table = TokenFileParser.parse(file.toString(), "generated.csv", AuthenticationListener.NONE);
        assertEquals(expected.size(), table.size());
        expected.forEach((token, user) -> assertEquals(user, table.find(token).user(), "token row for " + user.name()));
    }

    @Property(tries = 200)
    void unknownTokensAbstain(@ForAll("tables") List<Row> rows, @ForAll("tokens") String probe) {
        StaticTokenAuthenticator.Builder b = StaticTokenAuthenticator.builder();
        boolean known = false;
        for (Row r : rows) {
            b.token(r.token(), r.user());
            known |= r.token().equals(probe);
        }
        if (rows.isEmpty()) {
            return;
        }
        StaticTokenAuthenticator auth = b.build();
        if (known) {
            assertInstanceOf(Authenticated.class, auth.authenticate(probe, List.of()));
        } else {
            assertInstanceOf(Abstained.class, auth.authenticate(probe, List.of()));
        }
    }

    private static String quote(String field) {
        return '"' + field.replace("\"", "\"\"") + '"';
    }

    @Provide
    Arbitrary<String> tokens() {
        return Arbitraries.strings().withChars("abcXYZ019-_.~+/= \"',é").ofMinLength(1).ofMaxLength(10);
    }

    @Provide
    Arbitrary<List<Row>> tables() {
        Arbitrary<String> text = Arbitraries.strings().withChars("abc019:-_ \"',\né").ofMaxLength(10)
                .filter(s -> !s.contains("\r"));
        Arbitrary<String> group = Arbitraries.strings().withChars("abc019:- \"é").ofMaxLength(8);
        Arbitrary<UserInfo> user = Combinators.combine(text, text, group.list().ofMaxSize(3))
                .as((name, uid, groups) -> new UserInfo(name, uid, groups, Map.of()));
        Arbitrary<Row> row = Combinators.combine(tokens(), user, Arbitraries.of(true, false)).as(Row::new);
        return row.list().ofMaxSize(10).uniqueElements(Row::token).map(ArrayList::new);
    }
}
