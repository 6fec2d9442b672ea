package io.gatehouse.serviceaccount;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.RSAPrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Kubernetes' jwt_test.go keys from the shared corpus, and tokens built independently of the module's issuer
 * (Nimbus directly, in Kubernetes' exact claim shapes), so that verification is not tested against itself.
 */
final class Fixtures {

    static final String RSA_KID = "JHJehTTTZlsspKHT-GaJxK7Kd1NQgZJu3fyK6K_QDYU";
    static final String ECDSA_KID = "SoABiieYuNx4UdqYvZRVeuC6SihxgLrhLy9peHMHpTc";
    static final String OTHER_KID = "yEooMTEt7THsoVd-yf2m_0tmtgtZWGhAPFm296R5q18";

    private static final Map<String, KeyPair> FRESH = new java.util.concurrent.ConcurrentHashMap<>();

    private Fixtures() {
    }

    /** The corpus directory; skips the test with a message when the shared corpora are not there. */
    static Path dir() {
        String root = System.getProperty("gatehouse.repoRoot");
        Assumptions.assumeTrue(root != null, "gatehouse.repoRoot is not set; run through Maven");
        Path dir = Path.of(root, "..", "shared", "corpora", "k8s", "serviceaccount").normalize();
        Assumptions.assumeTrue(Files.isDirectory(dir), "corpus not found: " + dir);
        return dir;
    }

    static Path file(String name) {
        return dir().resolve(name);
    }

    static String pem(String name) {
        try {
            return Files.readString(file(name));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static PublicKey rsaPublic() {
        return ServiceAccountKeys.readPublicKeys(file("rsaPublicKey.pem")).get(0);
    }

    static PublicKey ecdsaPublic() {
        return ServiceAccountKeys.readPublicKeys(file("ecdsaPublicKey.pem")).get(0);
    }

    static PublicKey otherPublic() {
        return ServiceAccountKeys.readPublicKeys(file("otherPublicKey.pem")).get(0);
    }

    static KeyPair rsaPair() {
        return ServiceAccountKeys.readSigningKey(file("rsaPrivateKey.pem"));
    }

    static KeyPair ecdsaPair() {
        return ServiceAccountKeys.readSigningKey(file("ecdsaPrivateKey.pem"));
    }

    /** A fresh key pair per spec ("rsa2048", "rsa1024", "ec256", "ec256-attacker", "ec384", "ec521"), generated once per run. */
    static KeyPair fresh(String spec) {
        return FRESH.computeIfAbsent(spec, s -> {
            try {
                KeyPairGenerator g;
                if (s.startsWith("rsa")) {
                    g = KeyPairGenerator.getInstance("RSA");
                    g.initialize(Integer.parseInt(s.substring(3)));
                } else {
                    g = KeyPairGenerator.getInstance("EC");
                    g.initialize(new ECGenParameterSpec(switch (s) {
                        case "ec256", "ec256-attacker" -> "secp256r1";
                        case "ec384" -> "secp384r1";
                        default -> "secp521r1";
                    }));
                }
                return g.generateKeyPair();
            } catch (java.security.GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    /** Signs {@code claims} with {@code key} (RS256 or ES256/384/512 by key), with {@code kid} when not null. */
    static String sign(PrivateKey key, JWSAlgorithm alg, String kid, Map<String, Object> claims) {
        try {
            JWSObject jws = new JWSObject(new JWSHeader.Builder(alg).keyID(kid).build(), new Payload(claims));
            jws.sign(key instanceof RSAPrivateKey rsa ? new RSASSASigner(rsa) : new ECDSASigner((ECPrivateKey) key));
            return jws.serialize();
        } catch (com.nimbusds.jose.JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Kubernetes' LegacyClaims(serviceAccount, secret) for test/my-service-account, uid 12345, secret my-secret. */
    static Map<String, Object> legacyClaims(String issuer) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("iss", issuer);
        c.put("kubernetes.io/serviceaccount/namespace", "test");
        c.put("kubernetes.io/serviceaccount/secret.name", "my-secret");
        c.put("kubernetes.io/serviceaccount/service-account.name", "my-service-account");
        c.put("kubernetes.io/serviceaccount/service-account.uid", "12345");
        c.put("sub", "system:serviceaccount:test:my-service-account");
        return c;
    }

    /**
     * Bound claims as Kubernetes' Claims() makes them: {@code kubernetes.io} with namespace, serviceaccount and
     * the optional refs (each a {name, uid} pair or null).
     */
    static Map<String, Object> boundClaims(String issuer, List<String> aud, long iat, long exp, String ns, String sa,
                                           String saUid, String[] pod, String[] secret, String[] node, Long warnAfter) {
        Map<String, Object> k8s = new LinkedHashMap<>();
        k8s.put("namespace", ns);
        if (node != null) {
            k8s.put("node", Map.of("name", node[0], "uid", node[1]));
        }
        if (pod != null) {
            k8s.put("pod", Map.of("name", pod[0], "uid", pod[1]));
        }
        if (secret != null) {
            k8s.put("secret", Map.of("name", secret[0], "uid", secret[1]));
        }
        k8s.put("serviceaccount", Map.of("name", sa, "uid", saUid));
        if (warnAfter != null) {
            k8s.put("warnafter", warnAfter);
        }
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("aud", aud);
        c.put("exp", exp);
        c.put("iat", iat);
        c.put("iss", issuer);
        c.put("jti", "8c5b0a1c-0000-4000-8000-000000000001");
        c.put("kubernetes.io", k8s);
        c.put("nbf", iat);
        c.put("sub", "system:serviceaccount:" + ns + ":" + sa);
        return c;
    }
}
