package io.gatehouse.jwt;

import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.interfaces.ECPublicKey;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.math.ec.FixedPointUtil;
import org.bouncycastle.math.ec.WNafUtil;

/**
 * ECDSA verification of JWS (P1363, {@code r || s}) signatures with BouncyCastle's lightweight API, not a
 * JCA provider: nothing is registered, nothing global changes. On JDK 17 SunEC costs about 0.8-1 ms per
 * P-256 verification; BouncyCastle's specialised curve arithmetic with a per-key precomputed table costs
 * an order of magnitude less.
 *
 * <p>The precomputation is the point of this class. BouncyCastle keeps precomputed multiples of a point on
 * the point object itself, so the public point is built once here, marked as a long-lived base point
 * ({@link WNafUtil#configureBasepoint}) and its fixed-point comb table is computed at construction
 * ({@link FixedPointUtil#precompute}); every verification then reuses it (the generator's tables are shared
 * per curve). BouncyCastle guards the tables with its own locks and only reads them once built.
 *
 * <p>Checks before any arithmetic: exact signature length for the curve and {@code r, s} in
 * {@code [1, n-1]} ("psychic signatures", CVE-2022-21449, and Wycheproof's range cases).
 *
 * <p>Immutable after construction; thread-safe.
 */
final class EcdsaP1363Verifier {

    private static final ECDomainParameters P256 = domain("secp256r1");
    private static final ECDomainParameters P384 = domain("secp384r1");
    private static final ECDomainParameters P521 = domain("secp521r1");

    private final JwtAlgorithm algorithm;
    private final ECPublicKeyParameters key;
    private final BigInteger order;
    private final int half;

    /**
     * @throws IllegalArgumentException if the key's curve is not {@code algorithm}'s or the point is invalid
     */
    EcdsaP1363Verifier(JwtAlgorithm algorithm, ECPublicKey publicKey) {
        ECDomainParameters domain = switch (algorithm) {
            case ES256 -> P256;
            case ES384 -> P384;
            case ES512 -> P521;
            default -> throw new IllegalArgumentException(algorithm + " is not an ECDSA algorithm");
        };
        java.security.spec.ECParameterSpec jca = publicKey.getParams();
        if (!jca.getOrder().equals(domain.getN())
                || !jca.getGenerator().getAffineX().equals(domain.getG().getAffineXCoord().toBigInteger())
                || !jca.getGenerator().getAffineY().equals(domain.getG().getAffineYCoord().toBigInteger())) {
            throw new IllegalArgumentException("EC key is not on the standard curve of " + algorithm);
        }
        ECPoint q;
        try {
            // createPoint + ECPublicKeyParameters validate: on the curve, not infinity, right subgroup.
            q = domain.getCurve().createPoint(publicKey.getW().getAffineX(), publicKey.getW().getAffineY());
            this.key = new ECPublicKeyParameters(q, domain);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("EC public point is not valid on its curve", e);
        }
        this.algorithm = algorithm;
        this.order = domain.getN();
        this.half = algorithm.signatureLength() / 2;
        ECPoint stored = key.getQ();
        WNafUtil.configureBasepoint(stored);
        FixedPointUtil.precompute(stored);
    }

    /** Verifies {@code signature} (P1363) over {@code signingInput}; false for any failure, never throws. */
    boolean verify(byte[] signingInput, byte[] signature) {
        if (signature.length != half * 2) {
            return false;
        }
        BigInteger r = new BigInteger(1, signature, 0, half);
        BigInteger s = new BigInteger(1, signature, half, half);
        if (r.signum() <= 0 || s.signum() <= 0 || r.compareTo(order) >= 0 || s.compareTo(order) >= 0) {
            return false;
        }
        MessageDigest digest = JcaInstances.digest(algorithm);
        byte[] hash = digest.digest(signingInput);
        // ECDSASigner holds only the key reference (a few fields); a fresh one per call is cheaper than
        // a thread-local lookup and keeps this class free of mutable state.
        ECDSASigner signer = new ECDSASigner();
        signer.init(false, key);
        try {
            return signer.verifySignature(hash, r, s);
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static ECDomainParameters domain(String name) {
        X9ECParameters x9 = CustomNamedCurves.getByName(name);
        // The domain reuses x9's generator, on which CustomNamedCurves already configured the WNAF table.
        return new ECDomainParameters(x9.getCurve(), x9.getG(), x9.getN(), x9.getH(), x9.getSeed());
    }

    @Override
    public String toString() {
        return "EcdsaP1363Verifier{" + algorithm + "}";
    }
}
