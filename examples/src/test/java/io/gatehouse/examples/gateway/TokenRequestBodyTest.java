package io.gatehouse.examples.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/** TokenRequest bodies as kubectl sends them (protobuf) and as JSON clients do. */
class TokenRequestBodyTest {

    /**
     * Captured from {@code kubectl create token demo-builder --audience=aud1 --audience=aud2 --duration=20m
     * --bound-object-kind=Pod --bound-object-name=p1 --bound-object-uid=u-1} (kubectl v1.32).
     */
    static final byte[] KUBECTL = HexFormat.of().parseHex("6b3873000a280a1861757468656e7469636174696f6e2e6b38732e696f2f7631"
            + "120c546f6b656e52657175657374123d0a100a0012001a0022002a0032003800420012230a04617564310a04617564321a120a"
            + "03506f64120276311a0270312203752d3120b0091a040a0012001a002200");

    @Test
    void kubectlProtobuf() {
        TokenRequestBody b = TokenRequestBody.parse(KUBECTL, "application/vnd.kubernetes.protobuf");
        assertEquals(List.of("aud1", "aud2"), b.audiences());
        assertEquals(1200L, b.expirationSeconds());
        assertEquals(Map.of("kind", "Pod", "name", "p1", "uid", "u-1"), b.boundObjectRef());
    }

    @Test
    void json() {
        TokenRequestBody b = TokenRequestBody.parse(("{\"spec\":{\"audiences\":[\"a\"],\"expirationSeconds\":900,"
                + "\"boundObjectRef\":{\"kind\":\"Secret\",\"name\":\"s\",\"uid\":\"1\"}}}").getBytes(StandardCharsets.UTF_8),
                "application/json");
        assertEquals(List.of("a"), b.audiences());
        assertEquals(900L, b.expirationSeconds());
        assertEquals("Secret", b.boundObjectRef().get("kind"));
    }

    @Test
    void emptyBodyAsksForTheDefaults() {
        assertEquals(new TokenRequestBody(List.of(), null, Map.of()), TokenRequestBody.parse(new byte[0], null));
    }

    @Test
    void truncatedProtobufIsRefused() {
        byte[] cut = java.util.Arrays.copyOf(KUBECTL, 60);
        assertThrows(IllegalArgumentException.class, () -> TokenRequestBody.parse(cut, "application/vnd.kubernetes.protobuf"));
    }

    /** Any bytes after the magic give a body or an IllegalArgumentException, never anything else. */
    @Property(tries = 1000)
    void arbitraryProtobufNeverCrashes(@ForAll byte[] tail) {
        byte[] body = new byte[4 + tail.length];
        System.arraycopy(new byte[] {'k', '8', 's', 0}, 0, body, 0, 4);
        System.arraycopy(tail, 0, body, 4, tail.length);
        try {
            TokenRequestBody.parse(body, "application/vnd.kubernetes.protobuf");
        } catch (IllegalArgumentException expected) {
            // a refusal with a reason
        }
    }
}
