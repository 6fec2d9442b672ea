package io.gatehouse.examples.adversarial;

import io.gatehouse.core.AuthenticationRequest;
import io.gatehouse.examples.adversarial.World.Credential;
import io.gatehouse.testing.TestPki;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * Near-valid credentials: a valid credential of the {@link World} with one thing changed. A mutation of a
 * token's text or a certificate's bytes needs no key; a claim or header mutation is re-signed with the
 * issuer's own key so that it reaches the claim checks; a {@code forged} case is signed by the attacker and
 * must never authenticate at all.
 */
final class Mutations {

    /** A hostile request derived from {@code original}; {@code toString} names the mutation, never the credential. */
    record Case(Credential original, String mutation, boolean forged, AuthenticationRequest request, Boolean exactly) {
        Case(Credential original, String mutation, boolean forged, AuthenticationRequest request) {
            this(original, mutation, forged, request, null);
        }

        /**
         * Whether the issuer re-signed the claims with a JSON null in place of one: Kubernetes decodes null into
         * an empty string, so an empty username or uid is then the issuer's statement (reference test #82).
         */
        boolean issuerSignedNull() {
            return mutation.startsWith("claim ") && mutation.endsWith(" as null");
        }

        @Override
        public String toString() {
            return original + " / " + mutation + (forged ? " (forged)" : "");
        }
    }

    private static final String CHARS = "ABCXYZabcxyz0189-_.=+/ \t\r\n\u0000\u00a0\u00e9\u212a\"'\\{}%*";
    private static final int NEST = 20;

    private Mutations() {
    }

    static Arbitrary<Case> cases(World world) {
        return Arbitraries.of(world.credentials).flatMap(c -> switch (c.kind()) {
            case X509 -> Arbitraries.oneOf(certificateMutations(world, c), headerVariants(c));
            case STATIC, BOOTSTRAP -> Arbitraries.oneOf(tokenText(c), headerVariants(c));
            case SERVICE_ACCOUNT, OIDC -> Arbitraries.oneOf(tokenText(c), headerVariants(c), claims(world, c),
                    kidInjection(c), forgeries(world, c));
        });
    }

    // ---- token text -------------------------------------------------------------------------------------

    private static Arbitrary<Case> tokenText(Credential c) {
        Arbitrary<Integer> at = Arbitraries.integers().between(0, 100_000);
        Arbitrary<Character> ch = Arbitraries.of(CHARS.chars().mapToObj(i -> (char) i).toList());
        Arbitrary<Edit> edit = Arbitraries.oneOf(
                Combinators.combine(at, ch).as((i, x) -> new Edit("replace char", s -> replace(s, i, x))),
                at.map(i -> new Edit("delete char", s -> s.isEmpty() ? s : s.substring(0, i % s.length()) + s.substring(i % s.length() + 1))),
                Combinators.combine(at, ch).as((i, x) -> new Edit("insert char", s -> s.substring(0, i % (s.length() + 1)) + x + s.substring(i % (s.length() + 1)))),
                at.map(i -> new Edit("flip case", s -> flipCase(s, i))),
                at.map(i -> new Edit("truncate", s -> s.substring(0, i % Math.max(1, s.length())))),
                at.map(i -> new Edit("bit flip in decoded segment", s -> bitFlip(s, i))),
                Arbitraries.of(
                        new Edit("empty", s -> ""),
                        new Edit("extra segment", s -> s + ".e30"),
                        new Edit("trailing dot", s -> s + "."),
                        new Edit("leading dot", s -> "." + s),
                        new Edit("drop signature", s -> s.contains(".") ? s.substring(0, s.lastIndexOf('.') + 1) : s + "."),
                        new Edit("swap header and payload", Mutations::swapFirstTwo),
                        new Edit("base64 padding", s -> s.replace(".", "=.") + "=="),
                        new Edit("standard base64 alphabet", s -> s.replace('-', '+').replace('_', '/')),
                        new Edit("upper case", s -> s.toUpperCase(java.util.Locale.ROOT)),
                        new Edit("doubled", s -> s + s),
                        new Edit("huge", s -> s + "A".repeat(70_000)),
                        new Edit("many dots", s -> s + ".".repeat(5_000)),
                        new Edit("JSON serialization", s -> "{\"payload\":\"" + s + "\"}")));
        return edit.map(e -> new Case(c, e.name(), false, bearer(e.apply(c.token()))));
    }

