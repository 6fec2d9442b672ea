package io.gatehouse.serviceaccount;

import io.gatehouse.core.ConfigurationException;

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
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bouncycastle.asn1.x9.ECNamedCurveTable;
import org.bouncycastle.asn1.x9.X9ECParameters;
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
 * <p>Errors are {@link ConfigurationException}s naming the source; they never quote key material. All
 * methods are thread-safe and meant for configuration time, not for the request path.
 */
public final class ServiceAccountKeys {

    private static final Pattern PEM_BLOCK =
            Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----\\r?\\n(.*?)-----END \\1-----", Pattern.DOTALL);

    private static final byte[] OID_RSA = {0x2A, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xF7, 0x0D, 0x01, 0x01, 0x01};
    private static final byte[] OID_EC = {0x2A, (byte) 0x86, 0x48, (byte) 0xCE, 0x3D, 0x02, 0x01};
    private static final byte[] OID_P256 = {0x2A, (byte) 0x86, 0x48, (byte) 0xCE, 0x3D, 0x03, 0x01, 0x07};
    private static final byte[] OID_P384 = {0x2B, (byte) 0x81, 0x04, 0x00, 0x22};
    private static final byte[] OID_P521 = {0x2B, (byte) 0x81, 0x04, 0x00, 0x23};

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
     * @throws ConfigurationException if the text holds no RSA or ECDSA key
     */
    public static List<PublicKey> parsePublicKeys(String pem, String source) {
        List<PublicKey> keys = new ArrayList<>();
        for (byte[] der : blocks(pem)) {
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
     * @throws ConfigurationException if the file cannot be read or holds no RSA or ECDSA private key
     */
    public static KeyPair readSigningKey(Path file) {
        return parseSigningKey(read(file), file.toString());
    }

    /**
     * The first private key in PEM text and its public key; see {@link #readSigningKey(Path)}.
     *
     * @throws ConfigurationException if the text holds no RSA or ECDSA private key
     */
    public static KeyPair parseSigningKey(String pem, String source) {
        for (byte[] der : blocks(pem)) {
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
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getEncoded());
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new ConfigurationException(file.toString(), null, null,
                    "cannot read key file: " + e.getClass().getSimpleName(), e);
        }
    }

    private static List<byte[]> blocks(String pem) {
        List<byte[]> out = new ArrayList<>();
        Matcher m = PEM_BLOCK.matcher(pem);
        while (m.find()) {
            try {
                out.add(Base64.getMimeDecoder().decode(m.group(2)));
            } catch (IllegalArgumentException e) {
                // Go's pem.Decode skips a block it cannot decode; so do we.
            }
        }
        return out;
    }

    /** The block as a key pair (private may be null), or null when it is no RSA or EC key at all. */
    private static KeyPair parseAny(byte[] der) {
        for (int attempt = 0; attempt < 4; attempt++) {
            try {
                KeyPair pair = switch (attempt) {
                    case 0 -> pkcs1(der);
                    case 1 -> new KeyPair(spkiOrCertificate(der), null);
                    case 2 -> sec1(der, null);
                    default -> pkcs8(der);
                };
                if (pair.getPublic() instanceof RSAPublicKey || pair.getPublic() instanceof ECPublicKey) {
                    return pair;
                }
            } catch (IllegalArgumentException | GeneralSecurityException e) {
                // Not this structure; try the next, as Kubernetes' keyutil does.
            }
        }
        return null;
    }

    private static KeyPair pkcs1(byte[] der) throws GeneralSecurityException {
        Der outer = new Der(der);
        Der seq = outer.sequence();
        outer.end();
        if (seq.integer().signum() != 0) {
            throw new IllegalArgumentException("not a two-prime PKCS#1 key");
        }
        BigInteger n = seq.integer();
        BigInteger e = seq.integer();
        BigInteger d = seq.integer();
        BigInteger p = seq.integer();
        BigInteger q = seq.integer();
        BigInteger dp = seq.integer();
        BigInteger dq = seq.integer();
        BigInteger qi = seq.integer();
        seq.end();
        KeyFactory kf = KeyFactory.getInstance("RSA");
        PublicKey pub = kf.generatePublic(new RSAPublicKeySpec(n, e));
        PrivateKey priv = kf.generatePrivate(new RSAPrivateCrtKeySpec(n, e, d, p, q, dp, dq, qi));
        return new KeyPair(pub, priv);
    }

    private static PublicKey spkiOrCertificate(byte[] der) throws GeneralSecurityException {
        X509EncodedKeySpec spec = new X509EncodedKeySpec(der);
        Der outer = new Der(der);
        Der spki = outer.sequence();
        outer.end();
        Der algorithm = spki.sequence();
        if (algorithm.peekTag() == Der.OID) {
            byte[] oid = algorithm.oid();
            if (Arrays.equals(oid, OID_RSA)) {
                return KeyFactory.getInstance("RSA").generatePublic(spec);
            }
            if (Arrays.equals(oid, OID_EC)) {
                return KeyFactory.getInstance("EC").generatePublic(spec);
            }
            throw new IllegalArgumentException("unsupported public key algorithm");
        }
        // A certificate: its first element is the TBSCertificate, not an AlgorithmIdentifier.
        return CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(der)).getPublicKey();
    }

    /** SEC1 ECPrivateKey; {@code curveOid} comes from a PKCS#8 wrapper when the SEC1 body omits it. */
    private static KeyPair sec1(byte[] der, byte[] curveOid) throws GeneralSecurityException {
        Der outer = new Der(der);
        Der seq = outer.sequence();
        outer.end();
        if (!seq.integer().equals(BigInteger.ONE)) {
            throw new IllegalArgumentException("not a SEC1 key");
        }
        BigInteger d = new BigInteger(1, seq.octetString());
        Der params = seq.explicit(0);
        if (params != null) {
            curveOid = params.oid();
        }
        Der pub = seq.explicit(1);
        if (pub != null) {
            pub.bitString(); // well formed, but not trusted: see below
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

    private static KeyPair pkcs8(byte[] der) throws GeneralSecurityException {
        Der outer = new Der(der);
        Der seq = outer.sequence();
        outer.end();
        if (seq.integer().signum() != 0) {
            throw new IllegalArgumentException("not a PKCS#8 v1 key");
        }
        Der algorithm = seq.sequence();
        byte[] oid = algorithm.oid();
        byte[] inner = seq.octetString();
        if (Arrays.equals(oid, OID_RSA)) {
            return pkcs1(inner);
        }
        if (Arrays.equals(oid, OID_EC)) {
            return sec1(inner, algorithm.oid());
        }
        throw new IllegalArgumentException("unsupported private key algorithm");
    }

    private static ECParameterSpec curve(byte[] oid) throws GeneralSecurityException {
        AlgorithmParameters params = AlgorithmParameters.getInstance("EC");
        params.init(new ECGenParameterSpec(curveName(oid)));
        return params.getParameterSpec(ECParameterSpec.class);
    }

    private static String curveName(byte[] oid) {
        if (Arrays.equals(oid, OID_P256)) {
            return "secp256r1";
        } else if (Arrays.equals(oid, OID_P384)) {
            return "secp384r1";
        } else if (Arrays.equals(oid, OID_P521)) {
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
