package io.gatehouse.core;

import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A transport-neutral request: headers (names case-insensitive), the TLS peer certificate chain as the
 * client presented it, the audiences the caller asks the credential to be valid for, and the request path
 * (for anonymous conditions).
 *
 * <p>Immutable and thread-safe. {@link #toString()} names the headers but never prints their values, so
 * that a request can be logged without leaking a credential.
 */
public final class AuthenticationRequest {

    private final Map<String, List<String>> headers;
    private final List<X509Certificate> peerCertificates;
    private final List<String> audiences;
    private final String path;

    private AuthenticationRequest(AuthenticationRequest base, List<String> audiences) {
        this.headers = base.headers;
        this.peerCertificates = base.peerCertificates;
        this.audiences = audiences;
        this.path = base.path;
    }

    private AuthenticationRequest(Builder b) {
        TreeMap<String, List<String>> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        b.headers.forEach((k, v) -> h.put(k, List.copyOf(v)));
        this.headers = Collections.unmodifiableMap(h);
        this.peerCertificates = List.copyOf(b.peerCertificates);
        this.audiences = List.copyOf(b.audiences);
        this.path = b.path;
    }

    /**
     * A new builder for a request with no headers, certificates or audiences.
     *
     * @return the builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A request carrying only {@code Authorization: Bearer <token>}.
     *
     * @param token the bearer token
     * @return the request
     */
    public static AuthenticationRequest bearer(String token) {
        return builder().header("Authorization", "Bearer " + token).build();
    }

    /**
     * The first value of header {@code name} (any case), or null when absent.
     *
     * @param name the header name, any case
     * @return the first value, or null
     */
    public String header(String name) {
        List<String> values = headers.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /**
     * Every value of header {@code name} (any case); empty when absent.
     *
     * @param name the header name, any case
     * @return the values, in order, unmodifiable
     */
    public List<String> headerValues(String name) {
        return headers.getOrDefault(name, List.of());
    }

    /**
     * All headers, names case-insensitive, unmodifiable.
     *
     * @return the headers
     */
    public Map<String, List<String>> headers() {
        return headers;
    }

    /**
     * The bearer token of the {@code Authorization} header, taken with Kubernetes' exact rules (the
     * {@code Bearer} scheme in any case, the token up to the next space): the one way to read a request's
     * bearer token, the same the chain uses. Empty when there is none, and when extra space stands before the
     * token (Kubernetes then ignores the header).
     *
     * @return the token, or empty
     */
    public Optional<String> bearerToken() {
        String token = BearerTokenAuthenticator.extract(header("Authorization"));
        return token == null || token.isEmpty() ? Optional.empty() : Optional.of(token);
    }

    /**
     * The client's certificate chain as presented (leaf first when the client followed TLS rules); may be empty.
     *
     * @return the chain, unmodifiable
     */
    public List<X509Certificate> peerCertificates() {
        return peerCertificates;
    }

    /**
     * The audiences the caller requested, in order; empty when none.
     *
     * @return the audiences, unmodifiable
     */
    public List<String> audiences() {
        return audiences;
    }

    /**
     * The request path as Go's {@code URL.Path}: percent-decoded, without the query, not normalised; empty when
     * the adapter did not say. Only anonymous conditions read it.
     *
     * @return the path, or empty
     */
    public String path() {
        return path;
    }

    /** This request with other requested audiences; shares everything else (no copying on the hot path). */
    AuthenticationRequest withAudiences(List<String> newAudiences) {
        return new AuthenticationRequest(this, List.copyOf(newAudiences));
    }

    /**
     * A builder starting from this request, for adapters that add audiences or strip headers.
     *
     * @return a builder holding this request's headers, certificates, audiences and path
     */
    public Builder toBuilder() {
        Builder b = new Builder();
        headers.forEach((k, v) -> b.headers.put(k, new ArrayList<>(v)));
        b.peerCertificates.addAll(peerCertificates);
        b.audiences.addAll(audiences);
        b.path = path;
        return b;
    }

    @Override
    public String toString() {
        return "AuthenticationRequest{headers=" + headers.keySet() + ", peerCertificates=" + peerCertificates.size()
                + ", audiences=" + audiences + "}";
    }

    /** Builds {@link AuthenticationRequest}s. Not thread-safe. */
    public static final class Builder {
        private final Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        private final List<X509Certificate> peerCertificates = new ArrayList<>();
        private final List<String> audiences = new ArrayList<>();
        private String path = "";

        private Builder() {
        }

        /**
         * Sets the request path: percent-decoded, without the query and not normalised (Go's {@code URL.Path}),
         * so that anonymous conditions match as Kubernetes' do. Null means unknown, as empty does.
         *
         * @param requestPath the decoded path, or null for unknown
         * @return this builder
         */
        public Builder path(String requestPath) {
            this.path = requestPath == null ? "" : requestPath;
            return this;
        }

        /**
         * Adds a value to header {@code name}; earlier values stay first.
         *
         * @param name the header name, any case
         * @param value the value
         * @return this builder
         */
        public Builder header(String name, String value) {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(value, "value");
            headers.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
            return this;
        }

        /**
         * Removes every value of header {@code name}.
         *
         * @param name the header name, any case
         * @return this builder
         */
        public Builder removeHeader(String name) {
            headers.remove(name);
            return this;
        }

        /**
         * Sets the TLS peer chain as presented by the client.
         *
         * @param chain the certificates, leaf first as presented
         * @return this builder
         */
        public Builder peerCertificates(List<X509Certificate> chain) {
            peerCertificates.clear();
            for (X509Certificate c : chain) {
                peerCertificates.add(Objects.requireNonNull(c, "certificate"));
            }
            return this;
        }

        /**
         * Sets the requested audiences.
         *
         * @param requested the audiences, in order
         * @return this builder
         */
        public Builder audiences(List<String> requested) {
            audiences.clear();
            for (String a : requested) {
                audiences.add(Objects.requireNonNull(a, "audience"));
            }
            return this;
        }

        /**
         * Builds the immutable request.
         *
         * @return the request
         */
        public AuthenticationRequest build() {
            return new AuthenticationRequest(this);
        }
    }
}
