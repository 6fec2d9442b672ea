package io.gatehouse.oidc;

import io.gatehouse.core.ConfigurationException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Kubernetes' legacy {@code --oidc-*} flags, mapped onto one {@link JwtIssuer} exactly as kube-apiserver maps
 * them: the client id is the one audience, the username claim defaults to {@code sub}, an unset or empty
 * username prefix becomes {@code "<issuer-url>#"} unless the claim is {@code email}, {@code -} means no
 * prefix, the signing algorithms default to RS256 and each required claim becomes a claim rule.
 *
 * <p>Not thread-safe; a one-shot builder.
 */
public final class LegacyOidcFlags {

    private String issuerUrl;
    private String clientId;
    private Path caFile;
    private String usernameClaim = "sub";
    private String usernamePrefix;
    private String groupsClaim;
    private String groupsPrefix;
    private final Map<String, String> requiredClaims = new LinkedHashMap<>();
    private final List<String> signingAlgorithms = new ArrayList<>(List.of("RS256"));

    private LegacyOidcFlags() {
    }

    /**
     * Empty flags.
     *
     * @return new flags with Kubernetes' defaults and no issuer set
     */
    public static LegacyOidcFlags builder() {
        return new LegacyOidcFlags();
    }

    /**
     * {@code --oidc-issuer-url}.
     *
     * @param url the issuer URL, as tokens carry it in {@code iss}; null to unset
     * @return these flags
     */
    public LegacyOidcFlags issuerUrl(String url) {
        this.issuerUrl = url;
        return this;
    }

    /**
     * {@code --oidc-client-id}.
     *
     * @param id the client id, the audience tokens must carry; null to unset
     * @return these flags
     */
    public LegacyOidcFlags clientId(String id) {
        this.clientId = id;
        return this;
    }

    /**
     * {@code --oidc-ca-file}: PEM certificates trusted for discovery and JWKS.
     *
     * @param file the PEM file, or null for no custom CA
     * @return these flags
     */
    public LegacyOidcFlags caFile(Path file) {
        this.caFile = file;
        return this;
    }

    /**
     * {@code --oidc-username-claim}; default {@code sub}.
     *
     * @param claim the claim the username is read from; not null
     * @return these flags
     */
    public LegacyOidcFlags usernameClaim(String claim) {
        this.usernameClaim = Objects.requireNonNull(claim, "claim");
        return this;
    }

    /**
     * {@code --oidc-username-prefix}; {@code -} for none.
     *
     * @param prefix the prefix put before the username, {@code -} for none; null for Kubernetes' default
     * @return these flags
     */
    public LegacyOidcFlags usernamePrefix(String prefix) {
        this.usernamePrefix = prefix;
        return this;
    }

    /**
     * {@code --oidc-groups-claim}.
     *
     * @param claim the claim groups are read from, or null for no groups
     * @return these flags
     */
    public LegacyOidcFlags groupsClaim(String claim) {
        this.groupsClaim = claim;
        return this;
    }

    /**
     * {@code --oidc-groups-prefix}.
     *
     * @param prefix the prefix put before each group, or null for none
     * @return these flags
     */
    public LegacyOidcFlags groupsPrefix(String prefix) {
        this.groupsPrefix = prefix;
        return this;
    }

    /**
     * {@code --oidc-required-claim key=value}; repeatable.
     *
     * @param claim the claim name
     * @param value the value the claim must have
     * @return these flags
     */
    public LegacyOidcFlags requiredClaim(String claim, String value) {
        requiredClaims.put(claim, value);
        return this;
    }

    /**
     * {@code --oidc-signing-algs}; default RS256.
     *
     * @param names the JWS algorithm names, e.g. {@code RS256}; replaces any set before
     * @return these flags
     */
    public LegacyOidcFlags signingAlgorithms(List<String> names) {
        signingAlgorithms.clear();
        signingAlgorithms.addAll(names);
        return this;
    }

    /**
     * The issuer these flags describe.
     *
     * @return a new issuer built from these flags
     * @throws ConfigurationException if issuer URL and client id are not both set, the CA file cannot be
     *                                read, or the issuer is invalid (see {@link JwtIssuer.Builder#build()})
     */
    public JwtIssuer toIssuer() {
        if (issuerUrl == null || issuerUrl.isEmpty() || clientId == null || clientId.isEmpty()) {
            throw new ConfigurationException(null, null, issuerUrl == null || issuerUrl.isEmpty() ? "issuerUrl" : "clientId",
                    "oidc-issuer-url and oidc-client-id must be specified together when any oidc-* flags are set", null);
        }
        String prefix = usernamePrefix;
        if ((prefix == null || prefix.isEmpty()) && !"email".equals(usernameClaim)) {
            prefix = issuerUrl + "#";
        } else if ("-".equals(prefix) || prefix == null) {
            prefix = "";
        }
        JwtIssuer.Builder b = JwtIssuer.builder(issuerUrl)
                .audiences(clientId)
                .username(usernameClaim, prefix)
                .signingAlgorithms(signingAlgorithms);
        if (groupsClaim != null && !groupsClaim.isEmpty()) {
            b.groups(groupsClaim, groupsPrefix == null ? "" : groupsPrefix);
        }
        requiredClaims.forEach(b::requiredClaim);
        if (caFile != null) {
            try {
                b.certificateAuthority(Files.readString(caFile, StandardCharsets.US_ASCII));
            } catch (IOException e) {
                throw new ConfigurationException(caFile.toString(), null, "caFile", "cannot read: " + e.getClass().getSimpleName(), e);
            }
        }
        return b.build();
    }
}
