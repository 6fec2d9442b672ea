package io.gatehouse.testing;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.JSONObjectUtils;
import io.gatehouse.core.testing.LogCapture;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Test keys (the Kubernetes fixtures and fresh ones), token signing and raw token assembly. */
public final class JwtFixtures {

    private static final Map<String, KeyPair> CACHE = new ConcurrentHashMap<>();

    private JwtFixtures() {
    }

    /** A path under ../shared/corpora; skips the test when the corpora are absent. */
    public static Path corpus(String... parts) {
        String root = System.getProperty("gatehouse.repoRoot");
        Assumptions.assumeTrue(root != null, "gatehouse.repoRoot not set; corpora unavailable");
        Path p = Path.of(root, "..", "shared", "corpora");
        for (String part : parts) {
            p = p.resolve(part);
        }
        Assumptions.assumeTrue(Files.exists(p), "corpus file missing: " + p);
        return p;
    }

    /** A Kubernetes OIDC fixture key: rsa_1..3 or ecdsa_1..3. */
    public static KeyPair k8sKey(String name) {
        return CACHE.computeIfAbsent(name, n -> {
            try (Reader r = Files.newBufferedReader(corpus("k8s", "oidc", n + ".pem"), StandardCharsets.US_ASCII);
                 PEMParser parser = new PEMParser(r)) {
                return new JcaPEMKeyConverter().getKeyPair((PEMKeyPair) parser.readObject());
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    /** A fresh key pair, cached per name: "rsa2048", "ec256", "ec384", "ec521", "rsa1024". */
    public static KeyPair fresh(String name) {
        return CACHE.computeIfAbsent("fresh-" + name, n -> {
            try {
                KeyPairGenerator g;
                if (name.startsWith("rsa")) {
                    g = KeyPairGenerator.getInstance("RSA");
                    g.initialize(Integer.parseInt(name.substring(3)));
                } else {
                    g = KeyPairGenerator.getInstance("EC");
                    g.initialize(new ECGenParameterSpec("secp" + name.substring(2) + "r1"));
                }
                return g.generateKeyPair();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    /** The Kubernetes test's kid: hex of the RFC 7638 SHA-256 thumbprint. */
    public static String thumbprintHex(PublicKey key) {
        try {
            return HexFormat.of().formatHex(publicJwk(key, null).computeThumbprint().decode());
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The public JWK of a key. */
    public static JWK publicJwk(PublicKey key, String kid) {
        if (key instanceof RSAPublicKey rsa) {
            return new RSAKey.Builder(rsa).keyID(kid).build();
        }
        ECPublicKey ec = (ECPublicKey) key;
        return new ECKey.Builder(Curve.forECParameterSpec(ec.getParams()), ec).keyID(kid).build();
    }

    /** Signs claims with {@code alg}, naming {@code kid} (null: none); the token is declared a secret for the log check. */
    public static String sign(KeyPair keys, String alg, String kid, Map<String, Object> claims) {
        return sign(keys, alg, kid, JSONObjectUtils.toJSONString(claims));
    }

    /** Signs a JSON payload. */
    public static String sign(KeyPair keys, String alg, String kid, String payloadJson) {
        try {
            JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.parse(alg)).keyID(kid).build();
            JWSObject jws = new JWSObject(header, new Payload(payloadJson));
            jws.sign(signer(keys.getPrivate()));
            return LogCapture.secret(jws.serialize());
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Signs arbitrary header and payload JSON, bypassing any header checks of Nimbus. */
    public static String signRaw(KeyPair keys, String alg, String headerJson, String payloadJson) {
        String input = b64(headerJson) + "." + b64(payloadJson);
        try {
            JWSHeader header = new JWSHeader(JWSAlgorithm.parse(alg));
            byte[] sig = signer(keys.getPrivate()).sign(header, input.getBytes(StandardCharsets.US_ASCII)).decode();
            return LogCapture.secret(input + "." + b64(sig));
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JWSSigner signer(PrivateKey key) throws JOSEException {
        return key instanceof ECPrivateKey ec ? new ECDSASigner(ec) : new RSASSASigner(key);
    }

    /** Unpadded base64url of UTF-8 text. */
    public static String b64(String text) {
        return b64(text.getBytes(StandardCharsets.UTF_8));
    }

    /** Unpadded base64url. */
    public static String b64(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
