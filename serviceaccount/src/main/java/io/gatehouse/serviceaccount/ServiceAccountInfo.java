package io.gatehouse.serviceaccount;

import io.gatehouse.core.KubernetesNames;
import io.gatehouse.core.UserInfo;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Who a verified token speaks for (Kubernetes' {@code ServiceAccountInfo}) and how that maps to a user.
 * Empty strings stand for absent values, as in Kubernetes.
 */
record ServiceAccountInfo(String namespace, String name, String uid, String podName, String podUid,
                          String nodeName, String nodeUid, String credentialId) {

    static final String USERNAME_PREFIX = "system:serviceaccount:";
    static final String ALL_SERVICE_ACCOUNTS_GROUP = "system:serviceaccounts";
    static final String POD_NAME_KEY = "authentication.kubernetes.io/pod-name";
    static final String POD_UID_KEY = "authentication.kubernetes.io/pod-uid";
    static final String NODE_NAME_KEY = "authentication.kubernetes.io/node-name";
    static final String NODE_UID_KEY = "authentication.kubernetes.io/node-uid";

    /** Kubernetes' {@code ServiceAccountInfo.UserInfo()}. */
    UserInfo toUserInfo() {
        Map<String, List<String>> extra = new LinkedHashMap<>();
        if (!podName.isEmpty() && !podUid.isEmpty()) {
            extra.put(POD_NAME_KEY, List.of(podName));
            extra.put(POD_UID_KEY, List.of(podUid));
        }
        if (!credentialId.isEmpty()) {
            extra.put(KubernetesNames.CREDENTIAL_ID_KEY, List.of(credentialId));
        }
        if (!nodeName.isEmpty()) {
            extra.put(NODE_NAME_KEY, List.of(nodeName));
            // The node UID is optional and only meaningful with a node name.
            if (!nodeUid.isEmpty()) {
                extra.put(NODE_UID_KEY, List.of(nodeUid));
            }
        }
        return new UserInfo(USERNAME_PREFIX + namespace + ":" + name, uid,
                List.of(ALL_SERVICE_ACCOUNTS_GROUP, ALL_SERVICE_ACCOUNTS_GROUP + ":" + namespace), extra);
    }
}
