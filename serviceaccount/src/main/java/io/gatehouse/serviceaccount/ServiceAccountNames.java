package io.gatehouse.serviceaccount;

import java.util.regex.Pattern;

/**
 * Kubernetes' service account user names ({@code k8s.io/apiserver/pkg/authentication/serviceaccount}):
 * {@code system:serviceaccount:<namespace>:<name>}, with the namespace a DNS label and the name a DNS
 * subdomain.
 */
final class ServiceAccountNames {

    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
    private static final Pattern DNS_SUBDOMAIN =
            Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

    private ServiceAccountNames() {
    }

    /** {@code MakeUsername}. */
    static String username(String namespace, String name) {
        return ServiceAccountInfo.USERNAME_PREFIX + namespace + ":" + name;
    }

    /** {@code SplitUsername}: namespace and name, or null when {@code username} is not a valid service account user name. */
    static String[] split(String username) {
        if (!username.startsWith(ServiceAccountInfo.USERNAME_PREFIX)) {
            return null;
        }
        String rest = username.substring(ServiceAccountInfo.USERNAME_PREFIX.length());
        int colon = rest.indexOf(':');
        if (colon < 0 || rest.indexOf(':', colon + 1) >= 0) {
            return null;
        }
        String namespace = rest.substring(0, colon);
        String name = rest.substring(colon + 1);
        if (!isNamespaceName(namespace) || !isServiceAccountName(name)) {
            return null;
        }
        return new String[] {namespace, name};
    }

    static boolean isNamespaceName(String s) {
        return s.length() <= 63 && DNS_LABEL.matcher(s).matches();
    }

    static boolean isServiceAccountName(String s) {
        return s.length() <= 253 && DNS_SUBDOMAIN.matcher(s).matches();
    }
}
