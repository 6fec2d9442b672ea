package io.gatehouse.oidc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.util.JSONObjectUtils;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Kubernetes' CEL libraries in the claim environment (regex, URLs, IP and CIDR, semver, quantity, lists): their
 * documented examples, Go's FindAllString semantics for empty matches, resource.Quantity's parsing and error texts,
 * and claims whose numbers arrive as doubles (JSON).
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
        // library.IP and library.CIDR, their documented examples
        "isIP('127.0.0.1') | true",
        "isIP('::1') | true",
        "isIP('127.0.0.256') | false",
        "isIP(':::1') | false",
        "isIP('01.2.3.4') | false",
        "isIP('fe80::1%eth0') | false",
        "isIP('::ffff:1.2.3.4') | false",
        "ip.isCanonical('127.0.0.1') | true",
        "ip.isCanonical('2001:db8::abcd') | true",
        "ip.isCanonical('2001:DB8::ABCD') | false",
        "ip.isCanonical('2001:db8::0:0:0:abcd') | false",
        "ip('127.0.0.1').family() | 4",
        "ip('::1').family() | 6",
        "ip('0.0.0.0').isUnspecified() | true",
        "ip('127.0.0.1').isUnspecified() | false",
        "ip('::').isUnspecified() | true",
        "ip('127.0.0.1').isLoopback() | true",
        "ip('192.168.0.1').isLoopback() | false",
        "ip('::1').isLoopback() | true",
        "ip('2001:db8::abcd').isLoopback() | false",
        "ip('224.0.0.1').isLinkLocalMulticast() | true",
        "ip('224.0.1.1').isLinkLocalMulticast() | false",
        "ip('ff02::1').isLinkLocalMulticast() | true",
        "ip('fd00::1').isLinkLocalMulticast() | false",
        "ip('169.254.169.254').isLinkLocalUnicast() | true",
        "ip('192.168.0.1').isLinkLocalUnicast() | false",
        "ip('fe80::1').isLinkLocalUnicast() | true",
        "ip('fd80::1').isLinkLocalUnicast() | false",
        "ip('192.168.0.1').isGlobalUnicast() | true",
        "ip('255.255.255.255').isGlobalUnicast() | false",
        "ip('2001:db8::abcd').isGlobalUnicast() | true",
        "ip('ff00::1').isGlobalUnicast() | false",
        "string(ip('2001:0db8:0000:0000:0001:0000:0000:0001')) | 2001:db8::1:0:0:1",
        "string(1) + string(ip('::')) | 1::",
        "isCIDR('192.168.0.0/16') | true",
        "isCIDR('192.168.0.0/33') | false",
        "isCIDR('::1/128') | true",
        "cidr('192.168.0.0/24').containsIP(ip('192.168.0.1')) | true",
        "cidr('192.168.0.0/24').containsIP(ip('192.168.1.1')) | false",
        "cidr('192.168.0.0/24').containsIP('192.168.0.1') | true",
        "cidr('::1/128').containsIP('::1') | true",
        "cidr('192.168.0.0/24').containsIP('::1') | false",
        "cidr('192.168.0.0/24').containsCIDR(cidr('192.168.0.0/25')) | true",
        "cidr('192.168.0.0/24').containsCIDR('192.168.0.0/23') | false",
        "cidr('192.168.0.1/24').containsCIDR('192.168.0.128/25') | true",
        "string(cidr('192.168.0.1/24').ip()) | 192.168.0.1",
        "string(cidr('192.168.0.1/24').masked()) | 192.168.0.0/24",
        "string(cidr('2001:db8::1/32').masked()) | 2001:db8::/32",
        "cidr('192.168.0.0/24').prefixLength() | 24",
        "string(cidr('::1/128')) | ::1/128",
        // SemverLib v1, its documented examples
        "isSemver('1.0.0') | true",
        "isSemver('hello') | false",
        "isSemver('v1.0') | false",
        "isSemver('v1.0', true) | true",
        "isSemver('01.01.01', true) | true",
        "semver('1.0', true).patch() | 0",
        "semver('01.01.01', true).minor() | 1",
        "semver('1.2.3').major() | 1",
        "semver('1.2.3').compareTo(semver('1.2.3')) | 0",
        "semver('1.2.3').compareTo(semver('2.0.0')) | -1",
        "semver('1.2.3').compareTo(semver('0.1.2')) | 1",
        "semver('1.0.0-alpha').isLessThan(semver('1.0.0')) | true",
        "semver('1.0.0-alpha.1').isLessThan(semver('1.0.0-alpha.beta')) | true",
        "semver('1.0.0-2').isLessThan(semver('1.0.0-11')) | true",
        "semver('1.0.0-rc.1').isGreaterThan(semver('1.0.0-beta.11')) | true",
        "semver('1.0.0+build.1').compareTo(semver('1.0.0+build.2')) | 0",
        "semver('0.1.0-alpha.1').minor() | 1",
        // library.Quantity: its documented examples and resource.Quantity's parsing rules
        "isQuantity('20') | true",
        "isQuantity('200M') | true",
        "isQuantity('20Mi') | true",
        "isQuantity('10Mo') | false",
        "isQuantity('1.5Gi') | true",
        "isQuantity('1e3') | true",
        "isQuantity('1E-3') | true",
        "isQuantity('1.G') | true",
        "isQuantity('.') | false",
        "isQuantity('1e') | false",
        "isQuantity('') | false",
        "isQuantity('-') | true",
        "quantity('-').sign() | 0",
        "quantity('50M').isGreaterThan(quantity('50Mi')) | false",
        "quantity('50Mi').isGreaterThan(quantity('50M')) | true",
        "quantity('50M').isLessThan(quantity('50Mi')) | true",
        "quantity('1k') == quantity('1000') | true",
        "quantity('1Ki') == quantity('1024') | true",
        "quantity('1Ki') == quantity('1k') | false",
        "quantity('200M').compareTo(quantity('0.2G')) | 0",
        "quantity('50M').compareTo(quantity('50Mi')) | -1",
        "quantity('50703').asInteger() | 50703",
        "quantity('50.703m').isInteger() | false",
        "quantity('1.5k').isInteger() | true",
        "quantity('1.5k').asInteger() | 1500",
        "quantity('9223372036854775807').isInteger() | true",
        "quantity('9223372036854775808').isInteger() | false",
        "quantity('50703').asApproximateFloat() | 50703.0",
        "quantity('1.5').asApproximateFloat() | 1.5",
        "quantity('0.1n').asApproximateFloat() | 1.0E-9",
        "quantity('5k').add(quantity('3k')) == quantity('8k') | true",
        "quantity('5k').sub(500) == quantity('4500') | true",
        "quantity('5k').add(1).asInteger() | 5001",
        "quantity('1Mi').sub(quantity('1Ki')).asInteger() | 1047552",
        "quantity('-5').sign() | -1",
        "quantity('0').sign() | 0",
        "quantity('+7m').sign() | 1",
        "quantity('10Ei').asInteger() | 9223372036854775807",
        "quantity('1e4294967296').asInteger() | 1",
        // ext.TwoVarComprehensions (Kubernetes 1.32) and ext.Lists v3
        "claims.roles.all(i, r, r != '' && i >= 0) | true",
        "claims.roles.exists(i, r, i == 2 && r == 'c') | true",
        "claims.roles.existsOne(i, r, r == 'a') | true",
        "claims.roles.transformList(i, r, r + string(i)) | [b0, a1, c2]",
        "{'a': 1}.transformMap(k, v, v + 1)['a'] | 2",
        "[[1], [2, 3]].flatten() | [1, 2, 3]",
        "claims.roles.sort() | [a, b, c]",
        "['b', 'a', 'b'].distinct() | [b, a]",
        "lists.range(3) | [0, 1, 2]",
        "claims.roles.slice(1, 3) | [a, c]",
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
        "ip('127.0.0.256') | IP Address \"127.0.0.256\" parse error during conversion from string: ParseAddr(\"127.0.0.256\"): IPv4 field has value >255",
        "ip(':::1') | IP Address \":::1\" parse error during conversion from string: ParseAddr(\":::1\"): each colon-separated field must have at least one digit (at \":1\")",
        "ip('01.2.3.4') | IPv4 field has octet with leading zero",
        "ip('1.2.3') | IPv4 address too short",
        "ip('fe80::1%eth0') | IP address \"fe80::1%eth0\" with zone value is not allowed",
        "ip('::ffff:1.2.3.4') | IPv4-mapped IPv6 address \"::ffff:1.2.3.4\" is not allowed",
        "ip('1:2:3:4:5:6:7:8:9') | trailing garbage after address",
        "ip('::ffff:c0a8:1') | IPv4-mapped IPv6 address \"::ffff:c0a8:1\" is not allowed",
        "ip('12345::') | each group must have 4 or less digits",
        "cidr('192.168.0.0') | CIDR \"192.168.0.0\" parse error during conversion from string: netip.ParsePrefix(\"192.168.0.0\"): no '/'",
        "cidr('192.168.0.0/33') | prefix length out of range",
        "cidr('192.168.0.0/024') | bad bits after slash: \"024\"",
        "cidr('fe80::1%eth0/64') | IPv6 zones cannot be present in a prefix",
        "cidr('192.168.0.0/24').containsIP('x') | IP Address \"x\" parse error",
        "semver('200K') | No Major.Minor.Patch elements found",
        "semver('1.2.03') | Patch number must not contain leading zeroes \"03\"",
        "semver('1.x.3') | Invalid character(s) found in minor number \"x\"",
        "semver('1.2.3-01') | Numeric PreRelease version must not contain leading zeroes \"01\"",
        "semver('1.2.3-a..b') | Prerelease is empty",
        "semver('1.2.3+a_b') | Invalid character(s) found in build meta data \"a_b\"",
        "semver('') | Version string empty",
        "semver('1-rc', true) | short version cannot contain PreRelease/Build meta data",
        "quantity('10Mo') | quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'",
        "quantity('1Z') | quantities must match the regular expression",
        "quantity('.') | unable to parse numeric part of quantity",
        "quantity('1e') | unable to parse quantity's suffix",
        "quantity('1K') | unable to parse quantity's suffix",
        "quantity('1e99999999999999999999') | unable to parse quantity's suffix",
        "quantity('9999999999999999999999999999999999999G').asInteger() | cannot convert value to integer",
        "quantity('1.5m').asInteger() | cannot convert value to integer",
        "quantity('1e2000000000').add(1) | quantity arithmetic out of range",
        // A zero keeps its scale, as Go's: adding to it rescales as much (found by the property below).
        "quantity('0e-2000000000').add(1) | quantity arithmetic out of range",
        "quantity('1').sub(quantity('-0e-2000000000')) | quantity arithmetic out of range",
    })
    void errorsCarryKubernetesTexts(String expression, String expected) {
        String m = error(expression);
        assertTrue(m.contains(expected), m);
    }

    @Property(tries = 1000)
    void quantityParsingAnswersEveryStringWithAValueOrOneOfItsThreeErrors(@ForAll @StringLength(max = 24) String raw,
                                                                         @ForAll("quantityish") String q) {
        for (String s : List.of(raw, q)) {
            try {
                GoQuantity v = GoQuantity.parse(s);
                // Whatever was parsed compares with itself, converts, and adds a small integer without blowing up.
                assertEquals(0, v.compareTo(v));
                v.asApproximateFloat();
                v.asInt64();
                try {
                    assertEquals(v, v.add(GoQuantity.of(1)).sub(GoQuantity.of(1)));
                } catch (GoQuantity.QuantityException tooFarApart) {
                    assertEquals("quantity arithmetic out of range", tooFarApart.getMessage());
                }
            } catch (GoQuantity.QuantityException e) {
                assertTrue(List.of(GoQuantity.FORMAT_WRONG, GoQuantity.NUMERIC, GoQuantity.SUFFIX).contains(e.getMessage()),
                        e.getMessage());
            }
        }
    }

    @net.jqwik.api.Provide
    net.jqwik.api.Arbitrary<String> quantityish() {
        net.jqwik.api.Arbitrary<String> sign = net.jqwik.api.Arbitraries.of("", "+", "-");
        net.jqwik.api.Arbitrary<String> digits = net.jqwik.api.Arbitraries.strings().numeric().ofMaxLength(12);
        net.jqwik.api.Arbitrary<String> suffix = net.jqwik.api.Arbitraries.of("", "n", "u", "m", "k", "M", "G", "T", "P",
                "E", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei", "e3", "E-12", "e+900000000", "e-2000000000", "K", "e", "i");
        return net.jqwik.api.Combinators.combine(sign, digits, net.jqwik.api.Arbitraries.of("", "."), digits, suffix)
                .as((a, b, dot, c, d) -> a + b + dot + c + d);
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

    @Property(tries = 500)
    void addressesRoundTripThroughTheirCanonicalForm(@ForAll @Size(min = 16, max = 16) byte[] v6,
                                                     @ForAll @Size(min = 4, max = 4) byte[] v4,
                                                     @ForAll @net.jqwik.api.constraints.IntRange(max = 128) int bits)
            throws Exception {
        for (byte[] bytes : List.of(v4, v6)) {
            GoNetip.Addr a = new GoNetip.Addr(bytes, "");
            assertEquals(a, GoNetip.parseAddr(a.toString()), a.toString());
            int b = Math.min(bits, a.bitLength());
            GoNetip.Prefix p = new GoNetip.Prefix(a, b);
            assertTrue(p.contains(a));
            assertTrue(p.containsPrefix(p.masked()));
            assertEquals(p.masked(), GoNetip.parsePrefix(p.masked().toString()));
        }
    }

    @net.jqwik.api.Provide
    net.jqwik.api.Arbitrary<String> urlish() {
        return net.jqwik.api.Arbitraries.strings().withChars("htps:/@[]%25?&=#.:x1 +;").ofMaxLength(30)
                .map(tail -> "https://" + tail);
    }

    static final String LABEL_ERR = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', "
            + "and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for "
            + "validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
    static final String SUBDOMAIN_ERR = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, "
            + "'-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for "
            + "validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
    static final String DNS1035_ERR = "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start "
            + "with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex "
            + "used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";
    static final String NAME_PART_ERR = "name part must consist of alphanumeric characters, '-', '_' or '.', and must start "
            + "and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for "
            + "validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
    static final String LABEL_VALUE_ERR = "a valid label must be an empty string or consist of alphanumeric characters, '-', "
            + "'_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or "
            + "'12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";

    /** Kubernetes' library.Format table: each validate() answers none (valid) or the list of apimachinery's messages. */
    static java.util.stream.Stream<org.junit.jupiter.params.provider.Arguments> formatCases() {
        java.util.function.BiFunction<String, List<String>, org.junit.jupiter.params.provider.Arguments> c =
                org.junit.jupiter.params.provider.Arguments::of;
        return java.util.stream.Stream.of(
                c.apply("format.dns1123Label().validate('my-label-name')", List.of()),
                c.apply("format.dns1123Subdomain().validate('apiextensions.k8s.io')", List.of()),
                c.apply("format.qualifiedName().validate('apiextensions.k8s.io/v1beta1')", List.of()),
                c.apply("format.dns1123LabelPrefix().validate('my-label-prefix-')", List.of()),
                c.apply("format.dns1123SubdomainPrefix().validate('mysubdomain.prefix.-')", List.of()),
                c.apply("format.dns1035LabelPrefix().validate('my-label-prefix-')", List.of()),
                c.apply("format.uri().validate('http://example.com')", List.of()),
                c.apply("format.uuid().validate('123e4567-e89b-12d3-a456-426614174000')", List.of()),
                c.apply("format.byte().validate('aGVsbG8=')", List.of()),
                c.apply("format.date().validate('2021-01-01')", List.of()),
                c.apply("format.datetime().validate('2021-01-01T00:00:00Z')", List.of()),
                c.apply("format.dns1123Label().validate('contains a space')", List.of(LABEL_ERR)),
                c.apply("format.dns1123Subdomain().validate('contains a space')", List.of(SUBDOMAIN_ERR)),
                c.apply("format.dns1035Label().validate('contains a space')", List.of(DNS1035_ERR)),
                c.apply("format.qualifiedName().validate('contains a space')", List.of(NAME_PART_ERR)),
                c.apply("format.dns1123LabelPrefix().validate('contains a space-')", List.of(LABEL_ERR)),
                c.apply("format.dns1123SubdomainPrefix().validate('contains a space-')", List.of(SUBDOMAIN_ERR)),
                c.apply("format.dns1035LabelPrefix().validate('contains a space-')", List.of(DNS1035_ERR)),
                c.apply("format.dns1035Label().validate('my-label-name')", List.of()),
                c.apply("format.qualifiedName().validate('my.name')", List.of()),
                c.apply("format.byte().validate('aGVsbG8')", List.of("invalid base64")),
                c.apply("format.date().validate('2020-01-32')", List.of("invalid date")),
                c.apply("format.date().validate('2021-02-29')", List.of("invalid date")),
                c.apply("format.date().validate('2020-02-29')", List.of()),
                c.apply("format.datetime().validate('2020-01-32T00:00:00Z')", List.of("invalid datetime")),
                c.apply("format.datetime().validate('2020-01-01t23:59:59.5+01:00')", List.of()),
                c.apply("format.datetime().validate('2020-01-01T24:00:00Z')", List.of("invalid datetime")),
                c.apply("format.labelValue().validate('my-cool-label-Value')", List.of()),
                c.apply("format.labelValue().validate('my-cool-label-Value!!\\n\\n!!!')", List.of(LABEL_VALUE_ERR)),
                c.apply("format.labelValue().validate('')", List.of()),
                // the dots rule, lengths (in bytes, as Go), the prefix masking and qualified names' two parts
                c.apply("format.dns1123Label().validate('a.b')", List.of("must not contain dots")),
                c.apply("format.dns1123Label().validate('" + "a".repeat(64) + "')", List.of("must be no more than 63 characters")),
                c.apply("format.dns1123Label().validate('" + "\u00e9".repeat(32) + "')",
                        List.of("must be no more than 63 characters", LABEL_ERR)),
                c.apply("format.qualifiedName().validate('example.com/')", List.of("name part must be non-empty", NAME_PART_ERR)),
                c.apply("format.qualifiedName().validate('/name')", List.of("prefix part must be non-empty")),
                c.apply("format.qualifiedName().validate('Example.com/name')", List.of("prefix part " + SUBDOMAIN_ERR)),
                c.apply("format.portName().validate('http')", List.of()),
                c.apply("format.portName().validate('-1--')", List.of("must contain at least one letter (a-z)",
                        "must not contain consecutive hyphens", "must not begin or end with a hyphen")),
                c.apply("format.uuid().validate('123E4567E89B12D3A456426614174000')", List.of()),
                c.apply("format.uuid().validate('123e4567-e89b-12d3-a456-42661417400')", List.of("does not match the UUID format")),
                c.apply("format.uri().validate('../relative')", List.of("parse \"../relative\": invalid URI for request")),
                c.apply("format.named('uuid').value().validate('x')", List.of("does not match the UUID format")));
    }

    @ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.MethodSource("formatCases")
    void formatsValidateAsKubernetes(String expression, List<String> problems) throws Exception {
        Object v = eval(expression);
        assertEquals(problems.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(problems), v);
    }

    @org.junit.jupiter.api.Test
    void everyNamedFormatIsFoundAndEqualsOnlyItself() throws Exception {
        assertEquals(false, eval("format.named('unknown').hasValue()"));
        for (String a : KubernetesFormats.FORMATS.keySet()) {
            assertEquals(true, eval("format.named('" + a + "').hasValue()"));
            assertEquals(true, eval("format.named('" + a + "').value() == format." + a + "()"));
            for (String b : KubernetesFormats.FORMATS.keySet()) {
                if (!a.equals(b)) {
                    assertEquals(false, eval("format." + a + "() == format." + b + "()"), a + " vs " + b);
                }
            }
        }
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
