package io.gatehouse.x509;

import io.gatehouse.core.ConfigurationException;
import io.gatehouse.testing.TestPki;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The CA-bundle and CRL file parsers on mutated and random input: each either parses or fails with a
 * {@link ConfigurationException} that quotes no file content; nothing else escapes.
 */
class BundleParserPropertyTest {

    static final TestPki.Issued CA = TestPki.root("fuzz-ca");
    static final String BUNDLE = TestPki.pem(CA.cert(), TestPki.intermediate("fuzz-int", CA).cert());
    static final String CRL = TestPki.pem(TestPki.crl(CA, java.time.Instant.now(), null, 1));

    @Provide
    Arbitrary<byte[]> files() {
        Arbitrary<byte[]> mutated = Arbitraries.of(BUNDLE, CRL).flatMap(base -> {
            byte[] bytes = base.getBytes(StandardCharsets.US_ASCII);
            return Arbitraries.integers().between(0, bytes.length - 1).list().ofMinSize(1).ofMaxSize(6)
                    .flatMap(positions -> Arbitraries.bytes().list().ofSize(positions.size()).map(values -> {
                        byte[] copy = bytes.clone();
                        for (int i = 0; i < positions.size(); i++) {
                            copy[positions.get(i)] = values.get(i);
                        }
                        return copy;
                    }));
        });
        Arbitrary<byte[]> truncated = Arbitraries.of(BUNDLE, CRL).flatMap(base -> Arbitraries.integers()
                .between(0, base.length()).map(n -> base.substring(0, n).getBytes(StandardCharsets.US_ASCII)));
        Arbitrary<byte[]> random = Arbitraries.bytes().array(byte[].class).ofMaxSize(2048);
        return Arbitraries.oneOf(mutated, truncated, random);
    }

    @Property(tries = 200)
    void parsersFailOnlyWithConfigurationErrors(@ForAll("files") byte[] content) throws Exception {
        Path file = Files.createTempFile("gatehouse-fuzz", ".pem");
        try {
            Files.write(file, content);
            for (int which = 0; which < 2; which++) {
                try {
                    if (which == 0) {
                        assertFalse(TrustAnchors.parse(file, "client-ca").certificates().isEmpty());
                    } else {
                        assertTrue(CrlSet.parse(file).crls().size() > 0);
                    }
                } catch (ConfigurationException e) {
                    assertFalse(e.getMessage().contains("MII"), "an error must not quote file content: " + e.getMessage());
                }
            }
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
