package io.gatehouse.x509;

import io.gatehouse.core.AuthenticationListener;
import io.gatehouse.core.AuthenticationRequest;
import io.gatehouse.core.AuthenticationResult;
import io.gatehouse.core.AuthenticationResult.Abstained;
import io.gatehouse.core.AuthenticationResult.Authenticated;
import io.gatehouse.core.Authenticator;
import io.gatehouse.core.ConsumedHeaders;
import io.gatehouse.core.HeaderConsumer;
import io.gatehouse.core.UserInfo;
import io.gatehouse.core.internal.ReloadingFile;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kubernetes' request-header ("front proxy", "authenticating proxy") authenticator
 * ({@code headerrequest} behind {@code x509.NewVerifier}): a proxy that has authenticated the user passes the
 * identity in headers ({@code X-Remote-User}, {@code X-Remote-Uid}, {@code X-Remote-Group},
 * {@code X-Remote-Extra-<key>}), and those headers count only when the request's TLS client certificate verifies
 * against the request-header CA bundle (separate from {@code --client-ca-file}) and, when an allowed-names list is
 * set, its common name is in it (exact, case-sensitive).
 *
 * <p><b>Verdicts.</b> No client certificate, or no CA loaded yet: abstain, the headers ignored. A certificate that
 * does not verify or whose name is not allowed: rejected with Kubernetes' bare error ({@code x509: certificate
 * signed by unknown authority}, {@code x509: subject with cn=<cn> is not in the allowed list}); the chain then asks
 * its other members, so a user's own client certificate still authenticates through the x509 authenticator. A
 * trusted proxy that names no user: abstain. Otherwise the user the headers name, read with Kubernetes' rules (see
 * the package's {@code IdentityHeaders}); values with control characters, more than a megabyte of identity, and extra
 * keys that decode to upper case are rejected. {@link #authenticate} never throws.
 *
 * <p><b>Headers.</b> As a {@link HeaderConsumer} it tells the chain which headers to strip once a request is
 * authenticated, so that an application or upstream behind never sees them.
 *
 * <p><b>Defaults.</b> The builder's header defaults are those of a delegating (aggregated) API server:
 * {@code x-remote-user}, {@code x-remote-group}, {@code x-remote-extra-}, and no UID header (Kubernetes does not
 * default it yet). kube-apiserver's flags have no defaults; a gateway that mirrors them sets the lists it was given.
 * The certificate verification is the {@link X509Authenticator}'s, with its reloading CA bundle and its cache of
 * verified chains; a bundle that changes empties the cache.
 *
 * <p>Thread-safe. {@link #close()} stops watching the files.
 */
public final class RequestHeaderAuthenticator implements Authenticator, HeaderConsumer, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RequestHeaderAuthenticator.class);
    private static final Authenticated VERIFIED = Authenticated.of(UserInfo.of("front-proxy", ""));

    /** Kubernetes' standard names, which API aggregation needs. */
    static final String STANDARD_USER = "X-Remote-User";
    static final String STANDARD_UID = "X-Remote-Uid";
    static final String STANDARD_GROUP = "X-Remote-Group";
    static final String STANDARD_EXTRA = "X-Remote-Extra-";

    /** The verifier and the header lists in force; identity tells versions apart. */
    private record Active(Object source, X509Authenticator verifier, IdentityHeaders headers) {
    }

    private final X509Authenticator.Builder verifierTemplate;
    private final ReloadingFile<AuthenticationConfigMap.Content> configMap;
    private volatile Active active;

    private RequestHeaderAuthenticator(Active fixed, ReloadingFile<AuthenticationConfigMap.Content> configMap,
                                       X509Authenticator.Builder verifierTemplate) {
        this.active = fixed;
        this.configMap = configMap;
        this.verifierTemplate = verifierTemplate;
    }

    /**
     * A new builder.
     *
     * @return a builder with a delegating API server's header defaults and no CA yet
     */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public AuthenticationResult authenticate(AuthenticationRequest request) {
        Active a = current();
        if (request.peerCertificates().isEmpty() || a.verifier() == null) {
            if (LOG.isDebugEnabled() && a.headers().present(request)) {
                LOG.debug("request-header: identity headers ignored: {}", request.peerCertificates().isEmpty()
                        ? "the request has no client certificate" : "no request-header CA is loaded");
            }
            return Abstained.instance();
        }
        AuthenticationResult verified = a.verifier().authenticate(request);
        if (!(verified instanceof Authenticated)) {
            return verified;
        }
        try {
            return a.headers().read(request);
        } catch (RuntimeException e) {
            return AuthenticationResult.Rejected.of(io.gatehouse.core.RejectionReason.INTERNAL_ERROR,
                    "request-header: reading the identity headers failed: " + e.getClass().getSimpleName());
        }
    }

    @Override
    public ConsumedHeaders consumedHeaders() {
        return current().headers().consumed();
    }

    /**
     * The username headers in force (for diagnostics).
     *
     * @return the header names, in the order they are tried
     */
    public List<String> usernameHeaders() {
        return current().headers().usernames();
    }

    /**
     * The front proxy's CA certificates in force; empty when none is loaded.
     *
     * @return the CA certificates, unmodifiable
     */
    public List<X509Certificate> trustAnchors() {
        X509Authenticator v = current().verifier();
        return v == null ? List.of() : v.trustAnchors();
    }

    @Override
    public void close() {
        if (configMap != null) {
            configMap.close();
        }
        X509Authenticator v = active.verifier();
        if (v != null) {
            v.close();
        }
    }

    /** Checks the watched files now (tests); true if anything new is in force. */
    boolean reloadIfChanged() {
        if (configMap != null) {
            return configMap.reloadIfChanged();
        }
        X509Authenticator v = active.verifier();
        return v != null && v.reloadIfChanged();
    }

    /** How many verified front-proxy chains are cached now (tests). */
    long cachedChains() {
        X509Authenticator v = current().verifier();
        return v == null ? 0 : v.cachedChains();
    }

    private Active current() {
        Active a = active;
        if (configMap == null) {
            return a;
        }
        AuthenticationConfigMap.Content c = configMap.current();
        if (a.source() == c) {
            return a;
        }
        synchronized (this) {
            a = active;
            if (a.source() != c) {
                a = fromConfigMap(c, a.verifier(), verifierTemplate);
                active = a;
            }
            return a;
        }
    }

    /**
     * The state a ConfigMap version gives. A version without a CA keeps the verifier in force (Kubernetes keeps the
     * last good CA bundle and reports {@code missing content for CA bundle}).
     */
    private static Active fromConfigMap(AuthenticationConfigMap.Content c, X509Authenticator previous,
                                        X509Authenticator.Builder template) {
        X509Authenticator verifier = previous;
        if (!c.caBundle().isEmpty()) {
            verifier = template.trustAnchors(c.caBundle()).allowedCommonNames(c.allowedNames()).build();
        } else if (previous != null) {
            LOG.warn("request-header: missing content for CA bundle \"{}\"; the previous bundle stays in force",
                    AuthenticationConfigMap.CA);
        }
        return new Active(c, verifier, c.headers());
    }

    /** Builds {@link RequestHeaderAuthenticator}s. Not thread-safe. */
    public static final class Builder {
        private Path clientCaFile;
        private List<X509Certificate> trustAnchors;
        private Path configMapFile;
        private List<String> allowedNames = List.of();
        private List<String> usernameHeaders = List.of("x-remote-user");
        private List<String> uidHeaders = List.of();
        private List<String> groupHeaders = List.of("x-remote-group");
        private List<String> extraPrefixes = List.of("x-remote-extra-");
        private boolean headersSet;
        private Clock clock = Clock.systemUTC();
        private long cacheMaximumSize = X509Authenticator.DEFAULT_CACHE_MAXIMUM_SIZE;
        private Duration cacheTtl = X509Authenticator.DEFAULT_CACHE_TTL;
        private AuthenticationListener listener = AuthenticationListener.logging();
        private Duration reloadInterval = X509Authenticator.DEFAULT_RELOAD_INTERVAL;
        /** The proxy's certificate check, which validates the shared settings as they are set. */
        private final X509Authenticator.Builder settings = verifier();

        private Builder() {
        }

        /**
         * The front proxy's CA bundle (PEM), watched for changes: Kubernetes' {@code --requestheader-client-ca-file}.
         *
         * @param file the PEM bundle, read at build and watched
         * @return this builder
         */
        public Builder clientCaFile(Path file) {
            this.clientCaFile = Objects.requireNonNull(file, "file");
            return this;
        }

        /**
         * Fixed front-proxy CAs instead of a file.
         *
         * @param anchors the CA certificates; not null, none null
         * @return this builder
         */
        public Builder trustAnchors(List<X509Certificate> anchors) {
            this.trustAnchors = List.copyOf(anchors);
            return this;
        }

        /**
         * Everything from Kubernetes' {@code extension-apiserver-authentication} ConfigMap written as a YAML file
         * (watched for changes; a bad version keeps the last good one): the CA bundle, the header lists and the
         * allowed names. Excludes the other sources and the list setters.
         *
         * @param file the ConfigMap as YAML, read at build and watched
         * @return this builder
         */
        public Builder configMapFile(Path file) {
            this.configMapFile = Objects.requireNonNull(file, "file");
            return this;
        }

        /**
         * Common names the proxy's certificate may have ({@code --requestheader-allowed-names}); empty: any.
         *
         * @param names the allowed common names; empty allows any name the CA signed
         * @return this builder
         */
        public Builder allowedNames(Collection<String> names) {
            this.allowedNames = checked(names, "requestheader-allowed-names");
            return this;
        }

        /**
         * Headers naming the user, first non-empty wins ({@code --requestheader-username-headers}).
         *
         * @param names header names, matched in any case
         * @return this builder
         */
        public Builder usernameHeaders(Collection<String> names) {
            this.usernameHeaders = checked(names, "requestheader-username-headers");
            headersSet = true;
            return this;
        }

        /**
         * Headers naming the user's uid ({@code --requestheader-uid-headers}); must include {@code X-Remote-Uid} if any.
         *
         * @param names header names, matched in any case
         * @return this builder
         */
        public Builder uidHeaders(Collection<String> names) {
            this.uidHeaders = checked(names, "requestheader-uid-headers");
            headersSet = true;
            return this;
        }

        /**
         * Headers naming groups, all values of all of them ({@code --requestheader-group-headers}).
         *
         * @param names header names, matched in any case
         * @return this builder
         */
        public Builder groupHeaders(Collection<String> names) {
            this.groupHeaders = checked(names, "requestheader-group-headers");
            headersSet = true;
            return this;
        }

        /**
         * Header-name prefixes carrying extra attributes ({@code --requestheader-extra-headers-prefix}).
         *
         * @param prefixes header-name prefixes, matched in any case
         * @return this builder
         */
        public Builder extraHeaderPrefixes(Collection<String> prefixes) {
            this.extraPrefixes = checked(prefixes, "requestheader-extra-headers-prefix");
            headersSet = true;
            return this;
        }

        /**
         * The clock for certificate validity; default the system clock.
         *
         * @param c the clock; not null
         * @return this builder
         */
        public Builder clock(Clock c) {
            settings.clock(c);
            this.clock = c;
            return this;
        }

        /**
         * Receives reload events; default {@link AuthenticationListener#logging()}.
         *
         * @param l the listener; not null
         * @return this builder
         */
        public Builder listener(AuthenticationListener l) {
            settings.listener(l);
            this.listener = l;
            return this;
        }

        /**
         * How often the files are checked for changes; zero: never (default one minute).
         *
         * @param interval zero or positive
         * @return this builder
         */
        public Builder reloadInterval(Duration interval) {
            settings.reloadInterval(interval);
            this.reloadInterval = interval;
            return this;
        }

        /**
         * The most verified proxy chains cached; zero disables the cache (default 10000).
         *
         * @param size zero or positive
         * @return this builder
         */
        public Builder cacheMaximumSize(long size) {
            settings.cacheMaximumSize(size);
            this.cacheMaximumSize = size;
            return this;
        }

        /**
         * The longest a verified proxy chain is cached; zero disables the cache (default 5 minutes, at most 24h).
         *
         * @param ttl zero or positive, at most 24 hours
         * @return this builder
         */
        public Builder cacheTtl(Duration ttl) {
            settings.cacheTtl(ttl);
            this.cacheTtl = ttl;
            return this;
        }

        /**
         * Builds the authenticator, loading the files now.
         *
         * @return the authenticator; with a file, it watches the file until closed
         * @throws io.gatehouse.core.ConfigurationException if a file cannot be read or is not valid
         * @throws IllegalStateException                    if not exactly one of a CA file, anchors and a ConfigMap
         *                                                  file is set, if list setters meet a ConfigMap file, or if
         *                                                  UID headers leave out {@code X-Remote-Uid}
         */
        public RequestHeaderAuthenticator build() {
            int sources = (clientCaFile != null ? 1 : 0) + (trustAnchors != null ? 1 : 0) + (configMapFile != null ? 1 : 0);
            if (sources != 1) {
                throw new IllegalStateException("set exactly one of clientCaFile, trustAnchors and configMapFile");
            }
            X509Authenticator.Builder verifier = verifier().clock(clock).listener(listener)
                    .cacheMaximumSize(cacheMaximumSize).cacheTtl(cacheTtl);
            if (configMapFile != null) {
                if (headersSet || !allowedNames.isEmpty()) {
                    throw new IllegalStateException("the ConfigMap file sets the header lists and allowed names; "
                            + "do not set them on the builder as well");
                }
                verifier.reloadInterval(Duration.ZERO);
                ReloadingFile<AuthenticationConfigMap.Content> file = ReloadingFile.load(configMapFile,
                        AuthenticationConfigMap::parse, AuthenticationConfigMap.Content::summary, listener, reloadInterval);
                try {
                    Active first = fromConfigMap(file.current(), null, verifier);
                    if (first.verifier() == null) {
                        LOG.warn("request-header: {} has no {}; no request is trusted until it has one", configMapFile,
                                AuthenticationConfigMap.CA);
                    }
                    return new RequestHeaderAuthenticator(first, file, verifier);
                } catch (RuntimeException e) {
                    file.close();
                    throw e;
                }
            }
            if (!uidHeaders.isEmpty() && !containsIgnoringCase(uidHeaders, STANDARD_UID)) {
                throw new IllegalStateException("--requestheader-uid-headers is set without specifying the standard "
                        + STANDARD_UID + " header - API aggregation will not work");
            }
            warnWithoutStandard(usernameHeaders, STANDARD_USER, "--requestheader-username-headers");
            warnWithoutStandard(groupHeaders, STANDARD_GROUP, "--requestheader-group-headers");
            warnWithoutStandard(extraPrefixes, STANDARD_EXTRA, "--requestheader-extra-headers-prefix");
            if (usernameHeaders.isEmpty()) {
                LOG.warn("request-header: no username headers are set, so no request is ever authenticated by it");
            }
            verifier.allowedCommonNames(allowedNames).reloadInterval(reloadInterval);
            if (clientCaFile != null) {
                verifier.clientCaFile(clientCaFile);
            } else {
                verifier.trustAnchors(trustAnchors);
            }
            IdentityHeaders headers = new IdentityHeaders(usernameHeaders, uidHeaders, groupHeaders, extraPrefixes);
            return new RequestHeaderAuthenticator(new Active(null, verifier.build(), headers), null, null);
        }

        /** The proxy's certificate check: Kubernetes' bare verifier errors; any verified chain is the proxy. */
        private static X509Authenticator.Builder verifier() {
            return X509Authenticator.builder().bareErrors().userConversion(chain -> VERIFIED);
        }

        private static void warnWithoutStandard(List<String> names, String standard, String flag) {
            if (!names.isEmpty() && !containsIgnoringCase(names, standard)) {
                LOG.warn("{} is set without specifying the standard {} header - API aggregation will not work", flag,
                        standard);
            }
        }

        private static boolean containsIgnoringCase(List<String> names, String wanted) {
            for (String n : names) {
                if (n.equalsIgnoreCase(wanted)) {
                    return true;
                }
            }
            return false;
        }

        private static List<String> checked(Collection<String> names, String flag) {
            List<String> out = new ArrayList<>(names.size());
            for (String n : names) {
                if (n == null || n.isBlank()) {
                    throw new IllegalArgumentException("empty value in \"" + flag + "\"");
                }
                out.add(n);
            }
            return List.copyOf(out);
        }
    }

    @Override
    public String toString() {
        Active a = active;
        return "RequestHeaderAuthenticator{usernameHeaders=" + a.headers().usernames() + ", anchors="
                + (a.verifier() == null ? 0 : a.verifier().trustAnchors().size()) + "}";
    }
}
