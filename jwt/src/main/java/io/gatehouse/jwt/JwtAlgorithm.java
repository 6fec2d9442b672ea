package io.gatehouse.jwt;

import com.nimbusds.jose.JWSAlgorithm;
import java.util.EnumSet;
import java.util.Set;

/**
 * The JWS algorithms the engine can verify: RSA PKCS#1 v1.5, RSA-PSS and ECDSA with SHA-2. There is no
 * {@code none} and no HMAC here on purpose: a verifier holding public keys must never accept either, so the
 * engine cannot even be configured for them.
 */
public enum JwtAlgorithm {
    /** RSASSA-PKCS1-v1_5 with SHA-256. */
    RS256(Family.RSA_PKCS1, JWSAlgorithm.RS256, 0),
    /** RSASSA-PKCS1-v1_5 with SHA-384. */
    RS384(Family.RSA_PKCS1, JWSAlgorithm.RS384, 0),
    /** RSASSA-PKCS1-v1_5 with SHA-512. */
    RS512(Family.RSA_PKCS1, JWSAlgorithm.RS512, 0),
    /** RSASSA-PSS with SHA-256 and MGF1 with SHA-256. */
    PS256(Family.RSA_PSS, JWSAlgorithm.PS256, 0),
    /** RSASSA-PSS with SHA-384 and MGF1 with SHA-384. */
    PS384(Family.RSA_PSS, JWSAlgorithm.PS384, 0),
    /** RSASSA-PSS with SHA-512 and MGF1 with SHA-512. */
    PS512(Family.RSA_PSS, JWSAlgorithm.PS512, 0),
    /** ECDSA on P-256 with SHA-256. */
    ES256(Family.ECDSA, JWSAlgorithm.ES256, 64),
    /** ECDSA on P-384 with SHA-384. */
    ES384(Family.ECDSA, JWSAlgorithm.ES384, 96),
    /** ECDSA on P-521 with SHA-512. */
    ES512(Family.ECDSA, JWSAlgorithm.ES512, 132);

    /** The signature primitive behind an algorithm; a key is bound to families, never to HMAC. */
    public enum Family {
        /** RSASSA-PKCS1-v1_5 (RS256, RS384, RS512). */
        RSA_PKCS1,
        /** RSASSA-PSS with MGF1 of the same hash and a salt as long as the hash (PS256, PS384, PS512). */
        RSA_PSS,
        /** ECDSA over the algorithm's one curve, signatures in IEEE P1363 form (ES256, ES384, ES512). */
        ECDSA
    }

    private final Family family;
    private final JWSAlgorithm nimbus;
    private final int signatureLength;

    JwtAlgorithm(Family family, JWSAlgorithm nimbus, int signatureLength) {
        this.family = family;
        this.nimbus = nimbus;
        this.signatureLength = signatureLength;
    }

    /**
     * The algorithm named exactly {@code name} (case-sensitive, as RFC 7518), or null for any other name.
     *
     * @param name the JWS {@code alg} name, possibly null
     * @return the algorithm, or null when {@code name} is null or not one of the engine's
     */
    public static JwtAlgorithm fromName(String name) {
        if (name == null) {
            return null;
        }
        for (JwtAlgorithm a : values()) {
            if (a.name().equals(name)) {
                return a;
            }
        }
        return null;
    }

    /**
     * Every algorithm of the engine, in declaration order.
     *
     * @return a new, modifiable set of every algorithm
     */
    public static Set<JwtAlgorithm> all() {
        return EnumSet.allOf(JwtAlgorithm.class);
    }

    /**
     * The primitive.
     *
     * @return the algorithm's family, never null
     */
    public Family family() {
        return family;
    }

    /** The exact P1363 signature length for ECDSA (r || s); 0 for RSA. */
    int signatureLength() {
        return signatureLength;
    }

    /** The JCA name of the algorithm's hash: {@code SHA-256}, {@code SHA-384} or {@code SHA-512}. */
    String hashName() {
        return "SHA-" + name().substring(2);
    }

    JWSAlgorithm nimbus() {
        return nimbus;
    }
}
