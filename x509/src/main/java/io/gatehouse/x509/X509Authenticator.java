package io.gatehouse.x509;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import io.gatehouse.core.AuthenticationListener;
import io.gatehouse.core.AuthenticationRequest;
import io.gatehouse.core.AuthenticationResult;
import io.gatehouse.core.AuthenticationResult.Abstained;
import io.gatehouse.core.AuthenticationResult.Authenticated;
import io.gatehouse.core.AuthenticationResult.Rejected;
import io.gatehouse.core.Authenticator;
import io.gatehouse.core.RejectionReason;
import io.gatehouse.core.internal.ReloadingFile;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateException;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Authenticates requests by their TLS client certificate, as Kubernetes' {@code --client-ca-file}
 * authenticator does, with certificate revocation added.
 *
 * <p><b>Flow.</b> No peer certificate: abstain. Otherwise the presented chain (the client's certificate
 * first, then intermediates in any order) is checked for size and shape, then verified against the trust
 * anchors with the JDK's PKIX validator (see {@link ChainVerifier}: Go's path building and error texts, the
 * clientAuth extended key usage through the chain, trust-anchor extensions processed), then checked against
 * the CRLs and OCSP, then against the allowed common names, and finally turned into a user by the
 * {@link UserConversion} (by default {@link CommonNameUserConversion}).
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

    private final Supplier<TrustAnchors> anchors;
    private final List<Supplier<CrlSet>> crlSets;
    private final List<ReloadingFile<?>> files;
    private final ChainVerifier verifier;
    private final CrlChecker crlChecker = new CrlChecker();
    private final OcspChecker ocsp;
    private final Set<String> allowedCommonNames;
    private final UserConversion conversion;
    private final Clock clock;
    private final int maxChainLength;
    private final Duration cacheTtl;
    private final Cache<ByteBuffer, CachedChain> cache;
    private volatile State state;

    private X509Authenticator(Builder b, Supplier<TrustAnchors> anchors, List<Supplier<CrlSet>> crlSets,
                              List<ReloadingFile<?>> files) {
        this.anchors = anchors;
        this.crlSets = List.copyOf(crlSets);
        this.files = List.copyOf(files);
        this.verifier = new ChainVerifier(b.requiredUsages,
                (b.maxIntermediates >= 0 ? b.maxIntermediates : b.maxChainLength - 1) + 2,
                b.directPath != null ? b.directPath : DirectPath.permittedByJdk());
        this.clock = b.clock;
        // No HTTP client (and its selector thread) unless OCSP is on.
        this.ocsp = b.ocsp.mode() == OcspSettings.Mode.OFF ? null
                : new OcspChecker(b.ocsp, b.clock, quiet(b.listener), Math.max(1, b.cacheMaximumSize));
        this.allowedCommonNames = Set.copyOf(b.allowedCommonNames);
        this.conversion = b.conversion;
        this.maxChainLength = b.maxChainLength;
        this.cacheTtl = b.cacheTtl;
        if (b.cacheMaximumSize > 0 && !b.cacheTtl.isZero()) {
            this.cache = Caffeine.newBuilder()
                    .maximumSize(b.cacheMaximumSize)
                    .expireAfter(new Expiry<ByteBuffer, CachedChain>() {
                        @Override
                        public long expireAfterCreate(ByteBuffer key, CachedChain value, long currentTime) {
                            Duration left = Duration.between(clock.instant(), value.expiresAt());
                            return left.isNegative() ? 0 : OcspChecker.saturatedNanos(left);
                        }

                        @Override
                        public long expireAfterUpdate(ByteBuffer key, CachedChain value, long currentTime,
                                                      long currentDuration) {
                            return expireAfterCreate(key, value, currentTime);
                        }

                        @Override
                        public long expireAfterRead(ByteBuffer key, CachedChain value, long currentTime,
                                                    long currentDuration) {
                            return currentDuration;
                        }
                    })
                    .build();
        } else {
            this.cache = null;
        }
        this.state = snapshot();
    }

    /** A new builder. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public AuthenticationResult authenticate(AuthenticationRequest request) {
        List<X509Certificate> presented = request.peerCertificates();
        if (presented.isEmpty()) {
            return Abstained.instance();
        }
        try {
            return verify(presented);
        } catch (RuntimeException | StackOverflowError e) {
            return Rejected.of(RejectionReason.INTERNAL_ERROR,
                    "x509: internal error while verifying the client certificate: " + e.getClass().getSimpleName());
        }
    }

    private AuthenticationResult verify(List<X509Certificate> presented) {
        State current = currentState();
        Object encoded = encodings(presented);
        if (encoded instanceof Rejected r) {
            return r;
        }
        Encoded in = (Encoded) encoded;
        Instant now = clock.instant();
        if (cache != null) {
            // A hit needs no parsing: the key is the digest of the very bytes that were verified.
            CachedChain hit = cache.getIfPresent(in.key());
            if (hit != null && hit.state() == current && !now.isBefore(hit.validFrom()) && now.isBefore(hit.expiresAt())) {
                return hit.result();
            }
        }
        Object parsed = parse(in);
        if (parsed instanceof Rejected r) {
            return r;
        }
        Parsed chainIn = (Parsed) parsed;
        X509Certificate leaf = chainIn.certificates().get(0);
        ChainVerifier.Verified verified;
        List<X509Certificate> chain;
        Instant freshUntil;
        Instant validFrom;
        boolean cacheable = true;
        try {
            verified = verifier.verify(leaf, chainIn.certificates().subList(1, chainIn.certificates().size()),
                    current.anchors(), now, in.ders());
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
            return Rejected.of(e.reason(), "verifying certificate " + Certificates.identifier(leaf) + " failed: "
                    + e.getMessage());
        }
        if (!allowedCommonNames.isEmpty()) {
            String cn;
            try {
                cn = SubjectNames.of(leaf.getSubjectX500Principal()).commonName();
            } catch (IllegalArgumentException e) {
                return Rejected.of(RejectionReason.MALFORMED, e.getMessage());
            }
            if (!allowedCommonNames.contains(cn)) {
                return Rejected.of(RejectionReason.INVALID_CREDENTIAL,
                        "x509: subject with cn=" + cn + " is not in the allowed list");
            }
        }
        AuthenticationResult result;
        try {
            result = conversion instanceof CommonNameUserConversion common
                    ? common.user(List.copyOf(chain), in.ders().get(0), verified.notAfter())
                    : conversion.user(List.copyOf(chain));
        } catch (RuntimeException e) {
            return Rejected.of(RejectionReason.INTERNAL_ERROR, "x509: the user conversion failed: "
                    + e.getClass().getSimpleName());
        }
        if (result == null) {
            return Rejected.of(RejectionReason.INTERNAL_ERROR, "x509: the user conversion returned no verdict");
        }
        if (cache != null && cacheable && result instanceof Authenticated && freshUntil.isAfter(now)) {
            cache.put(chainIn.key(), new CachedChain(current, (Authenticated) result, validFrom, freshUntil));
        }
        return result;
    }

    private static Instant min(Instant a, Instant b) {
        return b == null || a.isBefore(b) ? a : b;
    }

    /** The presented chain, its encodings and their cache key (null without a cache). */
    private record Encoded(List<X509Certificate> presented, List<byte[]> ders, ByteBuffer key) {
    }

    /** The presented chain, re-parsed from its encodings, and its cache key. */
    private record Parsed(List<X509Certificate> certificates, ByteBuffer key) {
    }

    /** The {@link Encoded} chain, or a {@link Rejected} when it is too long, too large, unencodable or repeats itself. */
    private Object encodings(List<X509Certificate> presented) {
        if (presented.size() > maxChainLength) {
            return Rejected.of(RejectionReason.MALFORMED, "x509: the client presented " + presented.size()
                    + " certificates; at most " + maxChainLength + " are accepted");
        }
        // The cache key; without a cache there is nothing to digest.
        MessageDigest digest = null;
        if (cache != null) {
            try {
                digest = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
        List<byte[]> ders = new ArrayList<>(presented.size());
        long total = 0;
        for (int i = 0; i < presented.size(); i++) {
            int ordinal = i + 1;
            byte[] der;
            try {
                der = presented.get(i).getEncoded();
            } catch (CertificateException | RuntimeException e) {
                der = null;
            }
            if (der == null || der.length == 0) {
                return Rejected.of(RejectionReason.MALFORMED, "x509: presented certificate " + ordinal
                        + " has no encoding");
            }
            if (der.length > MAX_CERTIFICATE_BYTES) {
                return Rejected.of(RejectionReason.MALFORMED, "x509: presented certificate " + ordinal + " is "
                        + der.length + " bytes; at most " + MAX_CERTIFICATE_BYTES + " are accepted");
            }
            total += der.length;
            if (total > MAX_CHAIN_BYTES) {
                return Rejected.of(RejectionReason.MALFORMED, "x509: the presented chain is larger than "
                        + MAX_CHAIN_BYTES + " bytes");
            }
            for (int j = 0; j < ders.size(); j++) {
                if (java.util.Arrays.equals(ders.get(j), der)) {
                    return Rejected.of(RejectionReason.MALFORMED, "x509: presented certificate " + ordinal
                            + " duplicates certificate " + (j + 1));
                }
            }
            ders.add(der);
            if (digest != null) {
                digest.update(ByteBuffer.allocate(4).putInt(der.length).array());
                digest.update(der);
            }
        }
        return new Encoded(presented, ders, digest == null ? null : ByteBuffer.wrap(digest.digest()));
    }

    /**
     * A {@link Parsed} chain, or a {@link Rejected} naming the certificate the JDK cannot parse. Certificates
     * that are the JDK's own implementation (what a JDK TLS stack hands over) are its parse of the very
     * encoding digested above and are used as they are; any other implementation is re-parsed from its
     * encoding.
     */
    private static Object parse(Encoded in) {
        List<X509Certificate> certs = new ArrayList<>(in.ders().size());
        for (int i = 0; i < in.ders().size(); i++) {
            X509Certificate presented = in.presented().get(i);
            if (isJdkCertificate(presented)) {
                certs.add(presented);
                continue;
            }
            try {
                certs.add(Certificates.parseDer(in.ders().get(i)));
            } catch (CertificateException e) {
                return Rejected.of(RejectionReason.MALFORMED, "x509: presented certificate " + (i + 1)
                        + " is malformed: " + truncate(e.getMessage()));
            }
        }
        return new Parsed(List.copyOf(certs), in.key());
    }

    /** Whether {@code c} is the JDK's own X.509 implementation, defined by the boot class loader. */
    static boolean isJdkCertificate(X509Certificate c) {
        Class<?> type = c.getClass();
        return type.getClassLoader() == null && type.getName().equals("sun.security.x509.X509CertImpl");
    }

    private static String truncate(String s) {
        if (s == null) {
            return "unparseable";
        }
        String line = s.replaceAll("[\\r\\n]+", " ");
        return line.length() <= 160 ? line : line.substring(0, 160) + "...";
    }

    /** The trust anchors and CRLs in force; identity tells versions apart. */
    private record State(TrustAnchors anchors, List<CrlSet> crlSets, List<X509CRL> crls) {
        boolean sameAs(TrustAnchors a, List<CrlSet> sets) {
            if (a != anchors || sets.size() != crlSets.size()) {
                return false;
            }
            for (int i = 0; i < sets.size(); i++) {
                if (sets.get(i) != crlSets.get(i)) {
                    return false;
                }
            }
            return true;
        }
    }

    private State snapshot() {
        List<CrlSet> sets = new ArrayList<>(crlSets.size());
        List<X509CRL> all = new ArrayList<>();
        for (Supplier<CrlSet> s : crlSets) {
            CrlSet set = s.get();
            sets.add(set);
            all.addAll(set.crls());
        }
        return new State(anchors.get(), List.copyOf(sets), List.copyOf(all));
    }

    private State currentState() {
        State last = state;
        TrustAnchors a = anchors.get();
        List<CrlSet> sets = crlSets.isEmpty() ? List.of() : new ArrayList<>(crlSets.size());
        for (Supplier<CrlSet> s : crlSets) {
            sets.add(s.get());
        }
        if (last.sameAs(a, sets)) {
            return last;
        }
        synchronized (this) {
            State fresh = snapshot();
            state = fresh;
            if (cache != null) {
                cache.invalidateAll();
            }
            crlChecker.retainOnly(fresh.crls());
            return fresh;
        }
    }

    /** The trust anchors in force (for a TLS server's list of acceptable issuers). */
    public List<X509Certificate> trustAnchors() {
        return anchors.get().certificates();
    }

    /** A trust manager for a TLS server that requests client certificates and leaves their judgement to this authenticator. */
    public DeferringTrustManager trustManager() {
        return new DeferringTrustManager(this::trustAnchors);
    }

    /** Checks the watched files now (tests, or a server with watching off); true if anything new is in force. */
    boolean reloadIfChanged() {
        boolean changed = false;
        for (ReloadingFile<?> f : files) {
            changed |= f.reloadIfChanged();
        }
        return changed;
    }

    /** How many candidate paths were accepted without the JDK's PKIX validator (tests). */
    long directlyAcceptedPaths() {
        return verifier.directlyAccepted();
    }

    /** How many verified chains are cached now (for tests and metrics). */
    long cachedChains() {
        if (cache == null) {
            return 0;
        }
        cache.cleanUp();
        return cache.estimatedSize();
    }

    @Override
    public void close() {
        for (ReloadingFile<?> f : files) {
            f.close();
        }
    }

    private record CachedChain(State state, Authenticated result, Instant validFrom, Instant expiresAt) {
    }

    private static AuthenticationListener quiet(AuthenticationListener delegate) {
        return new AuthenticationListener() {
            @Override
            public void warning(String source, String message) {
                try {
                    delegate.warning(source, message);
                } catch (RuntimeException e) {
                    // a listener must not break verification
                }
            }
        };
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

        private Builder() {
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

        /** The PEM bundle of trusted CAs, watched for changes (Kubernetes' {@code --client-ca-file}). */
        public Builder clientCaFile(Path file) {
            this.clientCaFile = Objects.requireNonNull(file, "file");
            return this;
        }

        /** Fixed trust anchors instead of a file. */
        public Builder trustAnchors(List<X509Certificate> anchors) {
            this.trustAnchors = List.copyOf(anchors);
            return this;
        }

        /** CRL files (PEM or DER), each watched for changes. */
        public Builder crlFiles(List<Path> files) {
            this.crlFiles = List.copyOf(files);
            return this;
        }

        /** Fixed CRLs, in addition to any CRL files. */
        public Builder crls(List<X509CRL> fixed) {
            this.crls = List.copyOf(fixed);
            return this;
        }

        /** OCSP checking; off by default. */
        public Builder ocsp(OcspSettings settings) {
            this.ocsp = Objects.requireNonNull(settings, "settings");
            return this;
        }

        /**
         * Only clients whose common name is listed are accepted (Kubernetes' front-proxy {@code Verifier});
         * empty, the default: any.
         */
        public Builder allowedCommonNames(Collection<String> names) {
            this.allowedCommonNames = List.copyOf(names);
            return this;
        }

        /**
         * The extended key usages (OIDs) of which the chain must allow one; default clientAuth
         * ({@code 1.3.6.1.5.5.7.3.2}); empty: any usage.
         */
        public Builder requiredExtendedKeyUsages(List<String> oids) {
            this.requiredUsages = List.copyOf(oids);
            return this;
        }

        /** How a verified chain becomes a user; default {@link CommonNameUserConversion#instance()}. */
        public Builder userConversion(UserConversion userConversion) {
            this.conversion = Objects.requireNonNull(userConversion, "userConversion");
            return this;
        }

        /** The clock for validity, CRL and OCSP times; default the system clock. */
        public Builder clock(Clock c) {
            this.clock = Objects.requireNonNull(c, "clock");
            return this;
        }

        /** Receives reload events and OCSP soft-fail warnings; default {@link AuthenticationListener#logging()}. */
        public Builder listener(AuthenticationListener l) {
            this.listener = Objects.requireNonNull(l, "listener");
            return this;
        }

        /** How often the files are checked for changes; zero: never (default one minute). */
        public Builder reloadInterval(Duration interval) {
            if (interval.isNegative()) {
                throw new IllegalArgumentException("reloadInterval must not be negative");
            }
            this.reloadInterval = interval;
            return this;
        }

        /** The most verified chains cached; zero disables the cache (default 10000). */
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
         * @throws IllegalArgumentException if negative or longer than a day
         */
        public Builder cacheTtl(Duration ttl) {
            if (ttl.isNegative() || ttl.compareTo(Duration.ofDays(1)) > 0) {
                throw new IllegalArgumentException("cacheTtl must be between 0s and 24h: " + ttl);
            }
            this.cacheTtl = ttl;
            return this;
        }

        /** The most certificates a client may present (default 10). */
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
         * @throws io.gatehouse.core.ConfigurationException if a file cannot be read or parsed
         * @throws IllegalStateException                    if neither a CA file nor anchors were given, or both
         */
        public X509Authenticator build() {
            if ((clientCaFile == null) == (trustAnchors == null)) {
                throw new IllegalStateException("set exactly one of clientCaFile and trustAnchors");
            }
            List<ReloadingFile<?>> files = new ArrayList<>();
            try {
                Supplier<TrustAnchors> anchorSupplier;
                if (clientCaFile != null) {
                    ReloadingFile<TrustAnchors> f = ReloadingFile.load(clientCaFile,
                            p -> TrustAnchors.parse(p, "client-ca"), TrustAnchors::summary, listener, reloadInterval);
                    files.add(f);
                    anchorSupplier = f::current;
                } else {
                    TrustAnchors fixed = TrustAnchors.of(trustAnchors);
                    anchorSupplier = () -> fixed;
                }
                List<Supplier<CrlSet>> sets = new ArrayList<>();
                if (!crls.isEmpty()) {
                    CrlSet fixed = CrlSet.of(crls);
                    sets.add(() -> fixed);
                }
                Set<Path> distinct = new HashSet<>();
                for (Path p : crlFiles) {
                    if (!distinct.add(p.toAbsolutePath().normalize())) {
                        continue;
                    }
                    ReloadingFile<CrlSet> f = ReloadingFile.load(p, CrlSet::parse, CrlSet::summary, listener,
                            reloadInterval);
                    files.add(f);
                    sets.add(f::current);
                }
                return new X509Authenticator(this, anchorSupplier, sets, files);
            } catch (RuntimeException e) {
                for (ReloadingFile<?> f : files) {
                    f.close();
                }
                throw e;
            }
        }
    }
}
