package io.gatehouse.oidc;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The named string formats of Kubernetes' CEL {@code library.Format} ({@code format.dns1123Label()},
 * {@code format.named("uuid")}, {@code <format>.validate(s)}), with apimachinery's validation messages: DNS-1123
 * labels and subdomains, DNS-1035 labels (each also as a prefix, where a trailing dash is allowed as Kubernetes masks
 * it), qualified names, label values, port names, and the OpenAPI formats {@code uri} (Go's
 * {@code url.ParseRequestURI}), {@code uuid}, {@code byte} (base64), {@code date} and {@code datetime} as
 * kube-openapi's strfmt checks them.
 */
final class KubernetesFormats {

    /**
     * One named format.
     *
     * @param name     the name {@code format.named} takes
     * @param validate the problems with a string, empty when it is valid
     */
    record Format(String name, Function<String, List<String>> validate) {
        @Override
        public String toString() {
            return "format." + name;
        }
    }

    private static final String DNS1123_LABEL_FMT = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
    private static final String DNS1123_LABEL_MSG = "a lowercase RFC 1123 label must consist of lower case alphanumeric "
            + "characters or '-', and must start and end with an alphanumeric character";
    private static final String DNS1123_SUBDOMAIN_FMT = DNS1123_LABEL_FMT + "(\\." + DNS1123_LABEL_FMT + ")*";
    private static final String DNS1123_SUBDOMAIN_MSG = "a lowercase RFC 1123 subdomain must consist of lower case "
            + "alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character";
    private static final String DNS1035_LABEL_FMT = "[a-z]([-a-z0-9]*[a-z0-9])?";
    private static final String DNS1035_LABEL_MSG = "a DNS-1035 label must consist of lower case alphanumeric characters "
            + "or '-', start with an alphabetic character, and end with an alphanumeric character";
    private static final String QUALIFIED_NAME_FMT = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]";
    private static final String QUALIFIED_NAME_MSG = "must consist of alphanumeric characters, '-', '_' or '.', and must "
            + "start and end with an alphanumeric character";
    private static final String LABEL_VALUE_FMT = "(" + QUALIFIED_NAME_FMT + ")?";
    private static final String LABEL_VALUE_MSG = "a valid label must be an empty string or consist of alphanumeric "
            + "characters, '-', '_' or '.', and must start and end with an alphanumeric character";

    private static final Pattern DNS1123_LABEL = Pattern.compile(DNS1123_LABEL_FMT);
    private static final Pattern DNS1123_SUBDOMAIN = Pattern.compile(DNS1123_SUBDOMAIN_FMT);
    private static final Pattern DNS1035_LABEL = Pattern.compile(DNS1035_LABEL_FMT);
    private static final Pattern QUALIFIED_NAME = Pattern.compile(QUALIFIED_NAME_FMT);
    private static final Pattern LABEL_VALUE = Pattern.compile(LABEL_VALUE_FMT);
    private static final Pattern PORT_NAME_CHARSET = Pattern.compile("[-a-z0-9]+");
    private static final Pattern ONE_LETTER = Pattern.compile("[a-z]");
    private static final Pattern UUID = Pattern.compile(
            "[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}");
    private static final Pattern BASE64 = Pattern.compile(
            "(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=|[A-Za-z0-9+/]{4})");
    private static final Pattern DATE = Pattern.compile("([0-9]{4})-([0-9]{2})-([0-9]{2})");
    private static final Pattern TIME = Pattern.compile(
            "([0-9]{2}):([0-9]{2}):([0-9]{2})([^\\n][0-9]+)?(z|([+-][0-9]{2}:[0-9]{2}))"); // [^\n]: Go's '.'

    /** Every named format, by the name {@code format.named} takes. */
    static final Map<String, Format> FORMATS;

    static {
        Map<String, Format> m = new LinkedHashMap<>();
        add(m, "dns1123Label", s -> dns1123Label(s));
        add(m, "dns1123Subdomain", s -> dns1123Subdomain(s));
        add(m, "dns1035Label", s -> dns1035Label(s));
        add(m, "qualifiedName", KubernetesFormats::qualifiedName);
        add(m, "portName", KubernetesFormats::portName);
        add(m, "dns1123LabelPrefix", s -> dns1123Label(maskTrailingDash(s)));
        add(m, "dns1123SubdomainPrefix", s -> dns1123Subdomain(maskTrailingDash(s)));
        add(m, "dns1035LabelPrefix", s -> dns1035Label(maskTrailingDash(s)));
        add(m, "labelValue", KubernetesFormats::labelValue);
        add(m, "uri", s -> {
            try {
                GoUrl.parseRequestUri(s);
                return List.of();
            } catch (GoUrl.UrlException e) {
                return List.of(e.getMessage());
            }
        });
        add(m, "uuid", s -> UUID.matcher(s).matches() ? List.of() : List.of("does not match the UUID format"));
        add(m, "byte", s -> BASE64.matcher(s).matches() ? List.of() : List.of("invalid base64"));
        add(m, "date", s -> isDate(s) ? List.of() : List.of("invalid date"));
        add(m, "datetime", s -> isDateTime(s) ? List.of() : List.of("invalid datetime"));
        FORMATS = Map.copyOf(m);
    }

    private static void add(Map<String, Format> m, String name, Function<String, List<String>> validate) {
        m.put(name, new Format(name, validate));
    }

    private KubernetesFormats() {
    }

    /**
     * apimachinery's {@code maskTrailingDash}, quirk included: the last two bytes become {@code a} (Go slices bytes; a
     * multi-byte character cut in two cannot pass any of these formats, in Go or here).
     */
    static String maskTrailingDash(String name) {
        byte[] b = name.getBytes(StandardCharsets.UTF_8);
        if (b.length > 1 && b[b.length - 1] == '-') {
            return new String(b, 0, b.length - 2, StandardCharsets.UTF_8) + "a";
        }
        return name;
    }

    /** Go's {@code len(s)}: UTF-8 bytes. */
    private static int len(String s) {
        int n = s.length();
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) >= 0x80) {
                return s.getBytes(StandardCharsets.UTF_8).length;
            }
        }
        return n;
    }

    static List<String> dns1123Label(String value) {
        List<String> errs = new ArrayList<>();
        if (len(value) > 63) {
            errs.add(maxLen(63));
        }
        if (!DNS1123_LABEL.matcher(value).matches()) {
            if (DNS1123_SUBDOMAIN.matcher(value).matches()) {
                errs.add("must not contain dots");
            } else {
                errs.add(regexError(DNS1123_LABEL_MSG, DNS1123_LABEL_FMT, "my-name", "123-abc"));
            }
        }
        return errs;
    }

    static List<String> dns1123Subdomain(String value) {
        List<String> errs = new ArrayList<>();
        if (len(value) > 253) {
            errs.add(maxLen(253));
        }
        if (!DNS1123_SUBDOMAIN.matcher(value).matches()) {
            errs.add(regexError(DNS1123_SUBDOMAIN_MSG, DNS1123_SUBDOMAIN_FMT, "example.com"));
        }
        return errs;
    }

    static List<String> dns1035Label(String value) {
        List<String> errs = new ArrayList<>();
        if (len(value) > 63) {
            errs.add(maxLen(63));
        }
        if (!DNS1035_LABEL.matcher(value).matches()) {
            errs.add(regexError(DNS1035_LABEL_MSG, DNS1035_LABEL_FMT, "my-name", "abc-123"));
        }
        return errs;
    }

    static List<String> qualifiedName(String value) {
        List<String> errs = new ArrayList<>();
        String[] parts = value.split("/", -1);
        String name;
        switch (parts.length) {
            case 1 -> name = parts[0];
            case 2 -> {
                String prefix = parts[0];
                name = parts[1];
                if (prefix.isEmpty()) {
                    errs.add("prefix part must be non-empty");
                } else {
                    for (String msg : dns1123Subdomain(prefix)) {
                        errs.add("prefix part " + msg);
                    }
                }
            }
            default -> {
                errs.add("a qualified name " + regexError(QUALIFIED_NAME_MSG, QUALIFIED_NAME_FMT, "MyName", "my.name",
                        "123-abc") + " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')");
                return errs;
            }
        }
        if (name.isEmpty()) {
            errs.add("name part must be non-empty");
        } else if (len(name) > 63) {
            errs.add("name part " + maxLen(63));
        }
        if (!QUALIFIED_NAME.matcher(name).matches()) {
            errs.add("name part " + regexError(QUALIFIED_NAME_MSG, QUALIFIED_NAME_FMT, "MyName", "my.name", "123-abc"));
        }
        return errs;
    }

    static List<String> labelValue(String value) {
        List<String> errs = new ArrayList<>();
        if (len(value) > 63) {
            errs.add(maxLen(63));
        }
        if (!LABEL_VALUE.matcher(value).matches()) {
            errs.add(regexError(LABEL_VALUE_MSG, LABEL_VALUE_FMT, "MyValue", "my_value", "12345"));
        }
        return errs;
    }

    static List<String> portName(String port) {
        List<String> errs = new ArrayList<>();
        if (len(port) > 15) {
            errs.add(maxLen(15));
        }
        if (!PORT_NAME_CHARSET.matcher(port).matches()) {
            errs.add("must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)");
        }
        if (!ONE_LETTER.matcher(port).find()) {
            errs.add("must contain at least one letter (a-z)");
        }
        if (port.contains("--")) {
            errs.add("must not contain consecutive hyphens");
        }
        if (!port.isEmpty() && (port.charAt(0) == '-' || port.charAt(port.length() - 1) == '-')) {
            errs.add("must not begin or end with a hyphen");
        }
        return errs;
    }

    /** strfmt's date: Go's {@code time.Parse("2006-01-02", s)}: four-digit year, a real month and day. */
    static boolean isDate(String s) {
        Matcher m = DATE.matcher(s);
        if (!m.matches()) {
            return false;
        }
        int year = Integer.parseInt(m.group(1));
        int month = Integer.parseInt(m.group(2));
        int day = Integer.parseInt(m.group(3));
        if (month < 1 || month > 12 || day < 1) {
            return false;
        }
        boolean leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
        int[] days = {31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
        return day <= days[month - 1];
    }

    /**
     * strfmt's date-time: lower-cased and split on every {@code t}, the first part a date and the second a time with
     * a {@code z} or numeric offset (the parts after a second {@code t} are not looked at, as in strfmt).
     */
    static boolean isDateTime(String str) {
        if (str.length() < 4) {
            return false;
        }
        String[] s = str.toLowerCase(java.util.Locale.ROOT).split("t", -1);
        if (s.length < 2 || !isDate(s[0])) {
            return false;
        }
        Matcher m = TIME.matcher(s[1]);
        if (!m.matches()) {
            return false;
        }
        return m.group(1).compareTo("23") <= 0 && m.group(2).compareTo("59") <= 0 && m.group(3).compareTo("59") <= 0;
    }

    private static String maxLen(int n) {
        return "must be no more than " + n + " characters";
    }

    /** apimachinery's {@code RegexError}, double space after each example's comma included. */
    private static String regexError(String msg, String fmt, String... examples) {
        StringBuilder b = new StringBuilder(msg).append(" (e.g. ");
        for (int i = 0; i < examples.length; i++) {
            if (i > 0) {
                b.append(" or ");
            }
            b.append('\'').append(examples[i]).append("', ");
        }
        return b.append("regex used for validation is '").append(fmt).append("')").toString();
    }
}
