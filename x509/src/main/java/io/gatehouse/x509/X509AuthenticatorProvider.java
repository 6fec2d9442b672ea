package io.gatehouse.x509;

import io.gatehouse.core.spi.AuthenticatorProvider;
import io.gatehouse.core.spi.ChainMember;
import io.gatehouse.core.spi.ProviderContext;
import io.gatehouse.core.spi.ProviderSettings;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code x509} authenticator type: client certificates verified against a CA bundle, as Kubernetes'
 * {@code --client-ca-file}, with CRL and OCSP revocation. Contributes a request authenticator
 * ({@link X509Authenticator}) to the chain.
 *
 * <p>Settings (relative paths resolve against the configuration file's directory; files are watched at the
 * chain's {@code reloadInterval}, and a bad new version keeps the last good one in force and is reported):
 * <table>
 *   <caption>x509 settings</caption>
 *   <tr><th>setting</th><th>type</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>{@code clientCaFile}</td><td>path</td><td>required</td><td>PEM bundle of the trusted CAs (one or
 *       more {@code CERTIFICATE} blocks; other blocks are skipped). System roots are never used. An empty file
 *       is an error: {@code missing content for CA bundle "client-ca::<file>"}.</td></tr>
 *   <tr><td>{@code crlFiles}</td><td>list of paths</td><td>none</td><td>CRL files, PEM ({@code X509 CRL}
 *       blocks, several allowed) or DER. Complete v2 CRLs with a CRL number and no critical extension only.
 *       A certificate whose issuer has a CRL is checked against it; past the CRL's nextUpdate its chains are
 *       refused.</td></tr>
 *   <tr><td>{@code ocsp}</td><td>map, or a mode string</td><td>off</td><td>OCSP checking of the client's
 *       certificate. Keys: {@code mode} ({@code off}, {@code soft-fail}: a failed check is a warning,
 *       {@code hard-fail}: a failed check rejects), {@code responderUrl} (http or https; default the
 *       certificate's AIA OCSP address), {@code timeout} (duration, default {@code 5s}, covers the whole
 *       exchange), {@code maxResponseBytes} (default 65536). {@code ocsp: hard-fail} is short for
 *       {@code ocsp: {mode: hard-fail}}. The same settings may be given flat instead: {@code ocspMode},
 *       {@code ocspResponderUrl}, {@code ocspTimeout}, {@code ocspMaxResponseBytes}.</td></tr>
 *   <tr><td>{@code allowedCommonNames}</td><td>list of strings</td><td>any</td><td>only clients with one of
 *       these common names are accepted (Kubernetes' front-proxy {@code --requestheader-allowed-names}):
 *       {@code x509: subject with cn=<cn> is not in the allowed list}.</td></tr>
 *   <tr><td>{@code cacheMaximumSize}</td><td>number</td><td>10000</td><td>most verified chains cached;
 *       {@code 0} disables the cache.</td></tr>
 *   <tr><td>{@code cacheTtl}</td><td>duration</td><td>{@code 5m}</td><td>longest a verified chain is cached
 *       (never past a certificate's notAfter or the revocation data's nextUpdate); at most {@code 24h};
 *       {@code 0s} disables the cache.</td></tr>
 *   <tr><td>{@code maxChainLength}</td><td>number</td><td>10</td><td>most certificates a client may present.</td></tr>
 * </table>
 *
 * <p>Example:
 * <pre>{@code
 * authenticators:
 *   - type: x509
 *     clientCaFile: pki/client-ca.pem
 *     crlFiles: [pki/root.crl, pki/intermediate.crl]
 *     ocsp: {mode: soft-fail, timeout: 2s}
 *     cacheMaximumSize: 5000
 * }</pre>
 *
 * <p>Public only because {@link java.util.ServiceLoader} needs it; thread-safe and stateless.
 */
public final class X509AuthenticatorProvider implements AuthenticatorProvider {

    private static final List<String> OCSP_KEYS = List.of("mode", "responderUrl", "timeout", "maxResponseBytes");

    /** For {@link java.util.ServiceLoader}; applications use {@link X509Authenticator#builder()} instead. */
    public X509AuthenticatorProvider() {
    }

    @Override
    public String type() {
        return "x509";
    }

    @Override
    public ChainMember create(ProviderSettings settings, ProviderContext context) {
        Path caFile = settings.path("clientCaFile");
        if (Files.isDirectory(caFile)) {
            throw settings.invalid("clientCaFile", "is a directory; expected a PEM file: " + caFile);
        }
        List<Path> crlFiles = paths(settings, "crlFiles");
        OcspSettings ocsp = ocsp(settings);
        List<String> allowed = settings.stringList("allowedCommonNames");
        long cacheSize = settings.number("cacheMaximumSize", X509Authenticator.DEFAULT_CACHE_MAXIMUM_SIZE);
        if (cacheSize < 0) {
            throw settings.invalid("cacheMaximumSize", "must not be negative");
        }
        Duration cacheTtl = settings.duration("cacheTtl", X509Authenticator.DEFAULT_CACHE_TTL);
        if (cacheTtl.isNegative() || cacheTtl.compareTo(Duration.ofDays(1)) > 0) {
            throw settings.invalid("cacheTtl", "must be between 0s and 24h");
        }
        long maxChain = settings.number("maxChainLength", X509Authenticator.DEFAULT_MAX_CHAIN_LENGTH);
        if (maxChain < 1 || maxChain > 100) {
            throw settings.invalid("maxChainLength", "must be between 1 and 100");
        }
        X509Authenticator authenticator = X509Authenticator.builder()
                .clientCaFile(caFile)
                .crlFiles(crlFiles)
                .ocsp(ocsp)
                .allowedCommonNames(allowed)
                .cacheMaximumSize(cacheSize)
                .cacheTtl(cacheTtl)
                .maxChainLength((int) maxChain)
                .clock(context.clock())
                .listener(context.listener())
                .reloadInterval(context.reloadInterval())
                .build();
        return new ChainMember.Request(authenticator);
    }

    private static List<Path> paths(ProviderSettings settings, String key) {
        List<String> raw = settings.stringList(key);
        List<Path> out = new ArrayList<>(raw.size());
        for (int i = 0; i < raw.size(); i++) {
            String name = key + "[" + i + "]";
            Path p;
            try {
                p = settings.baseDirectory().resolve(raw.get(i)).normalize();
            } catch (InvalidPathException e) {
                throw settings.invalid(name, "is not a valid path: " + e.getMessage());
            }
            if (!Files.exists(p)) {
                throw settings.invalid(name, "no such file or directory: " + p);
            }
            if (!Files.isRegularFile(p) || !Files.isReadable(p)) {
                throw settings.invalid(name, "not a readable file: " + p);
            }
            out.add(p);
        }
        return out;
    }

    private static OcspSettings ocsp(ProviderSettings settings) {
        Object nested = settings.raw("ocsp");
        boolean flat = settings.has("ocspMode") || settings.has("ocspResponderUrl") || settings.has("ocspTimeout")
                || settings.has("ocspMaxResponseBytes");
        if (nested != null && flat) {
            throw settings.invalid("ocsp", "set either the ocsp map or the flat ocspMode/ocspResponderUrl/ocspTimeout/"
                    + "ocspMaxResponseBytes settings, not both");
        }
        ProviderSettings s;
        String prefix;
        if (nested instanceof String mode) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("ocsp.mode", mode);
            s = ProviderSettings.of(settings.source(), settings.entry(), settings.baseDirectory(), m);
            prefix = "ocsp.";
        } else if (nested instanceof Map<?, ?> map) {
            Map<String, Object> m = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (!(e.getKey() instanceof String k) || !OCSP_KEYS.contains(k)) {
                    throw settings.invalid("ocsp." + e.getKey(), "unknown setting; expected " + String.join(", ", OCSP_KEYS));
                }
                m.put("ocsp." + k, e.getValue());
            }
            s = ProviderSettings.of(settings.source(), settings.entry(), settings.baseDirectory(), m);
            prefix = "ocsp.";
        } else if (nested != null) {
            throw settings.invalid("ocsp", "must be a map or one of off, soft-fail, hard-fail");
        } else {
            s = settings;
            prefix = "ocsp";
        }
        String modeKey = prefix + (prefix.endsWith(".") ? "mode" : "Mode");
        String urlKey = prefix + (prefix.endsWith(".") ? "responderUrl" : "ResponderUrl");
        String timeoutKey = prefix + (prefix.endsWith(".") ? "timeout" : "Timeout");
        String maxKey = prefix + (prefix.endsWith(".") ? "maxResponseBytes" : "MaxResponseBytes");
        OcspSettings.Mode mode;
        try {
            mode = OcspSettings.Mode.parse(s.optionalString(modeKey).orElse("off"));
        } catch (IllegalArgumentException e) {
            throw settings.invalid(modeKey, e.getMessage());
        }
        URI url = null;
        if (s.optionalString(urlKey).isPresent()) {
            try {
                url = new URI(s.optionalString(urlKey).get());
            } catch (URISyntaxException e) {
                throw settings.invalid(urlKey, "is not a URL: " + e.getMessage());
            }
        }
        Duration timeout = s.duration(timeoutKey, OcspSettings.DEFAULT_TIMEOUT);
        long max = s.number(maxKey, OcspSettings.DEFAULT_MAX_RESPONSE_BYTES);
        if (max < 1 || max > (64L << 20)) {
            throw settings.invalid(maxKey, "must be between 1 and 67108864");
        }
        try {
            return new OcspSettings(mode, url, timeout, (int) max);
        } catch (IllegalArgumentException e) {
            String key = e.getMessage().startsWith("timeout") ? timeoutKey : urlKey;
            throw settings.invalid(key, e.getMessage());
        }
    }
}
