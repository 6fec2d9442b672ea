package io.gatehouse.serviceaccount;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.JSONObjectUtils;
import io.gatehouse.core.ConfigurationException;
import io.gatehouse.core.internal.GoText;

import java.net.URI;
import java.net.URISyntaxException;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * The service account issuer's OIDC discovery document and JWKS, as kube-apiserver serves them at
 * {@code /.well-known/openid-configuration} and {@code /openid/v1/jwks}, so that any OIDC verifier can check
 * issued tokens. Both documents are rendered once at {@link Builder#build()}; serving them is the
 * embedder's job (any HTTP server; Kubernetes serves them with {@code Cache-Control: public, max-age=3600}).
 *
 * <p>Immutable and thread-safe.
 */
public final class ServiceAccountDiscovery {

    /** Where Kubernetes serves the JWKS, relative to its external address. */
    public static final String JWKS_PATH = "/openid/v1/jwks";

    private final String configuration;
    private final String jwks;

    private ServiceAccountDiscovery(String configuration, String jwks) {
        this.configuration = configuration;
        this.jwks = jwks;
    }

    /**
     * A builder; {@code issuer} and at least one key are required.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The discovery document (JSON).
     *
     * @return the document, as kube-apiserver serves it at {@code /.well-known/openid-configuration}
     */
    public String openIdConfiguration() {
        return configuration;
    }

    /**
     * The JWKS (JSON): every verification key, public members only, with {@code use}, {@code alg} and {@code kid}.
     *
     * @return the key set, as kube-apiserver serves it at {@code /openid/v1/jwks}
     */
    public String jwks() {
        return jwks;
    }

    /** Configures the documents. Not thread-safe. */
    public static final class Builder {
        private String issuer;
        private String jwksUri;
        private final List<PublicKey> keys = new ArrayList<>();

        private Builder() {
        }

        /**
         * The issuer URL (https); required.
         *
         * @param url the issuer URL, as tokens carry it in {@code iss}
         * @return this builder
         */
        public Builder issuer(String url) {
            this.issuer = url;
            return this;
        }

        /**
         * The {@code jwks_uri} ({@code --service-account-jwks-uri}, https only); default: the issuer's
         * origin with {@value #JWKS_PATH}, where kube-apiserver itself serves it.
         *
         * @param uri an https URL
         * @return this builder
         */
        public Builder jwksUri(String uri) {
            this.jwksUri = uri;
            return this;
        }

        /**
         * Adds public keys to publish (all keys tokens may be signed with, including ones being rotated out).
         *
         * @param more RSA or EC public keys
         * @return this builder
         */
        public Builder keys(List<? extends PublicKey> more) {
            for (PublicKey k : more) {
                keys.add(Objects.requireNonNull(k, "keys element"));
            }
            return this;
        }

        /**
         * Validates and renders.
         *
         * @return the rendered documents
         * @throws ConfigurationException naming {@code issuer}, {@code jwksUri} or {@code keys}
         */
        public ServiceAccountDiscovery build() {
            URI issuerUri = https("issuer", issuer);
            String jwksLocation = jwksUri != null ? jwksUri
                    : issuerUri.getScheme() + "://" + issuerUri.getRawAuthority() + JWKS_PATH;
            https("jwksUri", jwksLocation);
            if (keys.isEmpty()) {
                throw new ConfigurationException(null, null, "keys", "at least one key is required", null);
            }
            List<Object> jwkList = new ArrayList<>();
            TreeSet<String> algorithms = new TreeSet<>();
            Set<String> seen = new HashSet<>();
            for (PublicKey k : keys) {
                String kid = ServiceAccountKeys.keyId(k);
                if (!seen.add(kid)) {
                    continue;
                }
                JWSAlgorithm alg;
                try {
                    alg = ServiceAccountTokenIssuer.algorithmFor(k);
                } catch (IllegalArgumentException e) {
                    throw new ConfigurationException(null, null, "keys", e.getMessage(), null);
                }
                algorithms.add(alg.getName());
                JWK jwk = k instanceof RSAPublicKey rsa
                        ? new RSAKey.Builder(rsa).keyUse(KeyUse.SIGNATURE).algorithm(alg).keyID(kid).build()
                        : new ECKey.Builder(Curve.forECParameterSpec(((ECPublicKey) k).getParams()), (ECPublicKey) k)
                                .keyUse(KeyUse.SIGNATURE).algorithm(alg).keyID(kid).build();
                jwkList.add(jwk.toJSONObject());
            }
            Map<String, Object> config = new LinkedHashMap<>();
            config.put("issuer", issuer);
            config.put("jwks_uri", jwksLocation);
            config.put("response_types_supported", List.of("id_token"));
            config.put("subject_types_supported", List.of("public"));
            config.put("id_token_signing_alg_values_supported", new ArrayList<>(algorithms));
            Map<String, Object> set = new LinkedHashMap<>();
            set.put("keys", jwkList);
            return new ServiceAccountDiscovery(JSONObjectUtils.toJSONString(config), JSONObjectUtils.toJSONString(set));
        }

        private static URI https(String setting, String value) {
            if (value == null || value.isEmpty()) {
                throw new ConfigurationException(null, null, setting, "is required", null);
            }
            try {
                URI u = new URI(value);
                if (!"https".equals(u.getScheme()) || u.getRawAuthority() == null) {
                    throw new ConfigurationException(null, null, setting, "must be an https URL, was " + GoText.quote(value), null);
                }
                return u;
            } catch (URISyntaxException e) {
                throw new ConfigurationException(null, null, setting, "is not a valid URL: " + GoText.quote(value), null);
            }
        }
    }
}
