package io.gatehouse.kubernetes;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.gatehouse.bootstrap.BootstrapTokenSecret;
import io.gatehouse.serviceaccount.NodeRecord;
import io.gatehouse.serviceaccount.PodRecord;
import io.gatehouse.serviceaccount.SecretRecord;
import io.gatehouse.serviceaccount.ServiceAccountRecord;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Converts API objects into the records the authenticators read, keeping only what they check. */
final class ObjectRecords {

    private ObjectRecords() {
    }

    static ServiceAccountRecord serviceAccount(ServiceAccount sa) {
        ObjectMeta m = sa.getMetadata();
        List<String> secrets = new ArrayList<>();
        if (sa.getSecrets() != null) {
            for (ObjectReference ref : sa.getSecrets()) {
                if (ref != null && ref.getName() != null) {
                    secrets.add(ref.getName());
                }
            }
        }
        return new ServiceAccountRecord(m.getNamespace(), m.getName(), nonNull(m.getUid()),
                deletionTimestamp(m), secrets);
    }

    static SecretRecord secret(Secret secret) {
        ObjectMeta m = secret.getMetadata();
        byte[] token = new byte[0];
        Map<String, String> data = secret.getData();
        if (data != null && data.get("token") != null) {
            token = decode(data.get("token"));
        }
        Map<String, String> labels = m.getLabels() == null ? Map.of() : m.getLabels();
        return new SecretRecord(m.getNamespace(), m.getName(), nonNull(m.getUid()), deletionTimestamp(m), labels, token);
    }

    static PodRecord pod(Pod pod) {
        ObjectMeta m = pod.getMetadata();
        return new PodRecord(m.getNamespace(), m.getName(), nonNull(m.getUid()), deletionTimestamp(m));
    }

    static NodeRecord node(Node node) {
        ObjectMeta m = node.getMetadata();
        return new NodeRecord(m.getName(), nonNull(m.getUid()), deletionTimestamp(m));
    }

    /**
     * A Secret as the bootstrap authenticator sees it: its data decoded, and {@code deleted} when it carries a
     * deletion timestamp. Data values that are not base64 are kept as an empty string, which fails the checks.
     */
    static BootstrapTokenSecret bootstrapSecret(Secret secret) {
        ObjectMeta m = secret.getMetadata();
        Map<String, String> data = null;
        if (secret.getData() != null) {
            data = new TreeMap<>();
            for (Map.Entry<String, String> e : secret.getData().entrySet()) {
                if (e.getKey() != null) {
                    data.put(e.getKey(), e.getValue() == null ? "" : new String(decode(e.getValue()), StandardCharsets.UTF_8));
                }
            }
        }
        return new BootstrapTokenSecret(nonNull(m.getNamespace()), m.getName(), nonNull(secret.getType()), data,
                m.getDeletionTimestamp() != null);
    }

    private static byte[] decode(String base64) {
        try {
            return Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            return new byte[0];
        }
    }

    /**
     * The deletion timestamp; one that does not parse (the API server never sends such) counts as the epoch, so
     * the object reads as deleted long ago and its tokens fail closed.
     */
    private static Instant deletionTimestamp(ObjectMeta m) {
        String ts = m.getDeletionTimestamp();
        if (ts == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(ts).toInstant();
        } catch (DateTimeParseException e) {
            return Instant.EPOCH;
        }
    }

    private static String nonNull(String s) {
        return s == null ? "" : s;
    }
}
