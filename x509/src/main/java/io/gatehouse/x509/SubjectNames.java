package io.gatehouse.x509;

import java.util.ArrayList;
import java.util.List;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1BMPString;
import org.bouncycastle.asn1.ASN1IA5String;
import org.bouncycastle.asn1.ASN1NumericString;
import org.bouncycastle.asn1.ASN1PrintableString;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.ASN1T61String;
import org.bouncycastle.asn1.ASN1UTF8String;
import org.bouncycastle.asn1.x500.AttributeTypeAndValue;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;

/**
 * A subject name read as Go's {@code pkix.Name.FillFromRDNSequence} reads it: attributes in DER order, the
 * last CN wins, every O in order. Attributes are read from the encoding, never from an RFC 2253 string, so
 * escaped commas and multi-valued RDNs cannot confuse the mapping.
 *
 * @param commonName    the last CN in DER order; empty when there is none
 * @param organizations every O in DER order
 * @param attributes    every attribute in DER order, multi-valued RDNs flattened
 */
record SubjectNames(String commonName, List<String> organizations, List<Attribute> attributes) {

    static final String CN = "2.5.4.3";
    static final String O = "2.5.4.10";

    /**
     * One attribute.
     *
     * @param oid   its type
     * @param value its value as a string when it is one of the ASN.1 string types Go accepts (UTF8String,
     *              PrintableString, IA5String, T61String, NumericString, BMPString), otherwise null
     */
    record Attribute(String oid, String value) {
    }

    SubjectNames {
        organizations = List.copyOf(organizations);
        attributes = List.copyOf(attributes);
    }

    /**
     * Reads {@code principal}'s encoding.
     *
     * @throws IllegalArgumentException if the name is malformed, or a CN or O is not a string
     */
    static SubjectNames of(X500Principal principal) {
        return of(principal.getEncoded());
    }

    /**
     * Reads a Name's encoding.
     *
     * @throws IllegalArgumentException if the name is malformed, or a CN or O is not a string
     */
    static SubjectNames of(byte[] encodedName) {
        SubjectNames fast = ascii(encodedName);
        return fast != null ? fast : parsed(encodedName);
    }

    /**
     * The names of a well-formed DER Name whose attribute values are all UTF8String, PrintableString,
     * IA5String or NumericString of ASCII bytes, read without building ASN.1 objects; null for anything else,
     * which {@link #parsed} then reads. For these inputs every decoder reads the same characters, so the result
     * is what {@link #parsed} returns, at a fraction of the cost (the subject is read on every uncached
     * verification).
     */
    static SubjectNames ascii(byte[] der) {
        int[] name = RawNames.header(der, 0, der.length, 0x30);
        if (name == null || name[2] != der.length) {
            return null;
        }
        String cn = "";
        List<String> orgs = new ArrayList<>(2);
        List<Attribute> all = new ArrayList<>(4);
        int pos = name[1];
        while (pos < name[2]) {
            int[] rdn = RawNames.header(der, pos, name[2], 0x31);
            if (rdn == null || rdn[1] == rdn[2]) {
                return null;
            }
            int at = rdn[1];
            while (at < rdn[2]) {
                int[] ava = RawNames.header(der, at, rdn[2], 0x30);
                if (ava == null) {
                    return null;
                }
                int[] type = RawNames.header(der, ava[1], ava[2], 0x06);
                if (type == null) {
                    return null;
                }
                String oid = oid(der, type[1], type[2]);
                if (oid == null || type[2] >= ava[2]) {
                    return null;
                }
                int tag = der[type[2]] & 0xff;
                if (tag != 0x0C && tag != 0x13 && tag != 0x16 && tag != 0x12) {
                    return null;
                }
                int[] value = RawNames.header(der, type[2], ava[2], tag);
                if (value == null || value[2] != ava[2]) {
                    return null;
                }
                for (int i = value[1]; i < value[2]; i++) {
                    if (der[i] < 0) {
                        return null;
                    }
                }
                String v = new String(der, value[1], value[2] - value[1], java.nio.charset.StandardCharsets.US_ASCII);
                all.add(new Attribute(oid, v));
                if (oid.equals(CN)) {
                    cn = v;
                } else if (oid.equals(O)) {
                    orgs.add(v);
                }
                at = ava[2];
            }
            pos = rdn[2];
        }
        return new SubjectNames(cn, orgs, all);
    }

    /** The dotted form of a DER OBJECT IDENTIFIER's content; null when it is not minimally encoded or too large. */
    private static String oid(byte[] der, int from, int to) {
        if (from >= to || (der[to - 1] & 0x80) != 0) {
            return null;
        }
        StringBuilder sb = new StringBuilder(16);
        long arc = 0;
        boolean first = true;
        boolean start = true;
        for (int i = from; i < to; i++) {
            int b = der[i] & 0xff;
            if (start && b == 0x80) {
                return null; // a leading zero septet
            }
            start = false;
            if (arc > (Long.MAX_VALUE >> 8)) {
                return null;
            }
            arc = (arc << 7) | (b & 0x7f);
            if ((b & 0x80) == 0) {
                if (first) {
                    int top = arc < 40 ? 0 : arc < 80 ? 1 : 2;
                    sb.append(top).append('.').append(arc - 40L * top);
                    first = false;
                } else {
                    sb.append('.').append(arc);
                }
                arc = 0;
                start = true;
            }
        }
        return sb.toString();
    }

    /** Reads a Name with BouncyCastle's ASN.1 parser: every string type and every structure it accepts. */
    static SubjectNames parsed(byte[] encodedName) {
        X500Name name;
        try {
            name = X500Name.getInstance(encodedName);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("x509: malformed subject name");
        }
        String cn = "";
        List<String> orgs = new ArrayList<>();
        List<Attribute> all = new ArrayList<>();
        for (RDN rdn : name.getRDNs()) {
            for (AttributeTypeAndValue atv : rdn.getTypesAndValues()) {
                ASN1ObjectIdentifier type = atv.getType();
                String value = goString(atv.getValue());
                String oid = type.getId();
                all.add(new Attribute(oid, value));
                if (oid.equals(CN) || oid.equals(O)) {
                    if (value == null) {
                        throw new IllegalArgumentException("x509: subject attribute " + oid + " is not a string");
                    }
                    if (oid.equals(CN)) {
                        cn = value;
                    } else {
                        orgs.add(value);
                    }
                }
            }
        }
        return new SubjectNames(cn, orgs, all);
    }

    /** The value as Go's {@code parseASN1String} reads it, or null for any other type. */
    private static String goString(ASN1Encodable value) {
        if (value instanceof ASN1UTF8String || value instanceof ASN1PrintableString || value instanceof ASN1IA5String
                || value instanceof ASN1T61String || value instanceof ASN1NumericString || value instanceof ASN1BMPString) {
            return ((ASN1String) value).getString();
        }
        return null;
    }

    /** The values of attribute {@code oid}, in DER order; a non-string value is a null element. */
    List<String> values(String oid) {
        List<String> out = new ArrayList<>();
        for (Attribute a : attributes) {
            if (a.oid().equals(oid)) {
                out.add(a.value());
            }
        }
        return out;
    }
}