    private record Edit(String name, UnaryOperator<String> f) {
        String apply(String s) {
            return f.apply(s);
        }
    }

    private static String replace(String s, int i, char x) {
        if (s.isEmpty()) {
            return String.valueOf(x);
        }
        int at = i % s.length();
        return s.substring(0, at) + x + s.substring(at + 1);
    }

    private static String flipCase(String s, int i) {
        if (s.isEmpty()) {
            return s;
        }
        int at = i % s.length();
        char c = s.charAt(at);
        char f = Character.isUpperCase(c) ? Character.toLowerCase(c) : Character.toUpperCase(c);
        return s.substring(0, at) + f + s.substring(at + 1);
    }

    /** Decodes one base64url segment, flips one bit, encodes it back: a byte-level change that keeps the shape. */
    private static String bitFlip(String s, int i) {
        String[] parts = s.split("\\.", -1);
        int seg = i % parts.length;
        byte[] raw;
        try {
            raw = Base64.getUrlDecoder().decode(parts[seg]);
        } catch (IllegalArgumentException e) {
            return s;
        }
        if (raw.length == 0) {
            return s;
        }
        raw[(i / parts.length) % raw.length] ^= (byte) (1 << (i % 8));
        parts[seg] = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
        return String.join(".", parts);
    }

    private static String swapFirstTwo(String s) {
        String[] p = s.split("\\.", -1);
        if (p.length < 2) {
            return s;
        }
        String t = p[0];
        p[0] = p[1];
        p[1] = t;
        return String.join(".", p);
    }

    // ---- the Authorization header -------------------------------------------------------------------------

    static Arbitrary<Case> headerVariants(Credential c) {
        Arbitrary<String> scheme = Arbitraries.of("Bearer", "bearer", "BEARER", "bEaReR", "Bearer:", "Basic", "Token",
                "", "Bearer\u00a0", "B\u00e9arer", "Bearer\t");
        Arbitrary<String> gap = Arbitraries.of(" ", "  ", "\t", "\u00a0", "", " \t", "\u2003");
        Arbitrary<String> lead = Arbitraries.of("", " ", "\t", "\r\n", "\u000b", "\u0085", "\u00a0", "\u3000", "\u200b",
                "\u001c", "\ufeff");
        Arbitrary<String> tail = Arbitraries.of("", " ", "\t", " extra", ",Bearer x", "\u0000", "\r\n", "\u2028", "\u00a0",
                "\u001f", "  two spaces", "\u180e");
        return Combinators.combine(scheme, gap, lead, tail, Arbitraries.integers().between(0, 2)).as((s, g, l, t, shape) -> {
            String value = l + s + g + (c.token() == null ? "tok" : c.token()) + t;
            AuthenticationRequest.Builder b = AuthenticationRequest.builder().peerCertificates(c.chain());
            String name = switch (shape) {
                case 0 -> "Authorization";
                case 1 -> "authorization";
                default -> "AUTHORIZATION";
            };
            b.header(name, value);
            if (shape == 2) {
                b.header("Authorization", "Bearer " + (c.token() == null ? "x" : c.token()));
            }
            // Kubernetes' bearer rule decides exactly whether the original token is what gets judged.
            Boolean exactly = c.token() == null ? null : c.token().equals(goBearerToken(value));
            return new Case(c, "header " + visible(l) + "|" + visible(s) + "|" + visible(g) + "|<token>|" + visible(t)
                    + " as " + name, false, b.build(), exactly);
        });
    }

    /**
     * The token Kubernetes' {@code request/bearertoken} takes from a header value, written from its Go source:
     * {@code strings.TrimSpace}, {@code strings.SplitN(auth, " ", 3)}, {@code strings.ToLower(parts[0]) == "bearer"};
     * null when it would not judge a token.
     */
    static String goBearerToken(String header) {
        int from = 0;
        int to = header.length();
        while (from < to && goIsSpace(header.charAt(from))) {
            from++;
        }
        while (to > from && goIsSpace(header.charAt(to - 1))) {
            to--;
        }
        String[] parts = header.substring(from, to).split(" ", 3);
        if (parts.length < 2 || !parts[0].toLowerCase(java.util.Locale.ROOT).equals("bearer") || parts[1].isEmpty()) {
            return null;
        }
        return parts[1];
    }

