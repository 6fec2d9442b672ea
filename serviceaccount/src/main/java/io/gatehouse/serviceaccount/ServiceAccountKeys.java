package io.gatehouse.serviceaccount;

import io.gatehouse.core.ConfigurationException;
import io.gatehouse.core.internal.Pem;
import io.gatehouse.core.internal.Sha256;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.CertificateFactory;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPrivateKeySpec;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.RSAPrivateCrtKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1Object;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x509.Certificate;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.ECNamedCurveTable;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.math.ec.FixedPointCombMultiplier;

/**
 * Reads service account keys from PEM as kube-apiserver's {@code --service-account-key-file} and
 * {@code --service-account-signing-key-file} do, and derives their key ids.
 *
 * <p>Accepted PEM blocks, whatever their type line says (Kubernetes tries each parser on each block): RSA
 * private keys (PKCS#1 or PKCS#8), EC private keys (SEC1 or PKCS#8; P-256, P-384, P-521), public keys
 * (SPKI) and certificates (their public key). Other blocks, such as {@code EC PARAMETERS}, are skipped.
 * Private keys are reduced to their public keys for verification.
 *
 * <p>Stricter than Go where Go is lenient: the PEM text is read by Gatehouse's one strict RFC 7468 reader, so
 * a block that is not valid base64 fails the file (Go skips it silently), and a block's bytes must be DER
 * (BouncyCastle's ASN.1 parser, with minimal lengths and no trailing data) to count as a key.
 *
 * <p>Errors are {@link ConfigurationException}s naming the source; they never quote key material. All
 * methods are thread-safe and meant for configuration time, not for the request path.
 */
public final class ServiceAccountKeys {

    private ServiceAccountKeys() {
    }

    /**
     * Every public key in a key file, as {@code --service-account-key-file} reads it: each key block yields
     * one public key (private keys reduced to public).
     *
     * @param file a PEM file
     * @return the keys in file order; never empty
     * @throws ConfigurationException if the file cannot be read or holds no RSA or ECDSA key
     */
    public static List<PublicKey> readPublicKeys(Path file) {
        return parsePublicKeys(read(file), file.toString());
    }

    /**
     * Every public key in PEM text; see {@link #readPublicKeys(Path)}.
     *
     * @param pem    the PEM text
     * @param source what to name in errors (a file name)
     *
     * @return the keys, in the order they appear
     * @throws ConfigurationException if the text holds no RSA or ECDSA key
     */
    public static List<PublicKey> parsePublicKeys(String pem, String source) {
        List<PublicKey> keys = new ArrayList<>();
        for (byte[] der : blocks(pem, source)) {
            KeyPair pair = parseAny(der);
            if (pair != null) {
                keys.add(pair.getPublic());
            }
        }
        if (keys.isEmpty()) {
            throw new ConfigurationException(source, "data does not contain any valid RSA or ECDSA public keys");
        }
        return List.copyOf(keys);
    }

    /**
     * The first private key in a file and its public key, as {@code --service-account-signing-key-file}
     * reads it; used to issue tokens.
     *
     * @param file the PEM file
     * @return the private key and the public key derived from it
     * @throws ConfigurationException if the file cannot be read or holds no RSA or ECDSA private key
     */
    public static KeyPair readSigningKey(Path file) {
        return parseSigningKey(read(file), file.toString());
    }

    /**
     * The first private key in PEM text and its public key; see {@link #readSigningKey(Path)}.
     *
     * @param pem the PEM text
     * @param source what to name in errors (a file name)
     * @return the private key and the public key derived from it
     * @throws ConfigurationException if the text holds no RSA or ECDSA private key
     */
    public static KeyPair parseSigningKey(String pem, String source) {
        for (byte[] der : blocks(pem, source)) {
            KeyPair pair = parseAny(der);
            if (pair != null && pair.getPrivate() != null) {
                return pair;
            }
        }
        throw new ConfigurationException(source, "data does not contain a valid RSA or ECDSA private key");
    }

