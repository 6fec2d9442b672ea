package io.gatehouse.serviceaccount;

import io.gatehouse.core.AuthenticationListener;
import io.gatehouse.core.RejectionReason;
import io.gatehouse.core.internal.GoText;
import io.gatehouse.jwt.JwtClaims;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * Kubernetes' bound token validator ({@code pkg/serviceaccount/claims.go}): the {@code kubernetes.io}
 * private claim, object checks through the lookup, and the {@code warnafter} stale-token report. Time claims
 * were already checked by the JWT engine with the 60 s leeway.
 */
final class BoundTokenValidator {

    static final String PRIVATE_CLAIM = "kubernetes.io";

    /** Kubernetes counts an object as deleted once its deletion began more than the leeway ago. */
    static final Duration DELETION_LEEWAY = Duration.ofMinutes(1);

    private static final String INVALIDATED = "service account token has been invalidated";
    private static final String MALFORMED = "service account token claims could not be validated due to unexpected private claim";

    private final ServiceAccountLookup lookup;
    private final boolean lookupEnabled;
    private final AuthenticationListener events;

    BoundTokenValidator(ServiceAccountLookup lookup, AuthenticationListener events) {
        this.lookup = lookup;
        this.lookupEnabled = !(lookup instanceof ServiceAccountLookup.NoLookup);
        this.events = events;
    }

    ServiceAccountInfo validate(JwtClaims claims, Instant now) throws Refusal {
        if (!(claims.get(PRIVATE_CLAIM) instanceof Map<?, ?> k8s)) {
            throw new Refusal(RejectionReason.INVALID_CLAIMS, MALFORMED);
        }
        String namespace = string(k8s, "namespace");
        Map<?, ?> saRef = ref(k8s, "serviceaccount");
        Map<?, ?> podRef = ref(k8s, "pod");
        Map<?, ?> secretRef = ref(k8s, "secret");
        Map<?, ?> nodeRef = ref(k8s, "node");
        Instant warnAfter = numericDate(k8s.get("warnafter"));
        if (saRef == null || namespace.isEmpty() || string(saRef, "name").isEmpty()) {
            throw new Refusal(RejectionReason.INVALID_CLAIMS, MALFORMED);
        }
        String saName = string(saRef, "name");
        String saUid = string(saRef, "uid");
        String podName = "";
        String podUid = "";
        String nodeName = "";
        String nodeUid = "";

        Instant deletedBefore = now.minus(DELETION_LEEWAY);
        if (lookupEnabled) {
            ServiceAccountRecord sa = lookup.serviceAccount(namespace, saName).orElseThrow(() ->
                    new Refusal(RejectionReason.NOT_FOUND, "serviceaccounts " + GoText.quote(saName) + " not found"));
            if (!sa.uid().equals(saUid)) {
                throw new Refusal(RejectionReason.NOT_FOUND,
                        "service account UID (" + sa.uid() + ") does not match claim (" + saUid + ")");
            }
            if (deleted(sa.deletionTimestamp(), deletedBefore)) {
                throw new Refusal(RejectionReason.NOT_FOUND, "service account " + namespace + "/" + saName + " has been deleted");
            }
        }
        if (secretRef != null && lookupEnabled) {
            String name = string(secretRef, "name");
            String uid = string(secretRef, "uid");
            SecretRecord secret = lookup.secret(namespace, name).orElse(null);
            if (secret == null || deleted(secret.deletionTimestamp(), deletedBefore)) {
                throw new Refusal(RejectionReason.NOT_FOUND, INVALIDATED);
            }
            if (!secret.uid().equals(uid)) {
                throw new Refusal(RejectionReason.NOT_FOUND,
                        "secret UID (" + secret.uid() + ") does not match service account secret ref claim (" + uid + ")");
            }
        }
        if (podRef != null) {
            String name = string(podRef, "name");
            String uid = string(podRef, "uid");
            if (lookupEnabled) {
                PodRecord pod = lookup.pod(namespace, name).orElse(null);
                if (pod == null || deleted(pod.deletionTimestamp(), deletedBefore)) {
                    throw new Refusal(RejectionReason.NOT_FOUND, INVALIDATED);
                }
                if (!pod.uid().equals(uid)) {
                    throw new Refusal(RejectionReason.NOT_FOUND,
                            "pod UID (" + pod.uid() + ") does not match service account pod ref claim (" + uid + ")");
                }
            }
            podName = name;
            podUid = uid;
            // A pod-bound token carries its pod's node, taken from the claims without a lookup.
            if (nodeRef != null) {
                nodeName = string(nodeRef, "name");
                nodeUid = string(nodeRef, "uid");
            }
        } else if (nodeRef != null) {
            String name = string(nodeRef, "name");
            String uid = string(nodeRef, "uid");
            if (lookupEnabled) {
                NodeRecord node = lookup.node(name).orElse(null);
                if (node == null || deleted(node.deletionTimestamp(), deletedBefore)) {
                    throw new Refusal(RejectionReason.NOT_FOUND, INVALIDATED);
                }
                if (!node.uid().equals(uid)) {
                    throw new Refusal(RejectionReason.NOT_FOUND,
                            "node UID (" + node.uid() + ") does not match service account node ref claim (" + uid + ")");
                }
            }
            nodeName = name;
            nodeUid = uid;
        }

        if (warnAfter != null && warnAfter.getEpochSecond() != 0 && now.isAfter(warnAfter)) {
            events.warning(ServiceAccountTokenAuthenticator.EVENT_SOURCE,
                    "authentication.k8s.io/stale-token: subject: " + ServiceAccountNames.username(namespace, saName)
                    + ", seconds after warning threshold: " + (now.getEpochSecond() - warnAfter.getEpochSecond()));
            events.serviceAccountToken(AuthenticationListener.ServiceAccountTokenKind.STALE);
        } else if (warnAfter != null && warnAfter.getEpochSecond() != 0) {
            events.serviceAccountToken(AuthenticationListener.ServiceAccountTokenKind.VALID);
        }
        String jti = claims.stringOrNull("jti");
        return new ServiceAccountInfo(namespace, saName, saUid, podName, podUid, nodeName, nodeUid,
                jti == null || jti.isEmpty() ? "" : "JTI=" + jti);
    }

    private static boolean deleted(Instant deletionTimestamp, Instant deletedBefore) {
        return deletionTimestamp != null && deletionTimestamp.isBefore(deletedBefore);
    }

    /** A string member; absent or JSON null reads as empty, as Go's zero value. */
    private static String string(Map<?, ?> object, String member) throws Refusal {
        Object v = object.get(member);
        if (v == null) {
            return "";
        }
        if (v instanceof String s) {
            return s;
        }
        throw new Refusal(RejectionReason.MALFORMED, MALFORMED);
    }

    private static Map<?, ?> ref(Map<?, ?> object, String member) throws Refusal {
        Object v = object.get(member);
        if (v == null) {
            return null;
        }
        if (v instanceof Map<?, ?> m) {
            return m;
        }
        throw new Refusal(RejectionReason.MALFORMED, MALFORMED);
    }

    private static Instant numericDate(Object v) throws Refusal {
        if (v == null) {
            return null;
        }
        if (v instanceof Long l && l >= 0 && l <= JwtClaims.MAX_NUMERIC_DATE) {
            return Instant.ofEpochSecond(l);
        }
        if (v instanceof Double d && d >= 0 && d <= JwtClaims.MAX_NUMERIC_DATE) {
            return Instant.ofEpochSecond((long) Math.floor(d));
        }
        throw new Refusal(RejectionReason.MALFORMED, MALFORMED);
    }
}
