package io.gatehouse.serviceaccount;

import io.gatehouse.core.ConfigurationException;
import io.gatehouse.testing.TestPki;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** --service-account-key-file parsing (TestReadPrivateKey / TestReadPublicKeys) and the key ids INDEX.md expects. */
class KeyFilesTest {

    @ParameterizedTest
    @CsvSource({
            "rsaPublicKey.pem, JHJehTTTZlsspKHT-GaJxK7Kd1NQgZJu3fyK6K_QDYU",
            "rsaPrivateKey.pem, JHJehTTTZlsspKHT-GaJxK7Kd1NQgZJu3fyK6K_QDYU",
            "ecdsaPublicKey.pem, SoABiieYuNx4UdqYvZRVeuC6SihxgLrhLy9peHMHpTc",
            "ecdsaPrivateKey.pem, SoABiieYuNx4UdqYvZRVeuC6SihxgLrhLy9peHMHpTc",
            "otherPublicKey.pem, yEooMTEt7THsoVd-yf2m_0tmtgtZWGhAPFm296R5q18",
    })
    void keyIdIsBase64UrlSha256OfSpki(String file, String kid) {
        List<PublicKey> keys = ServiceAccountKeys.readPublicKeys(Fixtures.file(file));
        assertEquals(1, keys.size());
        assertEquals(kid, ServiceAccountKeys.keyId(keys.get(0)));
    }

    @Test
    void privateKeysReduceToTheirPublicKeys() {
        assertEquals(Fixtures.rsaPublic(), Fixtures.rsaPair().getPublic());
        assertEquals(Fixtures.ecdsaPublic(), Fixtures.ecdsaPair().getPublic());
        assertInstanceOf(RSAPublicKey.class, Fixtures.rsaPublic());
        assertInstanceOf(ECPublicKey.class, Fixtures.ecdsaPublic());
    }

    @Test
    void ecParametersBlockIsSkipped() {
        String pem = Fixtures.pem("ecdsaPrivateKeyWithParams.pem");
        assertTrue(pem.contains("EC PARAMETERS"), "fixture must hold the EC PARAMETERS block");
        List<PublicKey> keys = ServiceAccountKeys.parsePublicKeys(pem, "ecdsaPrivateKeyWithParams.pem");
        assertEquals(1, keys.size());
        assertInstanceOf(ECPublicKey.class, keys.get(0));
        KeyPair pair = ServiceAccountKeys.parseSigningKey(pem, "ecdsaPrivateKeyWithParams.pem");
        assertEquals(keys.get(0), pair.getPublic());
    }

