package io.gatehouse.bootstrap;

/**
 * What a bootstrap token may be used for (Kubernetes' {@code KnownTokenUsages}); each usage is a data key
 * {@code usage-bootstrap-<usage>} set to {@code "true"}.
 */
public enum BootstrapTokenUsage {
    /** Sign the {@code cluster-info} ConfigMap ({@value BootstrapTokenSecret#USAGE_SIGNING}). */
    SIGNING(BootstrapTokenSecret.USAGE_SIGNING),
    /** Authenticate to the API server ({@value BootstrapTokenSecret#USAGE_AUTHENTICATION}). */
    AUTHENTICATION(BootstrapTokenSecret.USAGE_AUTHENTICATION);

    private final String dataKey;

    BootstrapTokenUsage(String dataKey) {
        this.dataKey = dataKey;
    }

    /**
     * The Secret data key that grants this usage.
     *
     * @return the key, e.g. {@code usage-bootstrap-authentication}, whose value {@code "true"} grants the usage
     */
    public String dataKey() {
        return dataKey;
    }
}
