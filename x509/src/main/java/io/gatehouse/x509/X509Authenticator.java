package io.gatehouse.x509;

import io.gatehouse.core.internal.SafeListener;
import io.gatehouse.core.AuthenticationListener;
import io.gatehouse.core.AuthenticationRequest;
import io.gatehouse.core.AuthenticationResult;
import io.gatehouse.core.AuthenticationResult.Abstained;
import io.gatehouse.core.AuthenticationResult.Authenticated;
import io.gatehouse.core.AuthenticationResult.Rejected;
import io.gatehouse.core.Authenticator;
import io.gatehouse.core.RejectionReason;
import java.nio.file.Path;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * Authenticates requests by their TLS client certificate, as Kubernetes' {@code --client-ca-file}
 * authenticator does, with certificate revocation added.
 *
 * <p><b>Flow.</b> No peer certificate: abstain. Otherwise the presented chain (the client's certificate
 * first, then intermediates in any order) is checked for size and shape, then verified against the trust
 * anchors with the JDK's PKIX validator (see {@link ChainVerifier}: Go's path building and error texts, the
 * clientAuth extended key usage through the chain, trust-anchor extensions processed), then checked against
 * the CRLs and OCSP, then against the allowed common names, and finally turned into a user by the
 * {@link UserConversion} (by default {@link CommonNameUserConversion}). Each step has its own class:
 * {@code PresentedChain} (clean-up), {@code ChainVerifier}, {@code CrlChecker}, {@code OcspChecker},
 * {@code AllowedCommonNames} (Kubernetes' front-proxy verifier, a decorator of the conversion),
 * {@code VerifiedChainCache} and {@code TrustState} (the anchors and CRLs in force and their reloads).
 *
 * <p><b>Verdicts.</b> A verification failure is a {@link Rejected} whose message reads as Kubernetes' log
 * line: {@code verifying certificate SN=1, SKID=AA:.., AKID=BB:.. failed: x509: certificate signed by
 * unknown authority}. Reasons: {@code EXPIRED} / {@code NOT_YET_VALID} (the client's certificate),
 * {@code UNTRUSTED_CERTIFICATE} (no valid path), {@code INVALID_CREDENTIAL} (wrong extended key usage, a
 * common name not allowed), {@code REVOKED}, {@code MALFORMED} (a chain that is too long, too large,
 * unparseable or holds duplicates), {@code INVALID_CLAIMS} (a bad UID), {@code INTERNAL_ERROR} (hard-fail
 * OCSP without an answer). An empty common name abstains. {@code authenticate} never throws.
 *
 * <p><b>Limits.</b> At most {@value #DEFAULT_MAX_CHAIN_LENGTH} presented certificates by default, each at
 * most {@value #MAX_CERTIFICATE_BYTES} bytes and together at most {@value #MAX_CHAIN_BYTES} bytes; duplicate
 * certificates are refused. Certificates of any implementation other than the JDK's own are re-parsed from
 * their encoding by the JDK, so a foreign {@link X509Certificate} cannot make the verifier see something else
 * than the bytes.
 *
 * <p><b>Cache.</b> Successful verdicts are cached (Caffeine), keyed by the SHA-256 of the presented chain;
 * an entry lives until the earliest notAfter of the verified chain, the earliest nextUpdate of the CRLs and
 * OCSP answers relied on, and the cache TTL, whichever comes first, and the whole cache is emptied when the
 * trust anchors or the CRLs change. A soft-failed OCSP check is never cached.
 *
 * <p>Thread-safe. {@link #close()} stops watching the files.
 */
public final class X509Authenticator implements Authenticator, AutoCloseable {

    /** Default most certificates a client may present. */
    public static final int DEFAULT_MAX_CHAIN_LENGTH = 10;
    /** The largest single presented certificate. */
    public static final int MAX_CERTIFICATE_BYTES = 64 * 1024;
    /** The largest presented chain, all certificates together. */
    public static final int MAX_CHAIN_BYTES = 256 * 1024;
    /** Default most cached verified chains. */
    public static final long DEFAULT_CACHE_MAXIMUM_SIZE = 10_000;
    /** Default longest time a verified chain is cached. */
    public static final Duration DEFAULT_CACHE_TTL = Duration.ofMinutes(5);
    /** Default interval between checks of the CA bundle and CRL files: Kubernetes' periodic re-check. */
    public static final Duration DEFAULT_RELOAD_INTERVAL = Duration.ofMinutes(1);

    private final TrustState trust;
    private final PresentedChain presentedChains;
    private final ChainVerifier verifier;
    private final CrlChecker crlChecker = new CrlChecker();
    private final OcspChecker ocsp;
    private final UserConversion conversion;
    private final Clock clock;
    private final Duration cacheTtl;
    private final VerifiedChainCache cache;
    private final boolean bareErrors;
    /** Where presented certificates' remaining lifetimes go; none for the front-proxy check, as Kubernetes. */
    private final AuthenticationListener lifetimes;

    private X509Authenticator(Builder b, TrustState trust) {
        this.trust = trust;
        this.bareErrors = b.bareErrors;
        this.lifetimes = b.bareErrors ? AuthenticationListener.NONE : SafeListener.wrap(b.listener);
        this.verifier = new ChainVerifier(b.requiredUsages,
                (b.maxIntermediates >= 0 ? b.maxIntermediates : b.maxChainLength - 1) + 2,
                b.directPath != null ? b.directPath : DirectPath.permittedByJdk());
        this.clock = b.clock;
        // No HTTP client (and its selector thread) unless OCSP is on.
        this.ocsp = b.ocsp.mode() == OcspSettings.Mode.OFF ? null
                : new OcspChecker(b.ocsp, b.clock, SafeListener.wrap(b.listener), Math.max(1, b.cacheMaximumSize));
        this.conversion = AllowedCommonNames.wrap(b.allowedCommonNames, b.conversion);
        this.cacheTtl = b.cacheTtl;
        this.cache = b.cacheMaximumSize > 0 && !b.cacheTtl.isZero()
                ? new VerifiedChainCache(b.cacheMaximumSize, clock) : null;
        this.presentedChains = new PresentedChain(b.maxChainLength, cache != null);
        trust.onChange(fresh -> {
            if (cache != null) {
                cache.invalidateAll();
            }
            crlChecker.retainOnly(fresh.crls());
        });
    }

    /**
     * A new builder.
     *
     * @return a new builder with the defaults; a trust source must still be set
     */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public AuthenticationResult authenticate(AuthenticationRequest request) {
        List<X509Certificate> presented = request.peerCertificates();
        if (presented.isEmpty()) {
            return Abstained.instance();
        }
        if (lifetimes != AuthenticationListener.NONE) {
            // Kubernetes observes the leaf's remaining lifetime before verifying it.
            lifetimes.clientCertificateLifetime(presented.get(0).getNotAfter().getTime() - clock.millis());
        }
        try {
            return verify(presented);
        } catch (RuntimeException | StackOverflowError e) {
            return Rejected.of(RejectionReason.INTERNAL_ERROR,
                    "x509: internal error while verifying the client certificate: " + e.getClass().getSimpleName());
        }
    }

    private AuthenticationResult verify(List<X509Certificate> presented) {
        TrustState.Snapshot current = trust.current();
        Object encoded = presentedChains.encode(presented);
        if (encoded instanceof Rejected r) {
            return r;
        }
        PresentedChain.Encoded in = (PresentedChain.Encoded) encoded;
        Instant now = clock.instant();
        if (cache != null) {
            // A hit needs no parsing: the key is the digest of the very bytes that were verified.
            Authenticated hit = cache.get(in.key(), current, now);
            if (hit != null) {
                return hit;
            }
        }
        Object parsed = PresentedChain.parse(in);
        if (parsed instanceof Rejected r) {
            return r;
        }
        @SuppressWarnings("unchecked")
        List<X509Certificate> certificates = (List<X509Certificate>) parsed;
        X509Certificate leaf = certificates.get(0);
        ChainVerifier.Verified verified;
        List<X509Certificate> chain;
        Instant freshUntil;
        Instant validFrom;
        boolean cacheable = true;
        try {
            verified = verifier.verify(leaf, certificates.subList(1, certificates.size()), current.anchors(), now,
                    in.ders());
            chain = verified.chain();
            freshUntil = min(now.plus(cacheTtl), Instant.ofEpochMilli(verified.notAfter()).plusMillis(1));
            validFrom = Instant.ofEpochMilli(verified.notBefore());
            freshUntil = min(freshUntil, crlChecker.check(chain, current.crls(), now));
            if (ocsp != null && chain.size() >= 2) {
                OcspChecker.Outcome o = ocsp.check(leaf, chain.get(1), now);
                if (o.cacheable()) {
                    freshUntil = min(freshUntil, o.freshUntil());
                } else {
                    cacheable = false;
                }
            }
        } catch (VerifyException e) {
            return Rejected.of(e.reason(), bareErrors ? e.getMessage()
                    : "verifying certificate " + Certificates.identifier(leaf) + " failed: " + e.getMessage());
        }
        AuthenticationResult result;
        try {
            result = conversion.user(List.copyOf(chain), in.ders().get(0), verified.notAfter());
        } catch (RuntimeException e) {
            return Rejected.of(RejectionReason.INTERNAL_ERROR, "x509: the user conversion failed: "
                    + e.getClass().getSimpleName());
        }
        if (result == null) {
            return Rejected.of(RejectionReason.INTERNAL_ERROR, "x509: the user conversion returned no verdict");
        }
        if (cache != null && cacheable && result instanceof Authenticated ok && freshUntil.isAfter(now)) {
            cache.put(in.key(), current, ok, validFrom, freshUntil);
        }
        return result;
    }

    private static Instant min(Instant a, Instant b) {
        return b == null || a.isBefore(b) ? a : b;
    }

    /**
     * The trust anchors in force (for a TLS server's list of acceptable issuers).
     *
     * @return the current trust anchors, from the CA file's last good load or as given
     */
    public List<X509Certificate> trustAnchors() {
        return trust.trustAnchors();
    }

    /**
     * A trust manager for a TLS server that requests client certificates and leaves their judgement to this authenticator.
     *
     * @return a new trust manager that accepts any client chain and advertises {@link #trustAnchors()}
     */
    public DeferringTrustManager trustManager() {
        return new DeferringTrustManager(this::trustAnchors);
    }

    /** Checks the watched files now (tests, or a server with watching off); true if anything new is in force. */
    boolean reloadIfChanged() {
        return trust.reloadIfChanged();
    }

    /** How many candidate paths were accepted without the JDK's PKIX validator (tests). */
    long directlyAcceptedPaths() {
        return verifier.directlyAccepted();
    }

    /** How many verified chains are cached now (for tests and metrics). */
    long cachedChains() {
        return cache == null ? 0 : cache.size();
    }

    @Override
    public void close() {
        trust.close();
    }

    /** Builds {@link X509Authenticator}s. Not thread-safe. */
    public static final class Builder {
        private Path clientCaFile;
        private List<X509Certificate> trustAnchors;
        private List<Path> crlFiles = List.of();
        private List<X509CRL> crls = List.of();
        private OcspSettings ocsp = OcspSettings.off();
        private Collection<String> allowedCommonNames = List.of();
        private List<String> requiredUsages = List.of(Certificates.EKU_CLIENT_AUTH);
        private UserConversion conversion = CommonNameUserConversion.instance();
        private Clock clock = Clock.systemUTC();
        private AuthenticationListener listener = AuthenticationListener.logging();
        private Duration reloadInterval = DEFAULT_RELOAD_INTERVAL;
        private long cacheMaximumSize = DEFAULT_CACHE_MAXIMUM_SIZE;
        private Duration cacheTtl = DEFAULT_CACHE_TTL;
        private int maxChainLength = DEFAULT_MAX_CHAIN_LENGTH;
        private int maxIntermediates = -1;
        private Boolean directPath;
        private boolean bareErrors;

        private Builder() {
        }

        /** Verification errors without the certificate's identifier, as Kubernetes' front-proxy {@code Verifier}. */
        Builder bareErrors() {
            this.bareErrors = true;
            return this;
        }

        /** Whether {@link DirectPath} may accept paths without PKIX; default: unless the JDK's constraints forbid. */
        Builder directPath(boolean on) {
            this.directPath = on;
            return this;
        }

        /** The most intermediates in a verified path; default one less than {@link #maxChainLength}. */
        Builder maxIntermediates(int n) {
            this.maxIntermediates = n;
            return this;
        }

        /**
         * The PEM bundle of trusted CAs, watched for changes (Kubernetes' {@code --client-ca-file}).
         *
         * @param file the PEM file of CA certificates; not null
         * @return this builder
         */
        public Builder clientCaFile(Path file) {
            this.clientCaFile = Objects.requireNonNull(file, "file");
            return this;
        }

        /**
         * Fixed trust anchors instead of a file.
         *
         * @param anchors the trusted CA certificates, copied; not null, no element null
         * @return this builder
         */
        public Builder trustAnchors(List<X509Certificate> anchors) {
            this.trustAnchors = List.copyOf(anchors);
            return this;
        }

        /**
         * CRL files (PEM or DER), each watched for changes.
         *
         * @param files the CRL files, copied; not null, no element null
         * @return this builder
         */
        public Builder crlFiles(List<Path> files) {
            this.crlFiles = List.copyOf(files);
            return this;
        }

        /**
         * Fixed CRLs, in addition to any CRL files.
         *
         * @param fixed the CRLs, copied; not null, no element null
         * @return this builder
         */
        public Builder crls(List<X509CRL> fixed) {
            this.crls = List.copyOf(fixed);
            return this;
        }

        /**
         * OCSP checking; off by default.
         *
         * @param settings the OCSP settings; not null
         * @return this builder
         */
        public Builder ocsp(OcspSettings settings) {
            this.ocsp = Objects.requireNonNull(settings, "settings");
            return this;
        }

        /**
         * Only clients whose common name is listed are accepted (Kubernetes' front-proxy {@code Verifier});
         * empty, the default: any.
         *
         * @param names the accepted common names, copied; not null, no element null
         * @return this builder
         */
        public Builder allowedCommonNames(Collection<String> names) {
            this.allowedCommonNames = List.copyOf(names);
            return this;
        }

        /**
         * The extended key usages (OIDs) of which the chain must allow one; default clientAuth
         * ({@code 1.3.6.1.5.5.7.3.2}); empty: any usage.
         *
         * @param oids the extended key usage OIDs in dotted form, copied; not null, no element null
         * @return this builder
         */
        public Builder requiredExtendedKeyUsages(List<String> oids) {
            this.requiredUsages = List.copyOf(oids);
            return this;
        }

        /**
         * How a verified chain becomes a user; default {@link CommonNameUserConversion#instance()}.
         *
         * @param userConversion the conversion; not null
         * @return this builder
         */
        public Builder userConversion(UserConversion userConversion) {
            this.conversion = Objects.requireNonNull(userConversion, "userConversion");
            return this;
        }

        /**
         * The clock for validity, CRL and OCSP times; default the system clock.
         *
         * @param c the clock; not null
         * @return this builder
         */
        public Builder clock(Clock c) {
            this.clock = Objects.requireNonNull(c, "clock");
            return this;
        }

        /**
         * Receives reload events and OCSP soft-fail warnings; default {@link AuthenticationListener#logging()}.
         *
         * @param l the listener; not null
         * @return this builder
         */
        public Builder listener(AuthenticationListener l) {
            this.listener = Objects.requireNonNull(l, "listener");
            return this;
        }

        /**
         * How often the files are checked for changes; zero: never (default one minute).
         *
         * @param interval the time between checks; not null nor negative
         * @return this builder
         * @throws IllegalArgumentException if {@code interval} is negative
         */
        public Builder reloadInterval(Duration interval) {
            if (interval.isNegative()) {
                throw new IllegalArgumentException("reloadInterval must not be negative");
            }
            this.reloadInterval = interval;
            return this;
        }

        /**
         * The most verified chains cached; zero disables the cache (default 10000).
         *
         * @param size the most cache entries; not negative
         * @return this builder
         * @throws IllegalArgumentException if {@code size} is negative
         */
        public Builder cacheMaximumSize(long size) {
            if (size < 0) {
                throw new IllegalArgumentException("cacheMaximumSize must not be negative");
            }
            this.cacheMaximumSize = size;
            return this;
        }

        /**
         * The longest a verified chain is cached; zero disables the cache (default 5 minutes).
         *
         * @param ttl how long a verified chain is reused; not null, from zero to one day
         * @return this builder
         * @throws IllegalArgumentException if negative or longer than a day
         */
        public Builder cacheTtl(Duration ttl) {
            if (ttl.isNegative() || ttl.compareTo(Duration.ofDays(1)) > 0) {
                throw new IllegalArgumentException("cacheTtl must be between 0s and 24h: " + ttl);
            }
            this.cacheTtl = ttl;
            return this;
        }

        /**
         * The most certificates a client may present (default 10).
         *
         * @param length the longest chain accepted, leaf included; at least 1
         * @return this builder
         * @throws IllegalArgumentException if {@code length} is less than 1
         */
        public Builder maxChainLength(int length) {
            if (length < 1) {
                throw new IllegalArgumentException("maxChainLength must be positive");
            }
            this.maxChainLength = length;
            return this;
        }

        /**
         * Builds the authenticator, loading the files now.
         *
         * @return a new authenticator; it watches its files until closed
         * @throws io.gatehouse.core.ConfigurationException if a file cannot be read or parsed
         * @throws IllegalStateException                    if neither a CA file nor anchors were given, or both
         */
        public X509Authenticator build() {
            if ((clientCaFile == null) == (trustAnchors == null)) {
                throw new IllegalStateException("set exactly one of clientCaFile and trustAnchors");
            }
            return new X509Authenticator(this, TrustState.load(clientCaFile, trustAnchors, crlFiles, crls, listener,
                    reloadInterval));
        }
    }
}
