package io.gatehouse.jwt;

import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.JSONObjectUtils;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An immutable set of trusted keys, looked up by {@code kid} in a hash map (a token without a kid tries
 * every key, as Kubernetes does). Also the JWKS reader: {@link #fromJwks} validates a JSON Web Key Set
 * before any key is trusted.
 *
 * <p>Thread-safe.
 */
public final class VerificationKeySet implements KeySource {

    private static final Set<String> PRIVATE_MEMBERS = Set.of("d", "p", "q", "dp", "dq", "qi", "oth", "k");

    private final List<VerificationKey> all;
    private final Map<String, VerificationKey> byKeyId;
    private final List<String> skipped;

    private VerificationKeySet(List<VerificationKey> keys, List<String> skipped) {
        this.all = List.copyOf(keys);
        Map<String, VerificationKey> map = new HashMap<>();
        for (VerificationKey k : keys) {
            if (k.keyId() != null && map.put(k.keyId(), k) != null) {
                throw new IllegalArgumentException("duplicate kid " + quote(k.keyId()));
            }
        }
        this.byKeyId = Map.copyOf(map);
        this.skipped = List.copyOf(skipped);
    }

    /**
     * A set of the given keys.
     *
     * @param keys the keys, copied; not null
     * @return the set
     * @throws IllegalArgumentException if two keys share a kid
     */
    public static VerificationKeySet of(Collection<VerificationKey> keys) {
        return new VerificationKeySet(new ArrayList<>(keys), List.of());
    }

    /**
     * Reads a JSON Web Key Set (RFC 7517). Keys unfit for signature verification are skipped and listed in
     * {@link #skipped()}: {@code use} other than {@code sig}, {@code key_ops} without {@code verify}, key
     * types other than RSA and EC, an {@code alg} that does not fit the key, weak keys. A set that is
     * ambiguous or dangerous is refused whole: not a JSON object with a {@code keys} array, private or
     * symmetric key material (a "mixed key set"), or two usable keys with one kid.
     *
     * @param json the JWKS document
     * @return the usable keys; {@link #skipped()} says why others were left out
     * @throws IllegalArgumentException naming the problem (never key material)
     */
    public static VerificationKeySet fromJwks(String json) {
        Map<String, Object> root;
        try {
            root = JSONObjectUtils.parse(json);
        } catch (ParseException | RuntimeException e) {
            throw new IllegalArgumentException("JWKS is not a JSON object");
        }
        if (root == null || !(root.get("keys") instanceof List<?> entries)) {
            throw new IllegalArgumentException("JWKS has no keys array");
        }
        List<VerificationKey> keys = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            if (!(entries.get(i) instanceof Map<?, ?> raw)) {
                throw new IllegalArgumentException("JWKS keys[" + i + "] is not an object");
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> jwk = (Map<String, Object>) raw;
            for (String member : PRIVATE_MEMBERS) {
                if (jwk.containsKey(member)) {
                    throw new IllegalArgumentException("JWKS keys[" + i + "] holds private or symmetric key material");
                }
            }
            String problem = unfitForVerification(jwk);
            if (problem != null) {
                skipped.add("keys[" + i + "]: " + problem);
                continue;
            }
            try {
                keys.add(toKey(jwk));
            } catch (ParseException | IllegalArgumentException | com.nimbusds.jose.JOSEException e) {
                skipped.add("keys[" + i + "]: " + e.getMessage());
            }
        }
        return new VerificationKeySet(keys, skipped);
    }

    /**
     * Reads a JWKS from UTF-8 bytes; see {@link #fromJwks(String)}.
     *
     * @param json the JWKS document, UTF-8; not null
     * @return the usable keys, as {@link #fromJwks(String)} returns them
     */
    public static VerificationKeySet fromJwks(byte[] json) {
        return fromJwks(new String(json, StandardCharsets.UTF_8));
    }

    private static String unfitForVerification(Map<String, Object> jwk) {
        Object kty = jwk.get("kty");
        if (!"RSA".equals(kty) && !"EC".equals(kty)) {
            return "key type " + kty + " cannot verify RS/PS/ES signatures";
        }
        Object use = jwk.get("use");
        if (use != null && !"sig".equals(use)) {
            return "use is not sig";
        }
        Object ops = jwk.get("key_ops");
        if (ops != null && !(ops instanceof List<?> l && l.contains("verify"))) {
            return "key_ops does not allow verify";
        }
        Object kid = jwk.get("kid");
        if (kid != null && !(kid instanceof String)) {
            return "kid is not a string";
        }
        return null;
    }

    private static VerificationKey toKey(Map<String, Object> jwkJson) throws ParseException, com.nimbusds.jose.JOSEException {
        JWK jwk = JWK.parse(jwkJson);
        Object algValue = jwkJson.get("alg");
        String alg = algValue == null ? null : algValue.toString();
        PublicKey key;
        Set<JwtAlgorithm> algs = EnumSet.noneOf(JwtAlgorithm.class);
        if (jwk instanceof RSAKey rsa) {
            key = rsa.toRSAPublicKey();
            JwtAlgorithm pinned = JwtAlgorithm.fromName(alg);
            if (alg == null) {
                for (JwtAlgorithm a : JwtAlgorithm.values()) {
                    if (a.family() != JwtAlgorithm.Family.ECDSA) {
                        algs.add(a);
                    }
                }
            } else if (pinned == null || pinned.family() == JwtAlgorithm.Family.ECDSA) {
                throw new IllegalArgumentException("alg " + alg + " does not fit an RSA signature key");
            } else {
                // alg pins the primitive (PKCS#1 v1.5 or PSS) and the weakest hash: a stronger hash of the
                // same primitive is accepted (RFC 7520's PS256 key signing PS384), a weaker one never.
                for (JwtAlgorithm a : JwtAlgorithm.values()) {
                    if (a.family() == pinned.family() && a.ordinal() >= pinned.ordinal()) {
                        algs.add(a);
                    }
                }
            }
        } else if (jwk instanceof ECKey ec) {
            VerificationKey k = VerificationKey.of(jwk.getKeyID(), ec.toECPublicKey());
            if (alg != null) {
                // "ES521" is a common misspelling of ES512 (P-521); anything else must name the curve's algorithm.
                JwtAlgorithm pinned = JwtAlgorithm.fromName("ES521".equals(alg) ? "ES512" : alg);
                if (pinned == null || !k.accepts(pinned)) {
                    throw new IllegalArgumentException("alg " + alg + " does not fit the EC key's curve");
                }
            }
            return k;
        } else {
            throw new IllegalArgumentException("unsupported key type");
        }
        return VerificationKey.of(jwk.getKeyID(), key, algs);
    }

    @Override
    public List<VerificationKey> lookup(String keyId) {
        if (keyId == null) {
            return all;
        }
        VerificationKey k = byKeyId.get(keyId);
        return k == null ? List.of() : List.of(k);
    }

    /**
     * Every key, in the order given.
     *
     * @return the keys, unmodifiable; never null
     */
    public List<VerificationKey> keys() {
        return all;
    }

    /**
     * Why JWKS entries were left out (no key material); empty for sets built from keys.
     *
     * @return one reason per left-out entry, unmodifiable; never null
     */
    public List<String> skipped() {
        return skipped;
    }

    /**
     * The number of keys.
     *
     * @return the number of keys, zero or more
     */
    public int size() {
        return all.size();
    }

    private static String quote(String s) {
        return '"' + s + '"';
    }

    @Override
    public String toString() {
        return "VerificationKeySet" + byKeyId.keySet();
    }
}
