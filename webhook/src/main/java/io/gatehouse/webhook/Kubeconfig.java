package io.gatehouse.webhook;

import io.gatehouse.core.ConfigurationException;
import io.gatehouse.core.internal.BoundedYaml;
import io.gatehouse.core.internal.GoText;
import io.gatehouse.core.internal.Pem;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Reads a webhook kubeconfig as client-go's non-interactive loader does for
 * {@code --authentication-token-webhook-config-file}: {@code current-context} picks a context, which names a
 * cluster (the {@code server} URL the review is POSTed to, exactly as written, and the CA that server must
 * chain to) and a user (a client certificate and key, and/or a bearer token). Relative paths resolve against the
 * kubeconfig's directory; {@code -data} fields are base64, as in every kubeconfig.
 *
 * <p>client-go's validation errors are kept (both a file and its {@code -data}, a certificate without a key, an
 * unreadable file). Gatehouse refuses insecure transports that client-go would accept: an {@code http://}
 * server and {@code insecure-skip-tls-verify: true}, since the review carries a user's bearer token (Kubernetes'
 * own test "Server is using insecure connection" expects the webhook to fail). Authentication by exec plugin,
 * auth provider, basic auth or impersonation is not supported. Every error names the file, the entry and the
 * field, never a secret.
 */
final class Kubeconfig {

    /** Where and how to send reviews. {@code bearerToken} is null when the user has none. */
    record Endpoint(URI server, SSLContext tls, String bearerToken) {
        @Override
        public String toString() {
            return "Endpoint[server=" + server + ", bearerToken=" + (bearerToken == null ? "none" : "set") + "]";
        }
    }

    private static final Set<String> UNSUPPORTED_USER_FIELDS = Set.of("exec", "auth-provider", "username", "password",
            "as", "as-uid", "as-groups", "as-user-extra");

    /** Cluster fields client-go honours that this client does not; refused rather than silently ignored. */
    private static final Set<String> UNSUPPORTED_CLUSTER_FIELDS = Set.of("proxy-url", "tls-server-name");

    private final Path file;
    private final String source;
    private final Path base;

    private Kubeconfig(Path file) {
        this.file = file;
        this.source = file.toString();
        Path parent = file.toAbsolutePath().getParent();
        this.base = parent == null ? Path.of(".") : parent;
    }

    /**
     * Loads the endpoint {@code file} describes.
     *
     * @throws ConfigurationException if the file cannot be read, is not a usable kubeconfig, or asks for an
     *                                insecure or unsupported transport; the message names file, entry and field
     */
    static Endpoint load(Path file) {
        return new Kubeconfig(file).endpoint();
    }

    private Endpoint endpoint() {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConfigurationException(source, null, null, "cannot read the webhook kubeconfig: " + describe(e), e);
        }
        Object doc = BoundedYaml.load(text, source);
        if (!(doc instanceof Map<?, ?> root)) {
            throw new ConfigurationException(source, "invalid configuration: no configuration has been provided");
        }
        String contextName = string(root, "current-context", null, "current-context");
        if (contextName.isEmpty()) {
            throw new ConfigurationException(source, null, "current-context",
                    "is required: it names the context whose cluster and user the webhook uses", null);
        }
        Map<?, ?> context = named(root, "contexts", "context", contextName, "context was not found for specified context: " + contextName);
        String contextEntry = "contexts[" + GoText.quote(contextName) + "]";
        String clusterName = string(context, "cluster", contextEntry, "context.cluster");
        String userName = string(context, "user", contextEntry, "context.user");
        Map<?, ?> cluster = named(root, "clusters", "cluster", clusterName, "cluster " + GoText.quote(clusterName)
                + " named by context " + GoText.quote(contextName) + " was not found");
        Map<?, ?> user = userName.isEmpty() ? Map.of()
                : named(root, "users", "user", userName, "user " + GoText.quote(userName)
                + " named by context " + GoText.quote(contextName) + " was not found");
        String clusterEntry = "clusters[" + GoText.quote(clusterName) + "]";
        String userEntry = "users[" + GoText.quote(userName) + "]";

