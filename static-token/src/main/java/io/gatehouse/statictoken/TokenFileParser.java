package io.gatehouse.statictoken;

import io.gatehouse.core.AuthenticationListener;
import io.gatehouse.core.ConfigurationException;
import io.gatehouse.core.UserInfo;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Parses Kubernetes' {@code --token-auth-file}: CSV records {@code token,user,uid[,"group1,group2"]}, with
 * Kubernetes' messages. Beyond Kubernetes, the token column may hold {@code sha256:<64 hex digits>}, the
 * SHA-256 of the token, so that plain tokens need not sit on disk.
 */
final class TokenFileParser {

    static final String HASH_PREFIX = "sha256:";

    private TokenFileParser() {
    }

    /**
     * Parses the file at {@code path}.
     *
     * @throws IOException            if it cannot be read
     * @throws ConfigurationException if it is not valid; the message names the file and record, never a token
     */
    static TokenTable parse(Path path, AuthenticationListener listener) throws IOException {
        return parse(decode(Files.readAllBytes(path), path), path.toString(), listener);
    }

    static TokenTable parse(String text, String source, AuthenticationListener listener) {
        TokenTable.Builder table = new TokenTable.Builder(lineCount(text));
        int[] recordNumber = {0};
        try {
            CsvReader.read(text, record -> {
                List<String> f = record.fields();
                if (f.size() < 3) {
                    throw new ConfigurationException(source, "token file '" + source
                            + "' must have at least 3 columns (token, user name, user uid), found " + f.size());
                }
                recordNumber[0]++;
                String token = f.get(0);
                if (token.isEmpty()) {
                    warn(listener, source, "empty token has been found in token file '" + source
                            + "', record number '" + recordNumber[0] + "'");
                    return;
                }
                byte[] digest = digestOf(token, source, recordNumber[0]);
                List<String> groups = f.size() >= 4 ? Arrays.asList(f.get(3).split(",", -1)) : List.of();
                UserInfo user = new UserInfo(f.get(1), f.get(2), groups, Map.of());
                if (table.put(digest, token.startsWith(HASH_PREFIX) ? -1 : token.length(), user)) {
                    warn(listener, source, "duplicate token has been found in token file '" + source
                            + "', record number '" + recordNumber[0] + "'");
                }
            });
        } catch (CsvReader.CsvSyntaxException e) {
            throw new ConfigurationException(source, e.getMessage());
        }
        return table.build();
    }

    /** The digest a token column stands for: the hash it spells out, or the hash of the plain token. */
    private static byte[] digestOf(String column, String source, int record) {
        if (!column.startsWith(HASH_PREFIX)) {
            return TokenTable.digest(column);
        }
        String hex = column.substring(HASH_PREFIX.length());
        if (hex.length() != 64 || !hex.chars().allMatch(c -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')
                || (c >= 'A' && c <= 'F'))) {
            throw new ConfigurationException(source, "record number '" + record + "': a token column starting with '"
                    + HASH_PREFIX + "' must hold 64 hexadecimal digits (the SHA-256 of the token)");
        }
        return HexFormat.of().parseHex(hex);
    }

    private static void warn(AuthenticationListener listener, String source, String message) {
        listener.warning(source, message);
    }

    private static String decode(byte[] bytes, Path path) {
        if (isAscii(bytes)) {
            // The usual token file: ASCII is valid UTF-8 as it stands, and the JDK makes a one-byte-per-char
            // String of it directly, without the strict decoder's UTF-16 buffer.
            return new String(bytes, StandardCharsets.US_ASCII);
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new ConfigurationException(path.toString(), "is not valid UTF-8");
        }
    }

    private static boolean isAscii(byte[] bytes) {
        for (byte b : bytes) {
            if (b < 0) {
                return false;
            }
        }
        return true;
    }

    /** Lines in the text (an upper bound on its records), to size the table once. */
    private static int lineCount(String text) {
        int lines = 1;
        for (int i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) {
            lines++;
        }
        return lines;
    }
}
