package io.gatehouse.examples.adversarial;

import com.nimbusds.jose.crypto.impl.ECDSA;
import com.nimbusds.jose.util.JSONObjectUtils;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.interfaces.ECPrivateKey;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Signs arbitrary header and payload text with the JCA, so that tests can produce validly signed tokens
 * whose JSON no well-behaved library would write (type confusion, duplicate members, deep nesting).
 */
final class Jws {

    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODE = Base64.getUrlDecoder();

    private Jws() {
    }

    /** RS256 for RSA keys, ES256 for P-256 keys, whatever the header says. */
    static String sign(String headerJson, String payloadJson, PrivateKey key) {
        String input = b64(headerJson) + "." + b64(payloadJson);
        try {
            byte[] sig;
            if (key instanceof ECPrivateKey) {
                Signature s = Signature.getInstance("SHA256withECDSA");
                s.initSign(key);
                s.update(input.getBytes(StandardCharsets.US_ASCII));
                sig = ECDSA.transcodeSignatureToConcat(s.sign(), 64);
            } else {
                Signature s = Signature.getInstance("SHA256withRSA");
                s.initSign(key);
                s.update(input.getBytes(StandardCharsets.US_ASCII));
                sig = s.sign();
            }
            return input + "." + B64.encodeToString(sig);
        } catch (GeneralSecurityException | com.nimbusds.jose.JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An ID token of {@code issuer} for audience {@code gatehouse}, valid for an hour; declared as a secret. */
    static String idToken(String issuer, String kid, java.security.KeyPair key, String subject) {
        long now = java.time.Instant.now().getEpochSecond();
        return io.gatehouse.core.testing.LogCapture.secret(sign(World.oidcHeader(kid, key.getPrivate()), "{\"iss\":\"" + issuer
                + "\",\"aud\":\"gatehouse\",\"sub\":\"" + subject + "\",\"iat\":" + now + ",\"exp\":" + (now + 3600) + "}",
                key.getPrivate()));
    }

    static String b64(String json) {
        return B64.encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    /** The decoded JSON text of segment {@code index} (0 header, 1 payload). */
    static String segment(String token, int index) {
        return new String(DECODE.decode(token.split("\\.")[index]), StandardCharsets.UTF_8);
    }

    static Map<String, Object> json(String text) {
        try {
            return new LinkedHashMap<>(JSONObjectUtils.parse(text));
        } catch (java.text.ParseException e) {
            throw new IllegalStateException(e);
        }
    }

    static String write(Map<String, Object> json) {
        return JSONObjectUtils.toJSONString(json);
    }
}
