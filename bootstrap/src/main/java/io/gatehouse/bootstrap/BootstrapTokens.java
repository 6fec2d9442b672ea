package io.gatehouse.bootstrap;

import io.gatehouse.core.internal.GoText;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The token, name and group rules of Kubernetes' {@code k8s.io/cluster-bootstrap} ({@code token/api},
 * {@code token/util}, {@code util/secrets}), with its constants and error texts.
 */
final class BootstrapTokens {

    /** {@code bootstrapapi.BootstrapTokenSecretPrefix}. */
    static final String SECRET_PREFIX = "bootstrap-token-";
    /** {@code bootstrapapi.SecretTypeBootstrapToken}. */
    static final String SECRET_TYPE = "bootstrap.kubernetes.io/token";
    /** {@code metav1.NamespaceSystem}: the only namespace bootstrap token Secrets are read from. */
    static final String NAMESPACE = "kube-system";
    /** {@code bootstrapapi.BootstrapUserPrefix}. */
    static final String USER_PREFIX = "system:bootstrap:";
    /** {@code bootstrapapi.BootstrapDefaultGroup}. */
    static final String DEFAULT_GROUP = "system:bootstrappers";
    /** {@code bootstrapapi.BootstrapGroupPattern}, printed in error messages. */
    static final String GROUP_PATTERN = "\\Asystem:bootstrappers:[a-z0-9:-]{0,255}[a-z0-9]\\z";
    /** The same: {@code matches()} anchors the whole input as {@code \A...\z} does ({@code $} would not). */
    private static final Pattern GROUP = Pattern.compile("system:bootstrappers:[a-z0-9:-]{0,255}[a-z0-9]");

    static final int ID_LENGTH = 6;
    static final int SECRET_LENGTH = 16;
    static final int TOKEN_LENGTH = ID_LENGTH + 1 + SECRET_LENGTH;
    /** {@code validBootstrapTokenChars}. */
    static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";

    private BootstrapTokens() {
    }

    /**
     * {@code IsValidBootstrapToken}: {@code \A[a-z0-9]{6}\.[a-z0-9]{16}\z}, checked by hand because this runs for every
     * bearer token the chain sees and most are not bootstrap tokens.
     */
    static boolean isValidToken(String token) {
        return token.length() == TOKEN_LENGTH && token.charAt(ID_LENGTH) == '.'
                && isTokenChars(token, 0, ID_LENGTH) && isTokenChars(token, ID_LENGTH + 1, TOKEN_LENGTH);
    }

    /** {@code IsValidBootstrapTokenID}: {@code \A[a-z0-9]{6}\z}. */
    static boolean isValidTokenId(String id) {
        return id.length() == ID_LENGTH && isTokenChars(id, 0, ID_LENGTH);
    }

    /** Whether {@code s[from, to)} is all {@code [a-z0-9]}. */
    private static boolean isTokenChars(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            if (!isTokenChar(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static boolean isTokenChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    }

    /** {@code BootstrapTokenSecretName}. */
    static String secretName(String tokenId) {
        return SECRET_PREFIX + tokenId;
    }

    /** {@code ParseName}: the token id a Secret name stands for, or null if it is not {@code bootstrap-token-<id>}. */
    static String parseSecretName(String name) {
        if (!name.startsWith(SECRET_PREFIX)) {
            return null;
        }
        String id = name.substring(SECRET_PREFIX.length());
        return isValidTokenId(id) ? id : null;
    }

    /** {@code ValidateBootstrapGroupName}: null when valid, else Kubernetes' error text. */
    static String validateGroupName(String group) {
        if (GROUP.matcher(group).matches()) {
            return null;
        }
        return "bootstrap group " + GoText.quote(group) + " is invalid (must match " + GROUP_PATTERN + ")";
    }

    /**
     * {@code GetGroups}: {@code system:bootstrappers} and each comma-separated entry of {@code extraGroups} (not
     * trimmed), sorted and de-duplicated.
     *
     * @param extraGroups the {@code auth-extra-groups} value; null or empty for none
     * @throws IllegalArgumentException with Kubernetes' message if an entry is not a valid bootstrap group
     */
    static List<String> groups(String extraGroups) {
        if (extraGroups == null || extraGroups.isEmpty()) {
            return List.of(DEFAULT_GROUP);
        }
        TreeSet<String> groups = new TreeSet<>();
        groups.add(DEFAULT_GROUP);
        int start = 0;
        while (true) {
            int comma = extraGroups.indexOf(',', start);
            String group = comma < 0 ? extraGroups.substring(start) : extraGroups.substring(start, comma);
            String error = validateGroupName(group);
            if (error != null) {
                throw new IllegalArgumentException(error);
            }
            groups.add(group);
            if (comma < 0) {
                break;
            }
            start = comma + 1;
        }
        return List.copyOf(new ArrayList<>(groups));
    }
}
