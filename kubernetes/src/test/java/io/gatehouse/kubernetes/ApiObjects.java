package io.gatehouse.kubernetes;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.RSASSASigner;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.gatehouse.bootstrap.BootstrapTokenSecret;
import io.gatehouse.serviceaccount.ServiceAccountTokenAuthenticator;
import io.gatehouse.serviceaccount.ServiceAccountTokenIssuer;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.interfaces.RSAPrivateKey;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** API objects created through a client, and real tokens for them. */
final class ApiObjects {

    static final String ISSUER = "https://kubernetes.default.svc.cluster.local";
    static final KeyPair KEYS = rsa();
    static final ServiceAccountTokenIssuer TOKENS = ServiceAccountTokenIssuer.builder().signingKey(KEYS).issuer(ISSUER)
            .build();

    private ApiObjects() {
    }

    /** A service account authenticator trusting {@link #KEYS}, on {@code api}'s lookups. */
    static ServiceAccountTokenAuthenticator serviceAccounts(KubernetesApi api, boolean legacyLookup) {
        return ServiceAccountTokenAuthenticator.builder().keys(List.of(KEYS.getPublic())).issuers(List.of(ISSUER))
                .lookup(api.serviceAccountLookup()).legacyLookup(legacyLookup).build();
    }

    static ServiceAccount serviceAccount(KubernetesClient client, String ns, String name) {
        return client.serviceAccounts().inNamespace(ns).resource(new ServiceAccountBuilder().withNewMetadata()
                .withNamespace(ns).withName(name).endMetadata().build()).create();
    }

    static Pod pod(KubernetesClient client, String ns, String name) {
        return client.pods().inNamespace(ns).resource(new PodBuilder().withNewMetadata().withNamespace(ns)
                .withName(name).endMetadata().withNewSpec().withNodeName("node-1").endSpec().build()).create();
    }

    static void node(KubernetesClient client, String name) {
        client.nodes().resource(new NodeBuilder().withNewMetadata().withName(name).endMetadata().build()).create();
    }

    /** A Secret holding {@code data}, base64-encoded as the API stores it. */
    static Secret secret(KubernetesClient client, String ns, String name, String type, Map<String, String> data) {
        Map<String, String> encoded = new LinkedHashMap<>();
        data.forEach((k, v) -> encoded.put(k, Base64.getEncoder().encodeToString(v.getBytes(StandardCharsets.UTF_8))));
        return client.secrets().inNamespace(ns).resource(new SecretBuilder().withNewMetadata().withNamespace(ns)
                .withName(name).endMetadata().withType(type).withData(encoded).build()).create();
    }

    static Secret bootstrapSecret(KubernetesClient client, BootstrapTokenSecret secret) {
        return secret(client, secret.namespace(), secret.name(), secret.type(), secret.data());
    }

    /** A legacy token as Kubernetes' token controller signs it (flat private claims, issuer kubernetes/serviceaccount). */
    static String legacyToken(String ns, String sa, String saUid, String secretName) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("iss", "kubernetes/serviceaccount");
        c.put("kubernetes.io/serviceaccount/namespace", ns);
        c.put("kubernetes.io/serviceaccount/secret.name", secretName);
        c.put("kubernetes.io/serviceaccount/service-account.name", sa);
        c.put("kubernetes.io/serviceaccount/service-account.uid", saUid);
        c.put("sub", "system:serviceaccount:" + ns + ":" + sa);
        try {
            JWSObject jws = new JWSObject(new JWSHeader.Builder(JWSAlgorithm.RS256).build(), new Payload(c));
            jws.sign(new RSASSASigner((RSAPrivateKey) KEYS.getPrivate()));
            return jws.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private static KeyPair rsa() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(2048);
            return g.generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