    /** Go's {@code unicode.IsSpace}: Latin-1 spaces, NEL and NBSP, and the Unicode White_Space characters. */
    private static boolean goIsSpace(char c) {
        return c == ' ' || (c >= '\t' && c <= '\r') || c == '\u0085' || c == '\u00a0' || c == '\u1680'
                || (c >= '\u2000' && c <= '\u200a') || c == '\u2028' || c == '\u2029' || c == '\u202f'
                || c == '\u205f' || c == '\u3000';
    }

    static String visible(String s) {
        StringBuilder b = new StringBuilder();
        for (char ch : s.toCharArray()) {
            b.append(ch >= 0x21 && ch < 0x7f ? String.valueOf(ch) : String.format("\\u%04x", (int) ch));
        }
        return b.toString();
    }

    // ---- claims and headers, re-signed with the issuer's key ----------------------------------------------

    private static Arbitrary<Case> claims(World world, Credential c) {
        Arbitrary<Boolean> inHeader = Arbitraries.of(false, false, true);
        Arbitrary<Integer> which = Arbitraries.integers().between(0, 50);
        Arbitrary<String> op = Arbitraries.of("string", "array", "object", "number", "huge", "overflow", "negative",
                "fraction", "null", "bool", "remove", "nest", "nest-deep", "duplicate");
        return Combinators.combine(inHeader, which, op).as((h, w, o) -> {
            String header = Jws.segment(c.token(), 0);
            String payload = Jws.segment(c.token(), 1);
            Map<String, Object> json = Jws.json(h ? header : payload);
            List<String> keys = new ArrayList<>(json.keySet());
            String key = keys.get(w % keys.size());
            String text = confuse(json, key, o);
            String token = h ? Jws.sign(text, payload, c.signer()) : Jws.sign(header, text, c.signer());
            return new Case(c, (h ? "header " : "claim ") + key + " as " + o, false, bearer(token));
        });
    }

    /** The jwt_tool kid playbook and key-id confusions, signed by the issuer's own key: a kid is only a map key. */
    private static Arbitrary<Case> kidInjection(Credential c) {
        String payload = Jws.segment(c.token(), 1);
        Map<String, Object> header = Jws.json(Jws.segment(c.token(), 0));
        return Arbitraries.of("", "../../../../../../dev/null", "/dev/null", "x' UNION SELECT '1';--", "|sleep 10",
                "k".repeat(10_000), "rsa-1\u0000", "RSA-1", "ec-1", "rsa-1", "%00", "${jndi:ldap://127.0.0.1:1/a}", "<absent>")
                .map(kid -> {
                    Map<String, Object> h = new java.util.LinkedHashMap<>(header);
                    if (kid.equals("<absent>")) {
                        h.remove("kid");
                    } else {
                        h.put("kid", kid);
                    }
                    return new Case(c, "kid " + visible(kid.length() > 40 ? kid.substring(0, 10) + "...(" + kid.length() + ")" : kid),
                            false, bearer(Jws.sign(Jws.write(h), payload, c.signer())));
                });
    }

    /** {@code json} with member {@code key} replaced by a value of another type, as raw JSON text. */
    private static String confuse(Map<String, Object> json, String key, String op) {
        Object v = json.get(key);
        String raw = switch (op) {
            // A string stays the same string: a re-signed token whose identity text changed is legitimately someone else.
            case "string" -> v instanceof String s ? quoted(s) : quoted(String.valueOf(v));
            case "array" -> "[" + Jws.write(Map.of("v", v)).replaceFirst("^\\{\"v\":", "").replaceFirst("}$", "") + "]";
            case "object" -> Jws.write(Map.of("v", v));
            case "number" -> "12345";
            case "huge" -> "1e400";
            case "overflow" -> "92233720368547758070";
            case "negative" -> "-1";
            case "fraction" -> "0.5";
            case "null" -> "null";
            case "bool" -> "true";
            case "nest" -> "[".repeat(NEST) + "1" + "]".repeat(NEST);
            case "nest-deep" -> "[".repeat(5_000) + "]".repeat(5_000);
            default -> null;
        };
        if (op.equals("remove")) {
            Map<String, Object> copy = new java.util.LinkedHashMap<>(json);
            copy.remove(key);
            return Jws.write(copy);
        }
        if (op.equals("duplicate")) {
            // The same member twice: a first-wins parser would see "mallory", a last-wins one the original.
            String rest = Jws.write(json);
            return "{" + quoted(key) + ":" + quoted("mallory") + "," + rest.substring(1);
        }
        Map<String, Object> copy = new java.util.LinkedHashMap<>(json);
        copy.put(key, "__RAW__");
        return Jws.write(copy).replace("\"__RAW__\"", raw);
    }

