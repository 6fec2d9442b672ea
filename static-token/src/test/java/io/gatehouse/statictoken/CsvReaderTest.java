package io.gatehouse.statictoken;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/** The CSV dialect of Go's encoding/csv as Kubernetes configures it, and a round-trip property. */
class CsvReaderTest {

    private static List<List<String>> fields(String text) throws CsvReader.CsvSyntaxException {
        List<List<String>> out = new ArrayList<>();
        for (CsvReader.Record r : CsvReader.readAll(text)) {
            out.add(r.fields());
        }
        return out;
    }

    @Test
    void quotedFieldsWithEscapedQuotesCommasAndNewlines() throws Exception {
        assertEquals(List.of(List.of("a", "b \"c\", d\ne", "f")), fields("a,\"b \"\"c\"\", d\ne\",f\n"));
    }

    @Test
    void blankLinesAreSkippedAndCrlfIsALineEnd() throws Exception {
        assertEquals(List.of(List.of("a", "b"), List.of("c")), fields("\r\n\na,b\r\n\r\nc\r\n"));
    }

    @Test
    void crlfInsideQuotesBecomesNewline() throws Exception {
        assertEquals(List.of(List.of("x\ny")), fields("\"x\r\ny\"\n"));
    }

    @Test
    void lastLineNeedsNoNewlineAndATrailingCarriageReturnIsDropped() throws Exception {
        assertEquals(List.of(List.of("a", "b")), fields("a,b"));
        assertEquals(List.of(List.of("a", "b")), fields("a,b\r"));
    }

    @Test
    void bareCarriageReturnInsideAFieldIsData() throws Exception {
        assertEquals(List.of(List.of("a\rb")), fields("a\rb\n"));
    }

    @Test
    void recordsMayHaveAnyNumberOfFields() throws Exception {
        assertEquals(List.of(List.of("1"), List.of("1", "2", "3", "4", "5"), List.of("", "")), fields("1\n1,2,3,4,5\n,\n"));
    }

    @Test
    void whitespaceLineIsARecord() throws Exception {
        assertEquals(List.of(List.of(" ")), fields(" \n"));
    }

    @Test
    void quoteAfterLeadingSpaceIsABareQuote() {
        CsvReader.CsvSyntaxException e = assertThrows(CsvReader.CsvSyntaxException.class, () -> fields("a, \"b\"\n"));
        assertEquals("parse error on line 1, column 4: bare \" in non-quoted-field", e.getMessage());
    }

    @Test
    void textAfterClosingQuoteIsAnError() {
        CsvReader.CsvSyntaxException e = assertThrows(CsvReader.CsvSyntaxException.class, () -> fields("\"a\"b,c\n"));
        assertTrue(e.getMessage().contains("extraneous or missing \" in quoted-field"), e.getMessage());
    }

    @Test
    void unterminatedQuoteIsAnErrorNamingWhereItStarts() {
        CsvReader.CsvSyntaxException e = assertThrows(CsvReader.CsvSyntaxException.class, () -> fields("ok\nx,\"abc\n\n"));
        assertEquals("parse error on line 2, column 3: extraneous or missing \" in quoted-field", e.getMessage());
    }

    @Test
    void lineNumbersCountPhysicalLines() throws Exception {
        List<CsvReader.Record> records = CsvReader.readAll("\na,\"1\n2\"\nb\n");
        assertEquals(2, records.get(0).line());
        assertEquals(4, records.get(1).line());
    }

    /** Any table written with RFC 4180 quoting reads back identically. */
    @Property(tries = 300)
    void writtenTablesParseBack(@ForAll("tables") List<List<String>> table) throws Exception {
        StringBuilder sb = new StringBuilder();
        for (List<String> record : table) {
            for (int i = 0; i < record.size(); i++) {
                if (i > 0) {
                    sb.append(',');
                }
                sb.append('"').append(record.get(i).replace("\"", "\"\"")).append('"');
            }
            sb.append(record.hashCode() % 2 == 0 ? "\n" : "\r\n");
        }
        assertEquals(table, fields(sb.toString()));
    }

    @Provide
    Arbitrary<List<List<String>>> tables() {
        Arbitrary<String> field = Arbitraries.strings()
                .withChars("ab,\"\n\r ;é\t")
                .withCharRange('0', '9')
                .ofMaxLength(12)
                // Go turns \r\n inside quotes into \n, so a field written with \r\n cannot round-trip.
                .filter(s -> !s.contains("\r\n"));
        return field.list().ofMinSize(1).ofMaxSize(5).list().ofMaxSize(8);
    }
}