    /**
     * Kubernetes' key id: base64url (no padding) of SHA-256 over the key's SubjectPublicKeyInfo DER.
     *
     * @param key an RSA or EC public key
     * @return the kid tokens carry
     */
    public static String keyId(PublicKey key) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(Sha256.digest(key.getEncoded()));
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new ConfigurationException(file.toString(), null, null,
                    "cannot read key file: " + e.getClass().getSimpleName(), e);
        }
    }

    /** The bytes of every PEM block in {@code pem}, strictly parsed (a broken block fails the whole source). */
    private static List<byte[]> blocks(String pem, String source) {
        List<Pem.Block> parsed;
        try {
            parsed = Pem.parse(pem);
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(source, e.getMessage());
        }
        List<byte[]> out = new ArrayList<>(parsed.size());
        for (Pem.Block b : parsed) {
            if (!b.hasHeaders()) { // RFC 1421 headers mean an encrypted key, which Kubernetes cannot read either
                out.add(b.der());
            }
        }
        return out;
    }

    /**
     * The block as a key pair (private may be null), or null when it is no RSA or EC key at all. As Kubernetes'
     * keyutil, every structure is tried on every block whatever its label says; unlike Go, the bytes must be
     * DER (minimal lengths, no trailing data), read with BouncyCastle's ASN.1 parser.
     */
    private static KeyPair parseAny(byte[] der) {
        ASN1Sequence seq = derSequence(der);
        if (seq == null) {
            return null;
        }
        for (int attempt = 0; attempt < 4; attempt++) {
            try {
                KeyPair pair = switch (attempt) {
                    case 0 -> pkcs1(seq);
                    case 1 -> new KeyPair(spkiOrCertificate(seq, der), null);
                    case 2 -> sec1(seq, null);
                    default -> pkcs8(seq);
                };
                if (pair.getPublic() instanceof RSAPublicKey || pair.getPublic() instanceof ECPublicKey) {
                    return pair;
                }
            } catch (GeneralSecurityException | IOException | RuntimeException e) {
                // Not this structure (BouncyCastle's getInstance throws unchecked exceptions of several kinds for
                // a structure of another shape); try the next, as Kubernetes' keyutil does.
            }
        }
        return null;
    }

    /** The DER sequence {@code der} encodes, or null when it is no sequence or not strictly DER. */
    private static ASN1Sequence derSequence(byte[] der) {
        try {
            ASN1Primitive p = ASN1Primitive.fromByteArray(der); // refuses trailing bytes
            if (p instanceof ASN1Sequence seq && Arrays.equals(p.getEncoded(ASN1Encoding.DER), der)) {
                return seq;
            }
        } catch (IOException | RuntimeException e) {
            // not ASN.1 at all
        }
        return null;
    }

    private static KeyPair pkcs1(ASN1Sequence seq) throws GeneralSecurityException {
        org.bouncycastle.asn1.pkcs.RSAPrivateKey k = org.bouncycastle.asn1.pkcs.RSAPrivateKey.getInstance(seq);
        if (k.getVersion().signum() != 0) {
            throw new IllegalArgumentException("not a two-prime PKCS#1 key");
        }
        KeyFactory kf = KeyFactory.getInstance("RSA");
        PublicKey pub = kf.generatePublic(new RSAPublicKeySpec(k.getModulus(), k.getPublicExponent()));
        PrivateKey priv = kf.generatePrivate(new RSAPrivateCrtKeySpec(k.getModulus(), k.getPublicExponent(),
                k.getPrivateExponent(), k.getPrime1(), k.getPrime2(), k.getExponent1(), k.getExponent2(),
                k.getCoefficient()));
        return new KeyPair(pub, priv);
    }

    private static PublicKey spkiOrCertificate(ASN1Sequence seq, byte[] der) throws GeneralSecurityException {
        if (seq.size() == 2) {
            SubjectPublicKeyInfo spki = SubjectPublicKeyInfo.getInstance(seq);
            ASN1ObjectIdentifier algorithm = spki.getAlgorithm().getAlgorithm();
            X509EncodedKeySpec spec = new X509EncodedKeySpec(der);
            if (PKCSObjectIdentifiers.rsaEncryption.equals(algorithm)) {
                return KeyFactory.getInstance("RSA").generatePublic(spec);
            }
            if (X9ObjectIdentifiers.id_ecPublicKey.equals(algorithm)) {
                return KeyFactory.getInstance("EC").generatePublic(spec);
            }
            throw new IllegalArgumentException("unsupported public key algorithm");
        }
        // A certificate: TBSCertificate, signature algorithm, signature.
        Certificate.getInstance(seq);
        return CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der)).getPublicKey();
    }

    /** SEC1 ECPrivateKey; {@code curveOid} comes from a PKCS#8 wrapper when the SEC1 body omits it. */
    private static KeyPair sec1(ASN1Sequence seq, ASN1ObjectIdentifier curveOid) throws GeneralSecurityException {
        if (seq.size() < 2 || !(seq.getObjectAt(0) instanceof ASN1Integer version)
                || !version.hasValue(1)) {
            throw new IllegalArgumentException("not a SEC1 key");
        }
        org.bouncycastle.asn1.sec.ECPrivateKey k = org.bouncycastle.asn1.sec.ECPrivateKey.getInstance(seq);
        BigInteger d = k.getKey();
        ASN1Object params = k.getParametersObject();
        if (params != null) {
            curveOid = ASN1ObjectIdentifier.getInstance(params);
        }
        if (curveOid == null) {
            throw new IllegalArgumentException("EC key without a named curve");
        }
        ECParameterSpec curve = curve(curveOid);
        if (d.signum() <= 0 || d.compareTo(curve.getOrder()) >= 0) {
            throw new IllegalArgumentException("invalid elliptic curve private key value");
        }
        // As Go's x509.ParseECPrivateKey: the public key is d·G, whatever public point the file carries, so
        // that a file whose two halves disagree cannot publish a key that does not verify its tokens.
        ECPoint w = multiply(curveName(curveOid), d);
        KeyFactory kf = KeyFactory.getInstance("EC");
        return new KeyPair(kf.generatePublic(new ECPublicKeySpec(w, curve)), kf.generatePrivate(new ECPrivateKeySpec(d, curve)));
    }

    private static KeyPair pkcs8(ASN1Sequence seq) throws GeneralSecurityException, IOException {
        PrivateKeyInfo info = PrivateKeyInfo.getInstance(seq);
        if (!info.getVersion().hasValue(0)) {
            throw new IllegalArgumentException("not a PKCS#8 v1 key");
        }
        ASN1ObjectIdentifier algorithm = info.getPrivateKeyAlgorithm().getAlgorithm();
        ASN1Sequence inner = derSequence(info.getPrivateKey().getOctets());
        if (inner == null) {
            throw new IllegalArgumentException("PKCS#8 body is not DER");
        }
        if (PKCSObjectIdentifiers.rsaEncryption.equals(algorithm)) {
            return pkcs1(inner);
        }
        if (X9ObjectIdentifiers.id_ecPublicKey.equals(algorithm)) {
            return sec1(inner, ASN1ObjectIdentifier.getInstance(info.getPrivateKeyAlgorithm().getParameters()));
        }
        throw new IllegalArgumentException("unsupported private key algorithm");
    }

    private static ECParameterSpec curve(ASN1ObjectIdentifier oid) throws GeneralSecurityException {
        AlgorithmParameters params = AlgorithmParameters.getInstance("EC");
        params.init(new ECGenParameterSpec(curveName(oid)));
        return params.getParameterSpec(ECParameterSpec.class);
    }

    private static String curveName(ASN1ObjectIdentifier oid) {
        if (SECObjectIdentifiers.secp256r1.equals(oid)) {
            return "secp256r1";
        } else if (SECObjectIdentifiers.secp384r1.equals(oid)) {
            return "secp384r1";
        } else if (SECObjectIdentifiers.secp521r1.equals(oid)) {
            return "secp521r1";
        }
        throw new IllegalArgumentException("unsupported EC curve; only P-256, P-384 and P-521");
    }

    /** d·G on the named curve, in affine coordinates, with BouncyCastle's fixed-point comb multiplier. */
    private static ECPoint multiply(String curveName, BigInteger d) {
        X9ECParameters x9 = ECNamedCurveTable.getByName(curveName);
        org.bouncycastle.math.ec.ECPoint q = new FixedPointCombMultiplier().multiply(x9.getG(), d).normalize();
        return new ECPoint(q.getAffineXCoord().toBigInteger(), q.getAffineYCoord().toBigInteger());
    }
}
