package io.gatehouse.core.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/** Gatehouse's one PEM reader: strict inside blocks, indifferent outside them, silent about key content. */
class PemTest {

    @Test
    void readsEveryBlockInOrderIgnoringTextAround() {
        String text = "Bag Attributes: x\n-----BEGIN CERTIFICATE-----\nAQID\n-----END CERTIFICATE-----\n"
                + "comment\n-----BEGIN X509 CRL-----\r\nBAUG\r\n-----END X509 CRL-----\n";
        List<Pem.Block> blocks = Pem.parse(text);
        assertEquals(List.of("CERTIFICATE", "X509 CRL"), blocks.stream().map(Pem.Block::label).toList());
        assertArrayEquals(new byte[] {1, 2, 3}, blocks.get(0).der());
        assertArrayEquals(new byte[] {4, 5, 6}, blocks.get(1).der());
    }

    @Test
    void rfc1421HeadersAreFlaggedNotDecoded() {
        List<Pem.Block> blocks = Pem.parse("-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\n\nAQID\n"
                + "-----END RSA PRIVATE KEY-----\n");
        assertTrue(blocks.get(0).hasHeaders());
        assertEquals(0, blocks.get(0).der().length);
    }

    @Test
    void errorsNameTheBlockButNeverAPrivateKeysLabelOrContent() {
        IllegalArgumentException cert = assertThrows(IllegalArgumentException.class,
                () -> Pem.parse("-----BEGIN CERTIFICATE-----\nAQID\n-----END CERTIFICATE-----\n"
                        + "-----BEGIN CERTIFICATE-----\nnot*base64\n-----END CERTIFICATE-----\n"));
        assertEquals("PEM block 2 (CERTIFICATE) is not valid base64", cert.getMessage());
        IllegalArgumentException key = assertThrows(IllegalArgumentException.class,
                () -> Pem.parse("-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIIrYSSNQFaA2Hwf1duRSxKtLYX5CB04f"));
        assertEquals("PEM block 1 has no END line", key.getMessage());
        assertFalse(key.getMessage().contains("MHcC"));
    }

    @Property(tries = 500)
    void anyTextParsesOrFailsWithAnIllegalArgument(@ForAll String text) {
        try {
            Pem.parse("-----BEGIN X-----\n" + text + "\n-----END X-----\n" + text);
        } catch (IllegalArgumentException expected) {
            assertTrue(expected.getMessage().startsWith("PEM block "));
        }
    }
}
