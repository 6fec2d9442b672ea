package io.gatehouse.oidc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.util.JSONObjectUtils;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Kubernetes' regex and lists CEL libraries in the claim environment: their documented examples, Go's
 * FindAllString semantics for empty matches, and claims whose numbers arrive as doubles (JSON).
 */
class KubernetesCelLibraryTest {

    static final String CLAIMS = "{\"roles\":[\"b\",\"a\",\"c\"],\"sorted\":[\"a\",\"b\",\"b\",\"c\"],\"scores\":[1,3,2],"
            + "\"empty\":[],\"iss\":\"https://auth.example.com/realms/x\",\"email\":\"jane.doe@corp.example.com\",\"text\":\"123 abc 456\"}";

    static Object eval(String expression) throws Exception {
        return CelExpressions.compileClaims(expression, false).eval(CelExpressions.claims(JSONObjectUtils.parse(CLAIMS)));
    }

    static String error(String expression) {
        return CelExpressions.errorText(assertThrows(Exception.class, () -> eval(expression)));
    }

    @ParameterizedTest(name = "{0} == {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        // library.Regex, its documented examples and claims
        "'abc 123'.find('[0-9]+') | 123",
        "'abc 123'.find('xyz') | ``",
        "'123 abc 456'.findAll('[0-9]+') | [123, 456]",
        "'123 abc 456'.findAll('[0-9]+', 1) | [123]",
        "'123 abc 456'.findAll('xyz') | []",
        "'123 abc 456'.findAll('[0-9]+', 0) | []",
        "'123 abc 456'.findAll('[0-9]+', -1) | [123, 456]",
        "claims.email.find('@[^.]+') | @corp",
        "claims.email.findAll('[a-z]+', 3) | [jane, doe, corp]",
        // Go's FindAllString: no empty match right after a match; empty matches elsewhere count
        "'abc'.findAll('x*') | [, , , ]",
        "'xax'.findAll('x*') | [x, x]",
        "'日本'.findAll('') | [, , ]",
        // library.URLs, its documented examples
        "isURL('https://user:pass@example.com:80/path?query=val#fragment') | true",
        "isURL('/absolute-path') | true",
        "isURL('https://a:b:c/') | false",
        "isURL('../relative-path') | false",
        "url('/path').getScheme() | ``",
        "url('https://example.com/').getScheme() | https",
        "url('HTTPS://example.com/').getScheme() | https",
        "url('https://example.com:80/').getHost() | example.com:80",
        "url('https://example.com/').getHost() | example.com",
        "url('https://[::1]:80/').getHost() | [::1]:80",
        "url('https://[::1]/').getHost() | [::1]",
        "url('/path').getHost() | ``",
        "url('https://example.com:80/').getHostname() | example.com",
        "url('https://127.0.0.1:80/').getHostname() | 127.0.0.1",
        "url('https://[::1]:80/').getHostname() | ::1",
        "url('/path').getHostname() | ``",
        "url('https://example.com:80/').getPort() | 80",
        "url('https://example.com/').getPort() | ``",
        "url('/path').getPort() | ``",
        "url('https://example.com/path').getEscapedPath() | /path",
        "url('https://example.com/path with spaces/').getEscapedPath() | /path%20with%20spaces/",
        "url('https://example.com/a%2Fb').getEscapedPath() | /a%2Fb",
        "url('https://example.com').getEscapedPath() | ``",
        "url('https://example.com/path?k1=a&k2=b&k2=c').getQuery() | {k1=[a], k2=[b, c]}",
        "url('https://example.com/path?key with spaces=value with spaces').getQuery() | {key with spaces=[value with spaces]}",
        "url('https://example.com/path?').getQuery() | {}",
        "url('https://example.com/path').getQuery() | {}",
        "url('https://example.com/?a=1;b=2&c=%zz&d=x+y').getQuery() | {d=[x y]}",
        "url(claims.iss).getHostname() | auth.example.com",
        // library.Lists
        "[1, 2, 3].isSorted() | true",
        "['a', 'b', 'b', 'c'].isSorted() | true",
        "[2.0, 1.0].isSorted() | false",
        "claims.sorted.isSorted() | true",
        "claims.roles.isSorted() | false",
        "[1, 3].sum() | 4",
        "[1.0, 3.0].sum() | 4.0",
        "claims.scores.sum() | 6.0",
        "[1, 3].min() | 1",
        "[1, 3].max() | 3",
        "claims.roles.min() | a",
        "claims.scores.max() | 3.0",
        "[1, 2, 2, 3].indexOf(2) | 1",
        "['a', 'b', 'b', 'c'].lastIndexOf('b') | 2",
        "[1.0].indexOf(1.1) | -1",
        "claims.roles.indexOf('c') | 2",
        "claims.scores.indexOf(3) | 1",
    })
    void evaluatesAsKubernetes(String expression, String expected) throws Exception {
        assertEquals(expected, render(eval(expression)));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "[1].min() + [0].filter(x, x > 1).min() | min called on empty list",
        "claims.empty.max() | max called on empty list",
        "'x'.find('[') | Illegal regex: ",
        "url('https://a:b:c/') | URL parse error during conversion from string: parse \"https://a:b:c/\": invalid port \":c\" after host",
        "url('../relative-path') | URL parse error during conversion from string: parse \"../relative-path\": invalid URI for request",
        "url('https://exa mple.com/') | invalid character \" \" in host name",
        "url('https://example.com/%zz') | invalid URL escape \"%zz\"",
    })
    void errorsCarryKubernetesTexts(String expression, String expected) {
        String m = error(expression);
        assertTrue(m.contains(expected), m);
    }

    @Property(tries = 300)
    void findAllAgreesWithFindAndNeverThrowsOnValidPatterns(@ForAll @StringLength(max = 24) String text) throws Exception {
        for (String re : List.of("[a-z]+", "x*", "", "\\d", "(?i)A.")) {
            List<String> all = KubernetesCelLibrary.findAll(text, re, -1);
            List<String> first = KubernetesCelLibrary.findAll(text, re, 1);
            assertEquals(all.isEmpty() ? List.of() : List.of(all.get(0)), first);
            assertEquals(all.subList(0, Math.min(2, all.size())), KubernetesCelLibrary.findAll(text, re, 2));
        }
    }

    @Property(tries = 1000)
    void urlParsingAnswersEveryStringWithAValueOrGosError(@ForAll @StringLength(max = 40) String raw,
                                                          @ForAll("urlish") String urlish) {
        for (String s : List.of(raw, urlish)) {
            try {
                GoUrl u = GoUrl.parse(s);
                u.hostname();
                u.port();
                u.escapedPath();
                u.query();
            } catch (GoUrl.UrlException e) {
                assertTrue(e.getMessage().startsWith("parse \""), e.getMessage());
            }
            try {
                GoUrl.parseRequestUri(s);
            } catch (GoUrl.UrlException e) {
                assertTrue(e.getMessage().startsWith("parse \""), e.getMessage());
            }
        }
    }

    @net.jqwik.api.Provide
    net.jqwik.api.Arbitrary<String> urlish() {
        return net.jqwik.api.Arbitraries.strings().withChars("htps:/@[]%25?&=#.:x1 +;").ofMaxLength(30)
                .map(tail -> "https://" + tail);
    }

    private static String render(Object v) {
        if (v instanceof List<?> l) {
            StringBuilder sb = new StringBuilder("[");
            for (int i = 0; i < l.size(); i++) {
                sb.append(i == 0 ? "" : ", ").append(render(l.get(i)));
            }
            return sb.append(']').toString();
        }
        return String.valueOf(v);
    }

}
