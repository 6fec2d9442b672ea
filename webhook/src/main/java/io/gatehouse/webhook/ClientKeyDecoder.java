package io.gatehouse.webhook;

import io.gatehouse.core.internal.Pem;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.List;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;

/**
 * Reads a kubeconfig client key as Go's {@code tls.X509KeyPair} does: the first PEM block whose label ends in
 * {@code PRIVATE KEY}, in PKCS#8 ({@code PRIVATE KEY}), PKCS#1 ({@code RSA PRIVATE KEY}) or SEC1
 * ({@code EC PRIVATE KEY}) form. The JDK reads only PKCS#8, so the other two are wrapped into PKCS#8 with
 * BouncyCastle's ASN.1 types (its provider is never registered). Messages never quote key material.
 */
final class ClientKeyDecoder {

    private ClientKeyDecoder() {
    }

    /**
     * @throws IllegalArgumentException if no private key block is found or it cannot be decoded
     */
    static PrivateKey decode(String pem) {
        List<Pem.Block> blocks = Pem.parse(pem);
        for (Pem.Block b : blocks) {
            if (b.label().equals("PRIVATE KEY") || b.label().endsWith(" PRIVATE KEY")) {
                if (b.hasHeaders()) {
                    throw new IllegalArgumentException("the " + b.label() + " block is encrypted, which is not supported");
                }
                return decode(b.label(), b.der());
            }
        }
        throw new IllegalArgumentException("no PEM PRIVATE KEY block found");
    }

    private static PrivateKey decode(String label, byte[] der) {
        byte[] pkcs8 = switch (label) {
            case "PRIVATE KEY" -> der;
            case "RSA PRIVATE KEY" -> toPkcs8(label, der, false);
            case "EC PRIVATE KEY" -> toPkcs8(label, der, true);
            default -> throw new IllegalArgumentException("unsupported key type " + label);
        };
        for (String algorithm : List.of("RSA", "EC", "Ed25519")) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
            } catch (GeneralSecurityException e) {
                // Not this algorithm's key: try the next.
            }
        }
        throw new IllegalArgumentException("the " + label + " block is not a valid RSA, EC or Ed25519 key");
    }

    /** PKCS#1 or SEC1 wrapped in PKCS#8's PrivateKeyInfo, which names the algorithm (and the curve). */
    private static byte[] toPkcs8(String label, byte[] der, boolean ec) {
        ECPrivateKey sec1 = null;
        try {
            if (!ec) {
                return new PrivateKeyInfo(new AlgorithmIdentifier(PKCSObjectIdentifiers.rsaEncryption, DERNull.INSTANCE),
                        ASN1Primitive.fromByteArray(der)).getEncoded();
            }
            sec1 = ECPrivateKey.getInstance(ASN1Primitive.fromByteArray(der));
            if (sec1.getParametersObject() != null) {
                return new PrivateKeyInfo(new AlgorithmIdentifier(X9ObjectIdentifiers.id_ecPublicKey,
                        sec1.getParametersObject()), sec1).getEncoded();
            }
        } catch (IOException | RuntimeException e) {
            // BouncyCastle's messages may describe the bytes; name the block only.
            throw new IllegalArgumentException("the " + label + " block is not a valid key");
        }
        throw new IllegalArgumentException("the " + label + " block names no curve");
    }
}
