package io.gatehouse.x509;

import io.gatehouse.core.internal.PemCertificates;
import io.gatehouse.core.ConfigurationException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.security.auth.x500.X500Principal;

/**
 * The trusted CA certificates of a client-CA bundle, indexed by subject. Immutable and thread-safe; a reload
 * builds a new instance, so identity tells one version from another.
 */
final class TrustAnchors {

    /** The largest bundle file read: far above any real bundle, small enough to bound memory. */
    static final long MAX_BUNDLE_BYTES = 16L << 20;

    private final List<X509Certificate> certificates;
    private final Map<X500Principal, List<X509Certificate>> bySubject;
    /** Anchors by the bytes of their subject: each entry is the whole group {@link #bySubject} holds. */
    private final Map<ByteBuffer, List<X509Certificate>> byRawSubject;
    /** Whether every anchor's subject bytes are known (then a certificate with other subject bytes is none). */
    private final boolean allRawSubjects;
    /** Each anchor's facts, by identity, read once at load. */
    private final Map<X509Certificate, CertFacts> facts;

    private TrustAnchors(List<X509Certificate> certificates) {
        this.certificates = List.copyOf(certificates);
        Map<X500Principal, List<X509Certificate>> index = new HashMap<>();
        Map<X509Certificate, CertFacts> read = new java.util.IdentityHashMap<>();
        for (X509Certificate c : this.certificates) {
            index.computeIfAbsent(c.getSubjectX500Principal(), k -> new ArrayList<>()).add(c);
            read.put(c, CertFacts.ofAnchor(c));
        }
        this.facts = read;
        index.replaceAll((k, v) -> List.copyOf(v));
        this.bySubject = Map.copyOf(index);
        Map<ByteBuffer, List<X509Certificate>> raw = new HashMap<>();
        boolean all = true;
        for (CertFacts f : read.values()) {
            if (f.rawSubject != null) {
                raw.put(ByteBuffer.wrap(f.rawSubject), bySubject.get(f.subject));
            } else {
                all = false;
            }
        }
        this.byRawSubject = Map.copyOf(raw);
        this.allRawSubjects = all;
    }

    /**
     * Anchors from certificates already parsed; each is re-parsed from its encoding, duplicates dropped.
     *
     * @throws IllegalArgumentException if the list is empty or a certificate cannot be re-parsed
     */
    static TrustAnchors of(List<X509Certificate> certificates) {
        if (certificates.isEmpty()) {
            throw new IllegalArgumentException("at least one trust anchor is required");
        }
        Map<ByteBuffer, X509Certificate> unique = new LinkedHashMap<>();
        for (X509Certificate c : certificates) {
            try {
                byte[] der = c.getEncoded();
                unique.putIfAbsent(ByteBuffer.wrap(der), Certificates.parseDer(der));
            } catch (CertificateException e) {
                throw new IllegalArgumentException("trust anchor cannot be parsed: " + e.getMessage(), e);
            }
        }
        return new TrustAnchors(new ArrayList<>(unique.values()));
    }

    /**
     * Parses a PEM bundle file: every {@code CERTIFICATE} block must parse, other blocks are skipped (as
     * Kubernetes' {@code ParseCertsPEM} does), and at least one certificate is required.
     *
     * @param purpose names the bundle in errors, as Kubernetes does: {@code client-ca}
     * @throws ConfigurationException if the file is empty, too large, not PEM, or holds a bad certificate
     */
    static TrustAnchors parse(Path file, String purpose) throws IOException {
        byte[] data = readCapped(file, MAX_BUNDLE_BYTES, "CA bundle");
        String source = file.toString();
        if (data.length == 0) {
            throw new ConfigurationException(source, "missing content for CA bundle \"" + purpose + "::" + file + "\"");
        }
        List<X509Certificate> certs;
        try {
            certs = PemCertificates.parse(new String(data, StandardCharsets.ISO_8859_1));
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(source, e.getMessage());
        }
        return of(certs);
    }

    /** Reads at most {@code max} bytes of {@code file}; a larger file is a configuration error. */
    static byte[] readCapped(Path file, long max, String what) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] data = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, max + 1));
            if (data.length > max) {
                throw new ConfigurationException(file.toString(), what + " is larger than " + max + " bytes");
            }
            return data;
        }
    }

    List<X509Certificate> certificates() {
        return certificates;
    }

    /** The facts of {@code c} when it is one of the anchor objects, else null. */
    CertFacts facts(X509Certificate c) {
        return facts.get(c);
    }

    /** Anchors whose subject equals {@code issuer}. */
    List<X509Certificate> withSubject(X500Principal issuer) {
        return bySubject.getOrDefault(issuer, List.of());
    }

    /** Anchors whose subject is {@code child}'s issuer, as the JDK compares names; found by bytes first. */
    List<X509Certificate> issuersOf(CertFacts child) {
        if (child.rawIssuer != null) {
            List<X509Certificate> found = byRawSubject.get(ByteBuffer.wrap(child.rawIssuer));
            if (found != null) {
                return found;
            }
        }
        return withSubject(child.issuer);
    }

    /** Whether {@code c} is exactly one of the anchors (the same encoding). */
    boolean contains(CertFacts c) {
        List<X509Certificate> named = null;
        if (c.rawSubject != null) {
            named = byRawSubject.get(ByteBuffer.wrap(c.rawSubject));
            if (named == null && allRawSubjects) {
                return false; // the same encoding would have the same subject bytes
            }
        }
        if (named == null) {
            named = withSubject(c.subject);
        }
        for (X509Certificate a : named) {
            if (a == c.cert || a.equals(c.cert)) {
                return true;
            }
        }
        return false;
    }

    /** For reload events: how many anchors and their subjects' common names. */
    String summary() {
        List<String> names = new ArrayList<>();
        for (X509Certificate c : certificates) {
            names.add(Certificates.displayName(c));
        }
        return certificates.size() + (certificates.size() == 1 ? " CA certificate " : " CA certificates ") + names;
    }
}