        URI server = server(cluster, clusterEntry);
        if (Boolean.TRUE.equals(cluster.get("insecure-skip-tls-verify"))) {
            throw new ConfigurationException(source, clusterEntry, "cluster.insecure-skip-tls-verify",
                    "an unverified server is not supported: the review carries users' bearer tokens; set certificate-authority instead", null);
        }
        if (cluster.containsKey("insecure-skip-tls-verify") && !(cluster.get("insecure-skip-tls-verify") instanceof Boolean)) {
            throw new ConfigurationException(source, clusterEntry, "cluster.insecure-skip-tls-verify", "must be true or false", null);
        }
        for (Object field : cluster.keySet()) {
            if (UNSUPPORTED_CLUSTER_FIELDS.contains(field)) {
                throw new ConfigurationException(source, clusterEntry, "cluster." + field,
                        "is not supported by the webhook client", null);
            }
        }
        byte[] ca = fileOrData(cluster, "certificate-authority", clusterEntry, "cluster.");
        for (Object key : user.keySet()) {
            if (UNSUPPORTED_USER_FIELDS.contains(key)) {
                throw new ConfigurationException(source, userEntry, "user." + key,
                        "is not supported by the webhook client; use a client certificate or a token", null);
            }
        }
        byte[] cert = fileOrData(user, "client-certificate", userEntry, "user.");
        byte[] key = fileOrData(user, "client-key", userEntry, "user.");
        if (cert != null && key == null) {
            throw new ConfigurationException(source, userEntry, "user.client-key",
                    "client-key-data or client-key must be specified for " + userName
                            + " to use the clientCert authentication method.", null);
        }
        if (key != null && cert == null) {
            throw new ConfigurationException(source, userEntry, "user.client-certificate",
                    "is required with client-key: a key alone cannot authenticate", null);
        }
        return new Endpoint(server, tls(ca, cert, key, clusterEntry, userEntry), token(user, userEntry));
    }

    private URI server(Map<?, ?> cluster, String entry) {
        String raw = string(cluster, "server", entry, "cluster.server");
        if (raw.isEmpty()) {
            throw new ConfigurationException(source, entry, "cluster.server", "no server found for cluster", null);
        }
        URI uri;
        try {
            uri = new URI(raw);
        } catch (URISyntaxException e) {
            throw new ConfigurationException(source, entry, "cluster.server", "is not a valid URL: " + e.getReason(), null);
        }
        if (uri.getScheme() == null || uri.getHost() == null) {
            throw new ConfigurationException(source, entry, "cluster.server",
                    "must be an absolute https:// URL naming a host, found " + GoText.quote(raw), null);
        }
        if (!uri.getScheme().equalsIgnoreCase("https")) {
            throw new ConfigurationException(source, entry, "cluster.server",
                    "must use https: the review carries users' bearer tokens, found " + GoText.quote(raw), null);
        }
        if (uri.getRawUserInfo() != null) {
            throw new ConfigurationException(source, entry, "cluster.server", "must not carry user information", null);
        }
        return uri;
    }

    private SSLContext tls(byte[] ca, byte[] cert, byte[] key, String clusterEntry, String userEntry) {
        try {
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            if (ca == null) {
                tmf.init((KeyStore) null);
            } else {
                List<X509Certificate> anchors = certificates(ca, clusterEntry, "cluster.certificate-authority");
                KeyStore trust = KeyStore.getInstance("PKCS12");
                trust.load(null, null);
                for (int i = 0; i < anchors.size(); i++) {
                    trust.setCertificateEntry("ca-" + i, anchors.get(i));
                }
                tmf.init(trust);
            }
            KeyManagerFactory kmf = null;
            if (cert != null) {
                List<X509Certificate> chain = certificates(cert, userEntry, "user.client-certificate");
                PrivateKey privateKey;
                try {
                    privateKey = ClientKeyDecoder.decode(new String(key, StandardCharsets.UTF_8));
                } catch (IllegalArgumentException e) {
                    throw new ConfigurationException(source, userEntry, "user.client-key", e.getMessage(), null);
                }
                KeyStore keys = KeyStore.getInstance("PKCS12");
                keys.load(null, null);
                char[] password = new char[0];
                try {
                    keys.setKeyEntry("client", privateKey, password, chain.toArray(new Certificate[0]));
                } catch (java.security.KeyStoreException e) {
                    throw new ConfigurationException(source, userEntry, "user.client-key",
                            "does not match the client certificate's key type", null);
                }
                kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(keys, password);
            }
            SSLContext tls = SSLContext.getInstance("TLS");
            tls.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
            return tls;
        } catch (GeneralSecurityException | IOException e) {
            throw new ConfigurationException(source, null, null, "cannot set up TLS: " + describe(e), e);
        }
    }

    private List<X509Certificate> certificates(byte[] pem, String entry, String field) {
        List<X509Certificate> certs = new ArrayList<>();
        try {
            CertificateFactory cf = CertificateFactory.getInstance("X.509");
            for (Pem.Block b : Pem.parse(new String(pem, StandardCharsets.UTF_8))) {
                if (b.label().equals("CERTIFICATE")) {
                    certs.add((X509Certificate) cf.generateCertificate(new ByteArrayInputStream(b.der())));
                }
            }
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(source, entry, field, e.getMessage(), null);
        } catch (GeneralSecurityException e) {
            throw new ConfigurationException(source, entry, field, "holds a CERTIFICATE block that is not a valid X.509 certificate", null);
        }
        if (certs.isEmpty()) {
            throw new ConfigurationException(source, entry, field, "holds no PEM CERTIFICATE block", null);
        }
        return certs;
    }

    /** client-go's token: {@code token} wins; else {@code tokenFile} is read, trimmed. Null when neither is set. */
    private String token(Map<?, ?> user, String entry) {
        String token = string(user, "token", entry, "user.token");
        if (!token.isEmpty()) {
            return headerSafe(token, entry, "user.token");
        }
        String tokenFile = string(user, "tokenFile", entry, "user.tokenFile");
        if (tokenFile.isEmpty()) {
            return null;
        }
        try {
            String read = Files.readString(base.resolve(tokenFile), StandardCharsets.UTF_8).strip();
            if (read.isEmpty()) {
                throw new ConfigurationException(source, entry, "user.tokenFile", "the token file is empty: " + tokenFile, null);
            }
            return headerSafe(read, entry, "user.tokenFile");
        } catch (IOException e) {
            throw new ConfigurationException(source, entry, "user.tokenFile", "cannot read " + tokenFile + ": " + describe(e), e);
        }
    }

    /** A token goes into an HTTP header: one line of visible ASCII. */
    private String headerSafe(String token, String entry, String field) {
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            if (c <= 0x20 || c >= 0x7f) {
                throw new ConfigurationException(source, entry, field,
                        "the token holds a space, control or non-ASCII character at index " + i, null);
            }
        }
        return token;
    }

    /** The bytes of {@code <name>} (a path) or {@code <name>-data} (base64); client-go refuses both at once. */
    private byte[] fileOrData(Map<?, ?> section, String name, String entry, String prefix) {
        String path = string(section, name, entry, prefix + name);
        String data = string(section, name + "-data", entry, prefix + name + "-data");
        if (!path.isEmpty() && !data.isEmpty()) {
            throw new ConfigurationException(source, entry, prefix + name + "-data",
                    name + "-data and " + name + " are both specified; set one", null);
        }
        if (!data.isEmpty()) {
            try {
                return Base64.getMimeDecoder().decode(data);
            } catch (IllegalArgumentException e) {
                throw new ConfigurationException(source, entry, prefix + name + "-data", "is not valid base64", null);
            }
        }
        if (path.isEmpty()) {
            return null;
        }
        try {
            return Files.readAllBytes(base.resolve(path));
        } catch (IOException e) {
            throw new ConfigurationException(source, entry, prefix + name, "unable to read " + name + " " + path
                    + ": " + describe(e), e);
        }
    }

    /** The entry of list {@code list} whose {@code name} is {@code name}: its {@code field} map. */
    private Map<?, ?> named(Map<?, ?> root, String list, String field, String name, String missing) {
        Object entries = root.get(list);
        if (entries != null && !(entries instanceof List)) {
            throw new ConfigurationException(source, null, list, "must be a list of named entries", null);
        }
        List<?> all = entries == null ? List.of() : (List<?>) entries;
        for (int i = 0; i < all.size(); i++) {
            if (!(all.get(i) instanceof Map<?, ?> e)) {
                throw new ConfigurationException(source, list + "[" + i + "]", null, "must be a map with name and " + field, null);
            }
            if (name.equals(e.get("name"))) {
                Object body = e.get(field);
                if (body == null) {
                    return Map.of();
                }
                if (!(body instanceof Map<?, ?> m)) {
                    throw new ConfigurationException(source, list + "[" + GoText.quote(name) + "]", field, "must be a map", null);
                }
                return m;
            }
        }
        throw new ConfigurationException(source, null, list, missing, null);
    }

    private String string(Map<?, ?> map, String key, String entry, String field) {
        Object v = map.get(key);
        if (v == null) {
            return "";
        }
        if (!(v instanceof String s)) {
            throw new ConfigurationException(source, entry, field, "must be a string", null);
        }
        return s;
    }

    private static String describe(Exception e) {
        String m = e.getMessage();
        return e.getClass().getSimpleName() + (m == null ? "" : " " + m);
    }
}
