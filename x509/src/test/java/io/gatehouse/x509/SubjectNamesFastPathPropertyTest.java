package io.gatehouse.x509;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.IOException;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERBMPString;
import org.bouncycastle.asn1.DERIA5String;
import org.bouncycastle.asn1.DERNumericString;
import org.bouncycastle.asn1.DERPrintableString;
import org.bouncycastle.asn1.DERT61String;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.x500.AttributeTypeAndValue;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;

/**
 * The subject reader's allocation-free path ({@link SubjectNames#ascii}) reads exactly what BouncyCastle's
 * parser reads ({@link SubjectNames#parsed}) wherever it answers at all: over generated names (every string
 * type Go accepts and some it does not, ASCII and not, multi-valued RDNs, common and arbitrary OIDs) and over
 * the same names with a byte changed, truncated or extended.
 */
class SubjectNamesFastPathPropertyTest {

    record Ava(String oid, int type, String value) {
    }

    @Provide
    Arbitrary<Ava> avas() {
        Arbitrary<String> oids = Arbitraries.oneOf(
                Arbitraries.of("2.5.4.3", "2.5.4.10", "2.5.4.11", "2.5.4.6", CommonNameUserConversion.UID_OID,
                        "0.9.2342.19200300.100.1.1", "1.2.840.113549.1.9.1"),
                Combinators.combine(Arbitraries.integers().between(0, 2), Arbitraries.integers().between(0, 39),
                                Arbitraries.longs().between(0, 1L << 40))
                        .as((a, b, c) -> a + "." + b + "." + c));
        Arbitrary<String> values = Arbitraries.oneOf(
                Arbitraries.strings().ascii().ofMaxLength(40),
                Arbitraries.strings().alpha().numeric().withChars(" -:.").ofMaxLength(40),
                Arbitraries.strings().withCharRange('\u0020', '\u00ff').withCharRange('\u4e00', '\u4e20').ofMaxLength(12),
                Arbitraries.strings().numeric().ofMaxLength(10));
        return Combinators.combine(oids, Arbitraries.integers().between(0, 6), values).as(Ava::new);
    }

    @Provide
    Arbitrary<List<List<Ava>>> names() {
        return avas().list().ofMinSize(1).ofMaxSize(3).list().ofMaxSize(6);
    }

    @Property(tries = 1500)
    void theFastPathReadsWhatBouncyCastleReads(@ForAll("names") List<List<Ava>> name,
                                               @ForAll("mutations") int[] mutation) throws IOException {
        byte[] der = mutate(encode(name), mutation);
        SubjectNames fast = SubjectNames.ascii(der);
        Statistics.label("fast path answers").collect(fast != null);
        if (fast == null) {
            return;
        }
        SubjectNames parsed = SubjectNames.parsed(der);
        assertNotNull(parsed);
        assertEquals(parsed, fast);
    }

    @Provide
    Arbitrary<int[]> mutations() {
        // {kind, position, value}: 0 none (most), 1 change a byte, 2 truncate, 3 append a byte
        return Combinators.combine(Arbitraries.integers().between(0, 6), Arbitraries.integers().between(0, 10_000),
                Arbitraries.integers().between(0, 255)).as((k, p, v) -> new int[] {k, p, v});
    }

    private static byte[] mutate(byte[] der, int[] m) {
        if (der.length == 0) {
            return der;
        }
        int pos = m[1] % der.length;
        return switch (m[0]) {
            case 1 -> {
                byte[] c = der.clone();
                c[pos] = (byte) m[2];
                yield c;
            }
            case 2 -> java.util.Arrays.copyOf(der, pos);
            case 3 -> {
                byte[] c = java.util.Arrays.copyOf(der, der.length + 1);
                c[der.length] = (byte) m[2];
                yield c;
            }
            default -> der;
        };
    }

    private static byte[] encode(List<List<Ava>> name) throws IOException {
        RDN[] rdns = new RDN[name.size()];
        for (int i = 0; i < rdns.length; i++) {
            List<Ava> avas = name.get(i);
            AttributeTypeAndValue[] atvs = new AttributeTypeAndValue[avas.size()];
            for (int j = 0; j < atvs.length; j++) {
                Ava a = avas.get(j);
                atvs[j] = new AttributeTypeAndValue(new ASN1ObjectIdentifier(a.oid()), value(a));
            }
            rdns[i] = new RDN(atvs);
        }
        return new X500Name(rdns).getEncoded("DER");
    }

    private static ASN1Encodable value(Ava a) {
        String v = a.value();
        return switch (a.type()) {
            case 0 -> new DERUTF8String(v);
            case 1 -> new DERPrintableString(v);
            case 2 -> new DERIA5String(v);
            case 3 -> new DERNumericString(v);
            case 4 -> new DERT61String(v);
            case 5 -> new DERBMPString(v);
            default -> new ASN1ObjectIdentifier("1.2.3"); // not a string at all
        };
    }
}
