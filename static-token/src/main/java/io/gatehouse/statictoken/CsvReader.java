package io.gatehouse.statictoken;

import java.util.ArrayList;
import java.util.List;

/**
 * Go's {@code encoding/csv} reader with the settings Kubernetes' token file uses: comma separator,
 * RFC 4180 quoting, no comment character, no trimming, strict quotes, any number of fields per record.
 * Blank lines are skipped and a carriage return before a newline is dropped, as in Go.
 */
final class CsvReader {

    /** A syntax error, worded as Go's {@code csv.ParseError}. */
    static final class CsvSyntaxException extends Exception {
        private static final long serialVersionUID = 1L;

        CsvSyntaxException(int line, int column, String problem) {
            super("parse error on line " + line + ", column " + column + ": " + problem);
        }
    }

    /** One record and the line it starts on. */
    record Record(List<String> fields, int line) {
    }

    /** Receives records as they are read. */
    @FunctionalInterface
    interface RecordSink {
        void accept(Record record) throws CsvSyntaxException;
    }

    private final String text;
    private int pos;
    private int line = 1;
    private int lineStart;

    private CsvReader(String text) {
        this.text = text;
    }

    /** Reads every record of {@code text}, in order. */
    static void read(String text, RecordSink sink) throws CsvSyntaxException {
        new CsvReader(text).readAll(sink);
    }

    /** Reads every record of {@code text} into a list. */
    static List<Record> readAll(String text) throws CsvSyntaxException {
        List<Record> records = new ArrayList<>();
        read(text, records::add);
        return records;
    }

    private void readAll(RecordSink sink) throws CsvSyntaxException {
        int n = text.length();
        while (pos < n) {
            if (atLineEnd()) {
                skipLineEnd();
                continue;
            }
            int startLine = line;
            sink.accept(new Record(readRecord(), startLine));
        }
    }

    private List<String> readRecord() throws CsvSyntaxException {
        List<String> fields = new ArrayList<>(4);
        int n = text.length();
        while (true) {
            if (pos < n && text.charAt(pos) == '"') {
                StringBuilder field = new StringBuilder();
                readQuoted(field);
                fields.add(field.toString());
            } else {
                // Unquoted: the field is a slice of the text, taken without copying char by char.
                int start = pos;
                while (pos < n && text.charAt(pos) != ',' && !atLineEnd()) {
                    if (text.charAt(pos) == '"') {
                        throw new CsvSyntaxException(line, column(), "bare \" in non-quoted-field");
                    }
                    pos++;
                }
                fields.add(text.substring(start, pos));
            }
            if (pos < n && text.charAt(pos) == ',') {
                pos++;
                continue;
            }
            if (pos < n) {
                skipLineEnd();
            }
            return fields;
        }
    }

    private void readQuoted(StringBuilder field) throws CsvSyntaxException {
        int quoteLine = line;
        int quoteColumn = column();
        pos++;
        int n = text.length();
        while (true) {
            if (pos >= n) {
                throw new CsvSyntaxException(quoteLine, quoteColumn, "extraneous or missing \" in quoted-field");
            }
            char c = text.charAt(pos);
            if (c == '"') {
                if (pos + 1 < n && text.charAt(pos + 1) == '"') {
                    field.append('"');
                    pos += 2;
                    continue;
                }
                pos++;
                if (pos < n && text.charAt(pos) != ',' && !atLineEnd()) {
                    throw new CsvSyntaxException(line, column(), "extraneous or missing \" in quoted-field");
                }
                return;
            }
            if (c == '\r' && pos + 1 < n && text.charAt(pos + 1) == '\n') {
                // Go normalises \r\n inside quoted fields to \n.
                pos++;
                continue;
            }
            field.append(c);
            pos++;
            if (c == '\n') {
                line++;
                lineStart = pos;
            }
        }
    }

    private boolean atLineEnd() {
        char c = text.charAt(pos);
        return c == '\n' || (c == '\r' && pos + 1 < text.length() && text.charAt(pos + 1) == '\n')
                || (c == '\r' && pos + 1 == text.length());
    }

    private void skipLineEnd() {
        if (text.charAt(pos) == '\r') {
            pos++;
        }
        if (pos < text.length() && text.charAt(pos) == '\n') {
            pos++;
        }
        line++;
        lineStart = pos;
    }

    private int column() {
        return pos - lineStart + 1;
    }
}
