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
        X500Name name;
        try {
            name = X500Name.getInstance(principal.getEncoded());
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
