package io.gatehouse.core.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Gatehouse's one PEM reader, strict as RFC 7468 says: text outside blocks is ignored, as
 * {@code openssl x509 -text} output and comments are common in bundles; inside a block only base64 and white
 * space are allowed. What a block's bytes mean (certificate, CRL, key) is for the caller to decode.
 *
 * <p>Messages name a block by its ordinal and label (not even the label of a private key block), never by its
 * content, so that a private key can never reach a log through an error.
 */
public final class Pem {

    private static final String BEGIN = "-----BEGIN ";
    private static final String END = "-----END ";
    private static final String DASHES = "-----";

    /** One block: its label ({@code CERTIFICATE}, {@code X509 CRL}), whether it had RFC 1421 headers, and its bytes. */
    public record Block(String label, boolean hasHeaders, byte[] der) {
    }

    private Pem() {
    }

    /** Whether {@code data} looks like PEM text (a BEGIN line somewhere in its first 64 KiB). */
    public static boolean looksLikePem(byte[] data) {
        int n = Math.min(data.length, 1 << 16);
        return new String(data, 0, n, StandardCharsets.ISO_8859_1).contains(BEGIN);
    }

    /**
     * Every block of {@code text}, in order.
     *
     * @throws IllegalArgumentException if a block is unterminated, mislabelled or not valid base64; the message
     *                                  names the block by its ordinal, never its content
     */
    public static List<Block> parse(String text) {
        List<Block> blocks = new ArrayList<>();
        int pos = 0;
        while (true) {
            int begin = text.indexOf(BEGIN, pos);
            if (begin < 0) {
                return blocks;
            }
            int labelEnd = text.indexOf(DASHES, begin + BEGIN.length());
            int lineEnd = lineEnd(text, begin);
            if (labelEnd < 0 || labelEnd > lineEnd) {
                throw new IllegalArgumentException("PEM block " + (blocks.size() + 1) + " has a malformed BEGIN line");
            }
            String label = text.substring(begin + BEGIN.length(), labelEnd);
            String endLine = END + label + DASHES;
            int end = text.indexOf(endLine, labelEnd);
            if (end < 0) {
                throw new IllegalArgumentException("PEM block " + (blocks.size() + 1) + named(label) + " has no END line");
            }
            String body = text.substring(labelEnd + DASHES.length(), end);
            boolean headers = body.indexOf(':') >= 0;
            byte[] der;
            if (headers) {
                der = new byte[0];
            } else {
                StringBuilder b64 = new StringBuilder(body.length());
                for (int i = 0; i < body.length(); i++) {
                    char c = body.charAt(i);
                    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
                        continue;
                    }
                    b64.append(c);
                }
                try {
                    der = Base64.getDecoder().decode(b64.toString());
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("PEM block " + (blocks.size() + 1) + named(label)
                            + " is not valid base64");
                }
            }
            blocks.add(new Block(label, headers, der));
            pos = end + endLine.length();
        }
    }

    /** The label for a message, unless it marks a private key: nothing from such a block is ever quoted. */
    private static String named(String label) {
        return label.contains("PRIVATE") || label.length() > 64 ? "" : " (" + label + ")";
    }

    private static int lineEnd(String text, int from) {
        int nl = text.indexOf('\n', from);
        return nl < 0 ? text.length() : nl;
    }
}