    private static String quoted(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    // ---- forgeries: signed by someone else, must never authenticate ------------------------------------

    private static Arbitrary<Case> forgeries(World world, Credential c) {
        String header = Jws.segment(c.token(), 0);
        String payload = Jws.segment(c.token(), 1);
        String subject = c.user().name().substring(c.user().name().lastIndexOf(':') + 1);
        String forgedPayload = payload.replace(subject, "mallory");
        PrivateKey attacker = world.attacker.getPrivate();
        java.security.interfaces.ECPublicKey attackerPub = (java.security.interfaces.ECPublicKey) world.attacker.getPublic();
        String jwk = new com.nimbusds.jose.jwk.ECKey.Builder(com.nimbusds.jose.jwk.Curve.P_256, attackerPub).build().toJSONString();
        Map<String, Object> h = Jws.json(header);
        String kid = String.valueOf(h.get("kid"));
        List<Case> list = new ArrayList<>();
        list.add(forged(c, "attacker key, same kid", Jws.sign(header.replace("RS256", "ES256"), forgedPayload, attacker)));
        list.add(forged(c, "attacker key, no kid", Jws.sign("{\"alg\":\"ES256\"}", forgedPayload, attacker)));
        list.add(forged(c, "embedded jwk", Jws.sign("{\"alg\":\"ES256\",\"jwk\":" + jwk + "}", forgedPayload, attacker)));
        list.add(forged(c, "jku", Jws.sign("{\"alg\":\"ES256\",\"kid\":\"" + kid + "\",\"jku\":\"https://127.0.0.1:1/jwks\"}",
                forgedPayload, attacker)));
        list.add(forged(c, "x5c", Jws.sign("{\"alg\":\"ES256\",\"x5c\":[\"" + Base64.getEncoder().encodeToString(
                encoded(world.attackerCa.cert())) + "\"]}", forgedPayload, attacker)));
        for (String none : List.of("none", "None", "NONE", "nOnE")) {
            list.add(forged(c, "alg " + none, Jws.b64("{\"alg\":\"" + none + "\"}") + "." + Jws.b64(forgedPayload) + "."));
        }
        list.add(forged(c, "HS256 with the public key", hmac(header, forgedPayload, c)));
        list.add(forged(c, "original signature on forged payload",
                Jws.b64(header) + "." + Jws.b64(forgedPayload) + "." + c.token().substring(c.token().lastIndexOf('.') + 1)));
        list.add(forged(c, "crit unknown", Jws.sign(header.replace("{", "{\"crit\":[\"exp\"],"), forgedPayload, attacker)));
        return Arbitraries.of(list);
    }

    private static String hmac(String header, String payload, Credential c) {
        String h = Jws.json(header).get("kid") == null ? "{\"alg\":\"HS256\"}"
                : "{\"alg\":\"HS256\",\"kid\":\"" + Jws.json(header).get("kid") + "\"}";
        String input = Jws.b64(h) + "." + Jws.b64(payload);
        try {
            // The verifier's own public key (SPKI bytes) as the HMAC secret: the key-confusion attack.
            java.security.PublicKey pub = publicKeyOf(c);
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(pub.getEncoded(), "HmacSHA256"));
            return input + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(
                    mac.doFinal(input.getBytes(StandardCharsets.US_ASCII)));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static java.security.PublicKey publicKeyOf(Credential c) {
        World w = World.shared();
        if (c.signer() == w.saKeys.getPrivate()) {
            return w.saKeys.getPublic();
        }
        return c.signer() == w.oidcRsa.getPrivate() ? w.oidcRsa.getPublic() : w.oidcEc.getPublic();
    }

    private static Case forged(Credential c, String name, String token) {
        return new Case(c, name, true, bearer(token));
    }

    // ---- certificate chains --------------------------------------------------------------------------------

    private static Arbitrary<Case> certificateMutations(World world, Credential c) {
        Arbitrary<Integer> at = Arbitraries.integers().between(0, 100_000);
        byte[] leaf = encoded(c.chain().get(0));
        List<X509Certificate> rest = c.chain().subList(1, c.chain().size());
        Arbitrary<Case> byteFlip = Combinators.combine(at, Arbitraries.integers().between(1, 255)).as((i, x) -> {
            byte[] d = leaf.clone();
            d[i % d.length] ^= x.byteValue();
            return chainCase(c, "leaf byte " + (i % d.length) + " ^ " + x, false, prepend(new RawCertificate(d), rest));
        });
        Arbitrary<Case> truncate = at.map(i -> chainCase(c, "leaf truncated", false,
                prepend(new RawCertificate(java.util.Arrays.copyOf(leaf, i % leaf.length)), rest)));
        Arbitrary<Case> extend = at.map(i -> {
            byte[] d = java.util.Arrays.copyOf(leaf, leaf.length + 1 + i % 64);
            return chainCase(c, "leaf with trailing bytes", false, prepend(new RawCertificate(d), rest));
        });
        TestPki.Issued impostor = TestPki.client(world.attackerCa, "mallory", List.of("system:masters"), world.clock.instant());
        TestPki.Issued sameName = TestPki.client(world.attackerCa, c.user().name(), List.of("system:masters"), world.clock.instant());
        List<Case> fixed = new ArrayList<>();
        // The leaf stays first (presenting another certificate first is presenting another credential, whose
        // key a TLS client would need); what follows it may come in any order, as Go's path building allows.
        List<X509Certificate> shuffled = new ArrayList<>(c.chain().subList(1, c.chain().size()));
        shuffled.add(world.ca.cert());
        Collections.reverse(shuffled);
        fixed.add(chainCase(c, "anchor and intermediates reversed", false, prepend(c.chain().get(0), shuffled)));
        fixed.add(chainCase(c, "leaf twice", false, prepend(c.chain().get(0), c.chain())));
        List<X509Certificate> withAnchor = new ArrayList<>(c.chain());
        withAnchor.add(world.ca.cert());
        fixed.add(chainCase(c, "trust anchor appended", false, withAnchor));
        List<X509Certificate> withForeign = new ArrayList<>(c.chain());
        withForeign.add(world.attackerCa.cert());
        fixed.add(chainCase(c, "foreign CA of the same name appended", false, withForeign));
        fixed.add(chainCase(c, "forged leaf from a same-named CA", true, List.of(impostor.cert(), world.attackerCa.cert())));
        fixed.add(chainCase(c, "forged leaf with the user's name", true, List.of(sameName.cert(), world.attackerCa.cert())));
        fixed.add(chainCase(c, "forged leaf with the real intermediate", true,
                List.of(impostor.cert(), world.intermediate.cert())));
        List<X509Certificate> tooMany = new ArrayList<>(c.chain());
        for (int i = 0; i < 12; i++) {
            tooMany.add(new RawCertificate(extendBy(leaf, i + 1)));
        }
        fixed.add(chainCase(c, "thirteen certificates", false, tooMany));
        fixed.add(chainCase(c, "oversized certificate", false, prepend(new RawCertificate(new byte[70_000]), rest)));
        fixed.add(chainCase(c, "empty encoding", false, prepend(new RawCertificate(new byte[0]), rest)));
        return Arbitraries.oneOf(byteFlip, truncate, extend, Arbitraries.of(fixed));
    }

    private static byte[] extendBy(byte[] d, int n) {
        return java.util.Arrays.copyOf(d, d.length + n);
    }

    private static List<X509Certificate> prepend(X509Certificate first, List<X509Certificate> rest) {
        List<X509Certificate> l = new ArrayList<>();
        l.add(first);
        l.addAll(rest);
        return l;
    }

    private static Case chainCase(Credential c, String name, boolean forged, List<X509Certificate> chain) {
        return new Case(c, name, forged, AuthenticationRequest.builder().peerCertificates(chain).build());
    }

    static byte[] encoded(X509Certificate c) {
        try {
            return c.getEncoded();
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static AuthenticationRequest bearer(String token) {
        return AuthenticationRequest.builder().header("Authorization", "Bearer " + token).build();
    }
}
