package io.gatehouse.x509;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gatehouse.core.AuthenticationRequest;
import io.gatehouse.core.AuthenticationResult;
import io.gatehouse.core.AuthenticationResult.Authenticated;
import io.gatehouse.core.UserInfo;
import io.gatehouse.core.testing.MutableClock;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * The x509-limbo path-validation cases that apply to client certificates, run through
 * {@link X509Authenticator} (the same verifier, EKU rule and CRL checks as production; the user mapping is
 * replaced by one that accepts any subject, since limbo tests paths, not names).
 *
 * <p>Skipped, by class and with the reason printed: Web PKI (CA/Browser Forum) profile rules, hostname and
 * SAN matching, and limbo's opt-in pedantic features. Every other case must agree with limbo's expected
 * result, except the divergences listed in {@link #KNOWN_DIVERGENCES} with their reasons; a new
 * disagreement, or a listed one that starts to agree, fails the test. The pass count is printed.
 */
class LimboTest {

    /** Cases where this library deliberately or knowingly differs from limbo, with why. */
    static final Map<String, String> KNOWN_DIVERGENCES = new LinkedHashMap<>();

    static {
        String goAndJdk = "Go and the JDK accept it too; kept for Kubernetes parity";
        KNOWN_DIVERGENCES.put("rfc5280::aki::leaf-missing-aki", "RFC 5280 profile rule for issuers (AKI presence); " + goAndJdk);
        KNOWN_DIVERGENCES.put("rfc5280::aki::intermediate-missing-aki", "RFC 5280 profile rule for issuers (AKI presence); " + goAndJdk);
        KNOWN_DIVERGENCES.put("rfc5280::ski::root-missing-ski", "RFC 5280 profile rule for CAs (SKI presence); " + goAndJdk);
        KNOWN_DIVERGENCES.put("rfc5280::ski::intermediate-missing-ski", "RFC 5280 profile rule for CAs (SKI presence); " + goAndJdk);
        KNOWN_DIVERGENCES.put("rfc5280::nc::permitted-dns-match-noncritical",
                "a non-critical NameConstraints extension is still enforced, not refused; " + goAndJdk);
        KNOWN_DIVERGENCES.put("rfc5280::nc::invalid-dnsname-leading-period",
                "a dNSName constraint with a leading period means 'subdomains only' to Go and OpenSSL; " + goAndJdk);
        KNOWN_DIVERGENCES.put("rfc5280::nc::not-allowed-in-ee-noncritical",
                "NameConstraints in an end-entity certificate constrain nothing and are ignored; " + goAndJdk);
        KNOWN_DIVERGENCES.put("rfc5280::nc::not-allowed-in-ee-critical",
                "NameConstraints in an end-entity certificate constrain nothing and are ignored; " + goAndJdk);
        KNOWN_DIVERGENCES.put("rfc5280::pc::ica-noncritical-pc", "a non-critical policyConstraints extension; " + goAndJdk);
        KNOWN_DIVERGENCES.put("rfc5280::root-non-critical-basic-constraints",
                "a root whose basicConstraints is not critical; " + goAndJdk);
        KNOWN_DIVERGENCES.put("rfc5280::leaf-ku-keycertsign", "a leaf asserting keyCertSign without cA; " + goAndJdk);
        KNOWN_DIVERGENCES.put("rfc5280::validity::notafter-fractional",
                "limbo calls it ambiguous; Go and the JDK compare at full precision, so 5 ms after notAfter is expired");
        KNOWN_DIVERGENCES.put("rfc5280::nc::nc-forbids-alternate-chain-ica",
                "the JDK's validator checks the subject CN of a certificate without DNS SANs against dNSName constraints "
                        + "(a legacy hostname rule Go dropped), so the alternate intermediate CN=an-intermediate fails them");
    }

    record Verdict(String id, String kind, String expected, String actual, String detail) {
    }

    @Test
    void limboClientAndPathValidationCases() throws Exception {
        List<Map<String, Object>> cases = cases();

        Map<String, List<String>> skipped = new TreeMap<>();
        List<Verdict> agree = new ArrayList<>();
        List<Verdict> disagree = new ArrayList<>();
        for (Map<String, Object> c : cases) {
            String id = (String) c.get("id");
            String only = System.getProperty("limbo.only");
            if (only != null && !only.equals(id)) {
                continue;
            }
            String skip = skipReason(c);
            if (skip != null) {
                skipped.computeIfAbsent(skip, k -> new ArrayList<>()).add(id);
                continue;
            }
            Verdict v = run(c);
            (v.expected().equals(v.actual()) ? agree : disagree).add(v);
        }
        int run = agree.size() + disagree.size();
        int skippedCount = skipped.values().stream().mapToInt(List::size).sum();
        System.out.println("x509-limbo: " + cases.size() + " cases, " + run + " run, " + agree.size() + " agree with limbo, "
                + disagree.size() + " disagree (" + KNOWN_DIVERGENCES.size() + " known), " + skippedCount + " skipped");
        long clientRun = agree.stream().filter(v -> v.kind().equals("CLIENT")).count()
                + disagree.stream().filter(v -> v.kind().equals("CLIENT")).count();
        long clientAgree = agree.stream().filter(v -> v.kind().equals("CLIENT")).count();
        System.out.println("x509-limbo CLIENT cases: " + clientAgree + " of " + clientRun + " agree");
        skipped.forEach((reason, ids) -> System.out.println("x509-limbo skipped (" + reason + "): " + String.join(", ", ids)));
        List<String> unexpected = new ArrayList<>();
        for (Verdict v : disagree) {
            String known = KNOWN_DIVERGENCES.get(v.id());
            System.out.println("x509-limbo DISAGREE " + v.id() + " expected=" + v.expected() + " got=" + v.actual()
                    + (known != null ? " [known: " + known + "]" : "") + " " + v.detail());
            if (known == null) {
                unexpected.add(v.id());
            }
        }
        List<String> fixed = new ArrayList<>();
        for (Verdict v : agree) {
            if (KNOWN_DIVERGENCES.containsKey(v.id())) {
                fixed.add(v.id());
            }
        }
        assertEquals(List.of(), unexpected, "new disagreements with x509-limbo");
        assertEquals(List.of(), fixed, "known divergences that now agree: remove them from KNOWN_DIVERGENCES");
    }

    /** Every test case of the corpus file. */
    static List<Map<String, Object>> cases() throws java.io.IOException {
        Path file = Fixtures.corpora().resolve("x509-limbo/limbo-regenerated-8a2e6f4-no-bettertls.json");
        assertTrue(Files.isRegularFile(file), "missing " + file);
        String json = Files.readString(file);
        LoadSettings settings = LoadSettings.builder().setCodePointLimit(json.length() + 1).build();
        @SuppressWarnings("unchecked")
        Map<String, Object> root = (Map<String, Object>) new Load(settings).loadFromString(json);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> cases = (List<Map<String, Object>>) root.get("testcases");
        return cases;
    }

    /** Why a case does not apply to client-certificate path validation, or null when it does. */
    static String skipReason(Map<String, Object> c) {
        String id = (String) c.get("id");
        @SuppressWarnings("unchecked")
        List<String> features = (List<String>) c.get("features");
        if (id.startsWith("webpki::")) {
            return "Web PKI (CA/Browser Forum) profile rules, not RFC 5280 client-certificate validation";
        }
        if (id.startsWith("rfc5280::san::") || id.equals("rfc5280::ca-as-leaf-wrong-san")) {
            return "hostname and SAN matching: client certificates are mapped from the subject, the peer name is not checked";
        }
        for (String f : features) {
            if (f.startsWith("pedantic-")) {
                return "limbo's opt-in pedantic feature " + f;
            }
        }
        return null;
    }

    static Verdict run(Map<String, Object> c) {
        return run(c, null);
    }

    /**
     * Runs one case; {@code directPath} null: the authenticator's default, else forces {@link DirectPath} on
     * or off. The verdict's detail is the result's text followed by {@code DIRECT=<paths accepted directly>}.
     */
    static Verdict run(Map<String, Object> c, Boolean directPath) {
        String id = (String) c.get("id");
        String kind = (String) c.get("validation_kind");
        String expected = (String) c.get("expected_result");
        try {
            List<X509Certificate> trusted = new ArrayList<>();
            for (Object pem : (List<?>) c.get("trusted_certs")) {
                trusted.add(Fixtures.fromPem((String) pem));
            }
            List<X509Certificate> presented = new ArrayList<>();
            presented.add(Fixtures.fromPem((String) c.get("peer_certificate")));
            for (Object pem : (List<?>) c.get("untrusted_intermediates")) {
                presented.add(Fixtures.fromPem((String) pem));
            }
            List<X509CRL> crls = new ArrayList<>();
            for (Object pem : (List<?>) c.get("crls")) {
                crls.add((X509CRL) Certificates.factory().generateCRL(
                        new ByteArrayInputStream(((String) pem).getBytes(StandardCharsets.US_ASCII))));
            }
            List<String> ekus = new ArrayList<>();
            for (Object e : (List<?>) c.get("extended_key_usage")) {
                ekus.add(ekuOid((String) e));
            }
            Object time = c.get("validation_time");
            Instant at = time == null ? Instant.now() : OffsetDateTime.parse((String) time).toInstant();
            Object depth = c.get("max_chain_depth");
            X509Authenticator.Builder b = X509Authenticator.builder()
                    .trustAnchors(trusted)
                    .crls(crls)
                    .requiredExtendedKeyUsages(ekus)
                    .clock(new MutableClock(at))
                    .maxChainLength(Math.max(X509Authenticator.DEFAULT_MAX_CHAIN_LENGTH, presented.size()))
                    .userConversion(chain -> Authenticated.of(UserInfo.of("limbo", "")));
            if (depth instanceof Integer d) {
                b.maxIntermediates(d);
            }
            if (directPath != null) {
                b.directPath(directPath);
            }
            AuthenticationResult r;
            long direct;
            try (X509Authenticator a = b.build()) {
                r = a.authenticate(AuthenticationRequest.builder().peerCertificates(presented).build());
                direct = a.directlyAcceptedPaths();
            }
            String actual = r instanceof Authenticated ? "SUCCESS" : "FAILURE";
            return new Verdict(id, kind, expected, actual, r + " DIRECT=" + direct);
        } catch (IllegalArgumentException e) {
            // A CRL or anchor the library refuses to load: the verifier fails closed.
            return new Verdict(id, kind, expected, "FAILURE", "refused at build: " + e.getMessage());
        } catch (AssertionError e) {
            // The JDK cannot parse a certificate of the case; no TLS stack would hand it to an authenticator.
            return new Verdict(id, kind, expected, "FAILURE", "unparseable: " + e.getCause());
        } catch (Exception e) {
            return new Verdict(id, kind, expected, "FAILURE", "harness: " + e);
        }
    }

    static String ekuOid(String name) {
        return switch (name) {
            case "serverAuth" -> Certificates.EKU_SERVER_AUTH;
            case "clientAuth" -> Certificates.EKU_CLIENT_AUTH;
            case "anyExtendedKeyUsage" -> Certificates.EKU_ANY;
            case "codeSigning" -> "1.3.6.1.5.5.7.3.3";
            case "emailProtection" -> "1.3.6.1.5.5.7.3.4";
            case "timeStamping" -> "1.3.6.1.5.5.7.3.8";
            case "OCSPSigning" -> Certificates.EKU_OCSP_SIGNING;
            default -> name;
        };
    }
}