    @Test
    void severalBlocksInOneFileAreAllKeys() {
        String both = Fixtures.pem("rsaPublicKey.pem") + Fixtures.pem("ecdsaPublicKey.pem");
        List<PublicKey> keys = ServiceAccountKeys.parsePublicKeys(both, "both.pem");
        assertEquals(List.of(Fixtures.RSA_KID, Fixtures.ECDSA_KID), keys.stream().map(ServiceAccountKeys::keyId).toList());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "not pem at all", "-----BEGIN EC PARAMETERS-----\nBggqhkjOPQMBBw==\n-----END EC PARAMETERS-----\n"})
    void fileWithoutKeysIsAnError(String pem) {
        ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> ServiceAccountKeys.parsePublicKeys(pem, "keys.pem"));
        assertEquals("keys.pem: data does not contain any valid RSA or ECDSA public keys", e.getMessage());
    }

    /**
     * Keys are read as strict DER with BouncyCastle's ASN.1 parser: a block whose bytes are BER (a long-form
     * length where a short one fits), carry trailing bytes or are cut short is no key.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"non-minimal length", "trailing bytes", "truncated"})
    void keysMustBeStrictDer(String damage) {
        byte[] der = Base64.getMimeDecoder().decode(Fixtures.pem("rsaPublicKey.pem")
                .replaceAll("-----[A-Z ]+-----", ""));
        assertEquals(0x82, der[1] & 0xff, "fixture's outer SEQUENCE has a two-byte length");
        byte[] bad = switch (damage) {
            case "non-minimal length" -> {
                // 0x82 LL LL -> 0x83 00 LL LL: the same length, not in its shortest form
                byte[] b = new byte[der.length + 1];
                b[0] = der[0];
                b[1] = (byte) 0x83;
                b[2] = 0;
                System.arraycopy(der, 2, b, 3, der.length - 2);
                yield b;
            }
            case "trailing bytes" -> java.util.Arrays.copyOf(der, der.length + 2);
            default -> java.util.Arrays.copyOf(der, der.length - 1);
        };
        String pem = "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder().encodeToString(bad) + "\n-----END PUBLIC KEY-----\n";
        ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> ServiceAccountKeys.parsePublicKeys(pem, "sa.pub"));
        assertEquals("sa.pub: data does not contain any valid RSA or ECDSA public keys", e.getMessage());
    }

    /** One strict PEM reader: a block that is not valid base64 fails the file, naming it and the block. */
    @Test
    void brokenPemBlockFailsTheFileNamingIt() {
        String pem = Fixtures.pem("rsaPublicKey.pem") + "-----BEGIN PUBLIC KEY-----\nnot*base64\n-----END PUBLIC KEY-----\n";
        ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> ServiceAccountKeys.parsePublicKeys(pem, "sa.pub"));
        assertEquals("sa.pub: PEM block 2 (PUBLIC KEY) is not valid base64", e.getMessage());
    }

    @Test
    void publicKeyFileIsNoSigningKey() {
        ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> ServiceAccountKeys.parseSigningKey(Fixtures.pem("rsaPublicKey.pem"), "pub.pem"));
        assertEquals("pub.pem: data does not contain a valid RSA or ECDSA private key", e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"ec256", "ec384", "ec521", "rsa2048"})
    void pkcs8PrivateKeysFromTheJdkParse(String spec) {
        // The JDK writes EC PKCS#8 without the public point, so this also covers deriving it from d.
        KeyPair pair = Fixtures.fresh(spec);
        String pem = "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder().encodeToString(pair.getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
        assertEquals(pair.getPublic(), ServiceAccountKeys.parsePublicKeys(pem, "k.pem").get(0));
        assertEquals(pair.getPublic(), ServiceAccountKeys.parseSigningKey(pem, "k.pem").getPublic());
    }

    @ParameterizedTest
    @ValueSource(strings = {"ec256", "ec384", "ec521"})
    void aSec1KeyIsPairedWithTheKeyItsScalarMakesNotThePointItCarries(String spec) throws Exception {
        // Go's ParseECPrivateKey derives the public key from d; a file whose halves disagree must not make us
        // publish a key (and kid) that does not verify the tokens we sign.
        KeyPair real = Fixtures.fresh(spec);
        KeyPair other = Fixtures.fresh(spec);
        java.security.interfaces.ECPrivateKey d = (java.security.interfaces.ECPrivateKey) real.getPrivate();
        String pem = sec1Pem(d.getS(), (ECPublicKey) other.getPublic());
        KeyPair parsed = ServiceAccountKeys.parseSigningKey(pem, "k.pem");
        assertEquals(real.getPublic(), parsed.getPublic());
        assertEquals(ServiceAccountKeys.keyId(real.getPublic()), ServiceAccountKeys.keyId(parsed.getPublic()));

        java.math.BigInteger n = ((ECPublicKey) real.getPublic()).getParams().getOrder();
        for (java.math.BigInteger bad : List.of(java.math.BigInteger.ZERO, n, n.add(java.math.BigInteger.ONE))) {
            ConfigurationException e = assertThrows(ConfigurationException.class,
                    () -> ServiceAccountKeys.parseSigningKey(sec1Pem(bad, (ECPublicKey) real.getPublic()), "k.pem"));
            assertEquals("k.pem: data does not contain a valid RSA or ECDSA private key", e.getMessage());
        }
    }

    /** An "EC PRIVATE KEY" block (SEC1) with scalar {@code d} and the public point of {@code pub}. */
    private static String sec1Pem(java.math.BigInteger d, ECPublicKey pub) throws Exception {
        org.bouncycastle.asn1.x509.SubjectPublicKeyInfo spki =
                org.bouncycastle.asn1.x509.SubjectPublicKeyInfo.getInstance(pub.getEncoded());
        org.bouncycastle.asn1.ASN1Primitive curve = spki.getAlgorithm().getParameters().toASN1Primitive();
        org.bouncycastle.asn1.sec.ECPrivateKey sec1 = new org.bouncycastle.asn1.sec.ECPrivateKey(
                pub.getParams().getOrder().bitLength(), d, spki.getPublicKeyData(), curve);
        return "-----BEGIN EC PRIVATE KEY-----\n" + Base64.getMimeEncoder().encodeToString(sec1.getEncoded())
                + "\n-----END EC PRIVATE KEY-----\n";
    }

    @Test
    void spkiAndCertificateBlocksYieldTheirKey() throws Exception {
        KeyPair pair = Fixtures.fresh("ec256");
        java.security.cert.X509Certificate cert = TestPki.cert("CN=sa-signer").keys(pair).issue().cert();
        String pem = "-----BEGIN CERTIFICATE-----\n" + Base64.getMimeEncoder().encodeToString(cert.getEncoded())
                + "\n-----END CERTIFICATE-----\n-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder().encodeToString(Fixtures.rsaPublic().getEncoded()) + "\n-----END PUBLIC KEY-----\n";
        assertEquals(List.of(pair.getPublic(), Fixtures.rsaPublic()), ServiceAccountKeys.parsePublicKeys(pem, "k.pem"));
    }

    @Test
    void severalFilesAndDuplicatesBuildOneKeySet(@TempDir Path tmp) throws Exception {
        Path a = Files.writeString(tmp.resolve("a.pem"), Fixtures.pem("rsaPublicKey.pem"));
        Path b = Files.writeString(tmp.resolve("b.pem"), Fixtures.pem("rsaPrivateKey.pem") + Fixtures.pem("ecdsaPublicKey.pem"));
        ServiceAccountTokenAuthenticator auth = ServiceAccountTokenAuthenticator.builder()
                .keyFiles(List.of(a, b)).issuers(List.of("https://issuer")).build();
        assertFalse(auth.toString().contains("PRIVATE"));
    }

    @Test
    void missingFileNamesTheFileAndNoKeyMaterial(@TempDir Path tmp) {
        Path missing = tmp.resolve("missing.pem");
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> ServiceAccountTokenAuthenticator.builder()
                .keyFiles(List.of(missing)).issuers(List.of("https://issuer")).build());
        assertTrue(e.getMessage().startsWith(missing.toString() + ": cannot read key file"), e.getMessage());
    }

    @Test
    void weakRsaKeyIsRefusedAtBuildNamingTheSetting() {
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> ServiceAccountTokenAuthenticator.builder()
                .keys(List.of(Fixtures.fresh("rsa1024").getPublic())).issuers(List.of("https://issuer")).build());
        assertTrue(e.getMessage().startsWith("setting 'keyFiles': key "), e.getMessage());
    }
}
