package io.gatehouse.oidc;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import dev.cel.checker.CelCheckerBuilder;
import dev.cel.common.CelFunctionDecl;
import dev.cel.common.CelOverloadDecl;
import dev.cel.common.types.ListType;
import dev.cel.common.types.MapType;
import dev.cel.common.types.OpaqueType;
import dev.cel.common.types.OptionalType;
import dev.cel.common.types.SimpleType;
import dev.cel.common.types.TypeParamType;
import dev.cel.compiler.CelCompilerLibrary;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelFunctionBinding;
import dev.cel.runtime.CelRuntimeBuilder;
import dev.cel.runtime.CelRuntimeLibrary;
import io.gatehouse.core.internal.GoText;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Kubernetes' own CEL libraries that CEL for Java does not ship, as Kubernetes declares them in its stored
 * expression environment: {@code library.Regex} ({@code find}, {@code findAll}) with Go's RE2 semantics (on
 * RE2/J, the Java port of Go's regexp) and {@code library.Lists} ({@code isSorted}, {@code sum}, {@code min},
 * {@code max}, {@code indexOf}, {@code lastIndexOf}), {@code library.URLs}, {@code library.IP} and {@code CIDR},
 * {@code library.SemverLib} and {@code library.Quantity} ({@code quantity()}, {@code isQuantity}, comparisons,
 * {@code add}, {@code sub}, {@code sign}, {@code isInteger}, {@code asInteger}, {@code asApproximateFloat}, on a port of
 * {@code resource.Quantity}). Errors carry Kubernetes' texts ({@code Illegal regex: …},
 * {@code min called on empty list}).
 */
final class KubernetesCelLibrary implements CelCompilerLibrary, CelRuntimeLibrary {

    static final KubernetesCelLibrary INSTANCE = new KubernetesCelLibrary();

    private static final TypeParamType A = TypeParamType.create("A");
    /** Kubernetes' URL object type. */
    static final OpaqueType URL = OpaqueType.create("kubernetes.URL");
    /** Kubernetes' IP and CIDR object types. */
    static final OpaqueType IP = OpaqueType.create("net.IP");
    static final OpaqueType CIDR = OpaqueType.create("net.CIDR");
    /** Kubernetes' semantic version type. */
    static final OpaqueType SEMVER = OpaqueType.create("kubernetes.Semver");
    /** Kubernetes' resource quantity type. */
    static final OpaqueType QUANTITY = OpaqueType.create("kubernetes.Quantity");
    /** Kubernetes' named string format type. */
    static final OpaqueType FORMAT = OpaqueType.create("kubernetes.NamedFormat");

    private KubernetesCelLibrary() {
    }

    @Override
    public void setCheckerOptions(CelCheckerBuilder checker) {
        checker.addFunctionDeclarations(formatConstructors().toArray(CelFunctionDecl[]::new));
        checker.addFunctionDeclarations(
                CelFunctionDecl.newFunctionDeclaration("find",
                        CelOverloadDecl.newMemberOverload("string_find_string", SimpleType.STRING,
                                SimpleType.STRING, SimpleType.STRING)),
                CelFunctionDecl.newFunctionDeclaration("findAll",
                        CelOverloadDecl.newMemberOverload("string_find_all_string", ListType.create(SimpleType.STRING),
                                SimpleType.STRING, SimpleType.STRING),
                        CelOverloadDecl.newMemberOverload("string_find_all_string_int", ListType.create(SimpleType.STRING),
                                SimpleType.STRING, SimpleType.STRING, SimpleType.INT)),
                CelFunctionDecl.newFunctionDeclaration("url",
                        CelOverloadDecl.newGlobalOverload("string_to_url", URL, SimpleType.STRING)),
                CelFunctionDecl.newFunctionDeclaration("isURL",
                        CelOverloadDecl.newGlobalOverload("is_url_string", SimpleType.BOOL, SimpleType.STRING)),
                CelFunctionDecl.newFunctionDeclaration("getScheme",
                        CelOverloadDecl.newMemberOverload("url_get_scheme", SimpleType.STRING, URL)),
                CelFunctionDecl.newFunctionDeclaration("getHost",
                        CelOverloadDecl.newMemberOverload("url_get_host", SimpleType.STRING, URL)),
                CelFunctionDecl.newFunctionDeclaration("getHostname",
                        CelOverloadDecl.newMemberOverload("url_get_hostname", SimpleType.STRING, URL)),
                CelFunctionDecl.newFunctionDeclaration("getPort",
                        CelOverloadDecl.newMemberOverload("url_get_port", SimpleType.STRING, URL)),
                CelFunctionDecl.newFunctionDeclaration("getEscapedPath",
                        CelOverloadDecl.newMemberOverload("url_get_escaped_path", SimpleType.STRING, URL)),
                CelFunctionDecl.newFunctionDeclaration("getQuery",
                        CelOverloadDecl.newMemberOverload("url_get_query",
                                MapType.create(SimpleType.STRING, ListType.create(SimpleType.STRING)), URL)),
                CelFunctionDecl.newFunctionDeclaration("ip",
                        CelOverloadDecl.newGlobalOverload("string_to_ip", IP, SimpleType.STRING),
                        CelOverloadDecl.newMemberOverload("cidr_ip", IP, CIDR)),
                CelFunctionDecl.newFunctionDeclaration("isIP",
                        CelOverloadDecl.newGlobalOverload("is_ip", SimpleType.BOOL, SimpleType.STRING)),
                CelFunctionDecl.newFunctionDeclaration("ip.isCanonical",
                        CelOverloadDecl.newGlobalOverload("ip_is_canonical", SimpleType.BOOL, SimpleType.STRING)),
                CelFunctionDecl.newFunctionDeclaration("family",
                        CelOverloadDecl.newMemberOverload("ip_family", SimpleType.INT, IP)),
                CelFunctionDecl.newFunctionDeclaration("isUnspecified",
                        CelOverloadDecl.newMemberOverload("ip_is_unspecified", SimpleType.BOOL, IP)),
                CelFunctionDecl.newFunctionDeclaration("isLoopback",
                        CelOverloadDecl.newMemberOverload("ip_is_loopback", SimpleType.BOOL, IP)),
                CelFunctionDecl.newFunctionDeclaration("isLinkLocalMulticast",
                        CelOverloadDecl.newMemberOverload("ip_is_link_local_multicast", SimpleType.BOOL, IP)),
                CelFunctionDecl.newFunctionDeclaration("isLinkLocalUnicast",
                        CelOverloadDecl.newMemberOverload("ip_is_link_local_unicast", SimpleType.BOOL, IP)),
                CelFunctionDecl.newFunctionDeclaration("isGlobalUnicast",
                        CelOverloadDecl.newMemberOverload("ip_is_global_unicast", SimpleType.BOOL, IP)),
                CelFunctionDecl.newFunctionDeclaration("cidr",
                        CelOverloadDecl.newGlobalOverload("string_to_cidr", CIDR, SimpleType.STRING)),
                CelFunctionDecl.newFunctionDeclaration("isCIDR",
                        CelOverloadDecl.newGlobalOverload("is_cidr", SimpleType.BOOL, SimpleType.STRING)),
                CelFunctionDecl.newFunctionDeclaration("containsIP",
                        CelOverloadDecl.newMemberOverload("cidr_contains_ip_string", SimpleType.BOOL, CIDR, SimpleType.STRING),
                        CelOverloadDecl.newMemberOverload("cidr_contains_ip_ip", SimpleType.BOOL, CIDR, IP)),
                CelFunctionDecl.newFunctionDeclaration("containsCIDR",
                        CelOverloadDecl.newMemberOverload("cidr_contains_cidr_string", SimpleType.BOOL, CIDR, SimpleType.STRING),
                        CelOverloadDecl.newMemberOverload("cidr_contains_cidr", SimpleType.BOOL, CIDR, CIDR)),
                CelFunctionDecl.newFunctionDeclaration("masked",
                        CelOverloadDecl.newMemberOverload("cidr_masked", CIDR, CIDR)),
                CelFunctionDecl.newFunctionDeclaration("prefixLength",
                        CelOverloadDecl.newMemberOverload("cidr_prefix_length", SimpleType.INT, CIDR)),
                CelFunctionDecl.newFunctionDeclaration("string",
                        CelOverloadDecl.newGlobalOverload("ip_to_string", SimpleType.STRING, IP),
                        CelOverloadDecl.newGlobalOverload("cidr_to_string", SimpleType.STRING, CIDR)),
                CelFunctionDecl.newFunctionDeclaration("semver",
                        CelOverloadDecl.newGlobalOverload("string_to_semver", SEMVER, SimpleType.STRING),
                        CelOverloadDecl.newGlobalOverload("string_bool_to_semver", SEMVER, SimpleType.STRING, SimpleType.BOOL)),
                CelFunctionDecl.newFunctionDeclaration("isSemver",
                        CelOverloadDecl.newGlobalOverload("is_semver_string", SimpleType.BOOL, SimpleType.STRING),
                        CelOverloadDecl.newGlobalOverload("is_semver_string_bool", SimpleType.BOOL, SimpleType.STRING,
                                SimpleType.BOOL)),
                CelFunctionDecl.newFunctionDeclaration("isGreaterThan",
                        CelOverloadDecl.newMemberOverload("semver_is_greater_than", SimpleType.BOOL, SEMVER, SEMVER),
                        CelOverloadDecl.newMemberOverload("quantity_is_greater_than", SimpleType.BOOL, QUANTITY, QUANTITY)),
                CelFunctionDecl.newFunctionDeclaration("isLessThan",
                        CelOverloadDecl.newMemberOverload("semver_is_less_than", SimpleType.BOOL, SEMVER, SEMVER),
                        CelOverloadDecl.newMemberOverload("quantity_is_less_than", SimpleType.BOOL, QUANTITY, QUANTITY)),
                CelFunctionDecl.newFunctionDeclaration("compareTo",
                        CelOverloadDecl.newMemberOverload("semver_compare_to", SimpleType.INT, SEMVER, SEMVER),
                        CelOverloadDecl.newMemberOverload("quantity_compare_to", SimpleType.INT, QUANTITY, QUANTITY)),
                CelFunctionDecl.newFunctionDeclaration("format.named",
                        CelOverloadDecl.newGlobalOverload("format-named", OptionalType.create(FORMAT), SimpleType.STRING)),
                CelFunctionDecl.newFunctionDeclaration("validate",
                        CelOverloadDecl.newMemberOverload("format-validate",
                                OptionalType.create(ListType.create(SimpleType.STRING)), FORMAT, SimpleType.STRING)),
                CelFunctionDecl.newFunctionDeclaration("quantity",
                        CelOverloadDecl.newGlobalOverload("string_to_quantity", QUANTITY, SimpleType.STRING)),
                CelFunctionDecl.newFunctionDeclaration("isQuantity",
                        CelOverloadDecl.newGlobalOverload("is_quantity_string", SimpleType.BOOL, SimpleType.STRING)),
                CelFunctionDecl.newFunctionDeclaration("sign",
                        CelOverloadDecl.newMemberOverload("quantity_sign", SimpleType.INT, QUANTITY)),
                CelFunctionDecl.newFunctionDeclaration("isInteger",
                        CelOverloadDecl.newMemberOverload("quantity_is_integer", SimpleType.BOOL, QUANTITY)),
                CelFunctionDecl.newFunctionDeclaration("asInteger",
                        CelOverloadDecl.newMemberOverload("quantity_get_int", SimpleType.INT, QUANTITY)),
                CelFunctionDecl.newFunctionDeclaration("asApproximateFloat",
                        CelOverloadDecl.newMemberOverload("quantity_get_float", SimpleType.DOUBLE, QUANTITY)),
                CelFunctionDecl.newFunctionDeclaration("add",
                        CelOverloadDecl.newMemberOverload("quantity_add", QUANTITY, QUANTITY, QUANTITY),
                        CelOverloadDecl.newMemberOverload("quantity_add_int", QUANTITY, QUANTITY, SimpleType.INT)),
                CelFunctionDecl.newFunctionDeclaration("sub",
                        CelOverloadDecl.newMemberOverload("quantity_sub", QUANTITY, QUANTITY, QUANTITY),
                        CelOverloadDecl.newMemberOverload("quantity_sub_int", QUANTITY, QUANTITY, SimpleType.INT)),
                CelFunctionDecl.newFunctionDeclaration("major",
                        CelOverloadDecl.newMemberOverload("semver_major", SimpleType.INT, SEMVER)),
                CelFunctionDecl.newFunctionDeclaration("minor",
                        CelOverloadDecl.newMemberOverload("semver_minor", SimpleType.INT, SEMVER)),
                CelFunctionDecl.newFunctionDeclaration("patch",
                        CelOverloadDecl.newMemberOverload("semver_patch", SimpleType.INT, SEMVER)),
                CelFunctionDecl.newFunctionDeclaration("isSorted",
                        CelOverloadDecl.newMemberOverload("list_a_is_sorted_bool", SimpleType.BOOL, ListType.create(A))),
                CelFunctionDecl.newFunctionDeclaration("sum",
                        CelOverloadDecl.newMemberOverload("list_a_sum_a", A, ListType.create(A))),
                CelFunctionDecl.newFunctionDeclaration("min",
                        CelOverloadDecl.newMemberOverload("list_a_min_a", A, ListType.create(A))),
                CelFunctionDecl.newFunctionDeclaration("max",
                        CelOverloadDecl.newMemberOverload("list_a_max_a", A, ListType.create(A))),
                CelFunctionDecl.newFunctionDeclaration("indexOf",
                        CelOverloadDecl.newMemberOverload("list_a_index_of_int", SimpleType.INT, ListType.create(A), A)),
                CelFunctionDecl.newFunctionDeclaration("lastIndexOf",
                        CelOverloadDecl.newMemberOverload("list_a_last_index_of_int", SimpleType.INT, ListType.create(A), A)));
    }

    /** {@code format.dns1123Label()} and the other zero-argument constructors of library.Format. */
    private static java.util.stream.Stream<CelFunctionDecl> formatConstructors() {
        return KubernetesFormats.FORMATS.keySet().stream().sorted().map(name -> CelFunctionDecl.newFunctionDeclaration(
                "format." + name, CelOverloadDecl.newGlobalOverload("format." + name, FORMAT)));
    }

    @Override
    public void setRuntimeOptions(CelRuntimeBuilder runtime) {
        for (KubernetesFormats.Format f : KubernetesFormats.FORMATS.values()) {
            runtime.addFunctionBindings(CelFunctionBinding.from("format." + f.name(), List.of(), args -> f));
        }
        runtime.addFunctionBindings(
                CelFunctionBinding.from("string_find_string", String.class, String.class,
                        (s, re) -> {
                            List<String> m = findAll(s, re, 1);
                            return m.isEmpty() ? "" : m.get(0);
                        }),
                CelFunctionBinding.from("string_find_all_string", String.class, String.class,
                        (s, re) -> findAll(s, re, -1)),
                CelFunctionBinding.from("string_find_all_string_int", List.of(String.class, String.class, Long.class),
                        args -> findAll((String) args[0], (String) args[1], (Long) args[2])),
                CelFunctionBinding.from("string_to_url", String.class, KubernetesCelLibrary::url),
                CelFunctionBinding.from("is_url_string", String.class, KubernetesCelLibrary::isUrl),
                CelFunctionBinding.from("url_get_scheme", GoUrl.class, GoUrl::scheme),
                CelFunctionBinding.from("url_get_host", GoUrl.class, GoUrl::host),
                CelFunctionBinding.from("url_get_hostname", GoUrl.class, GoUrl::hostname),
                CelFunctionBinding.from("url_get_port", GoUrl.class, GoUrl::port),
                CelFunctionBinding.from("url_get_escaped_path", GoUrl.class, GoUrl::escapedPath),
                CelFunctionBinding.from("url_get_query", GoUrl.class, GoUrl::query),
                CelFunctionBinding.from("string_to_ip", String.class, KubernetesCelLibrary::ip),
                CelFunctionBinding.from("cidr_ip", GoNetip.Prefix.class, p -> p.addr),
                CelFunctionBinding.from("is_ip", String.class, s -> {
                    try {
                        ip(s);
                        return true;
                    } catch (CelEvaluationException e) {
                        return false;
                    }
                }),
                CelFunctionBinding.from("ip_is_canonical", String.class, s -> ip(s).toString().equals(s)),
                CelFunctionBinding.from("ip_family", GoNetip.Addr.class, a -> a.is4() ? 4L : 6L),
                CelFunctionBinding.from("ip_is_unspecified", GoNetip.Addr.class, GoNetip.Addr::isUnspecified),
                CelFunctionBinding.from("ip_is_loopback", GoNetip.Addr.class, GoNetip.Addr::isLoopback),
                CelFunctionBinding.from("ip_is_link_local_multicast", GoNetip.Addr.class, GoNetip.Addr::isLinkLocalMulticast),
                CelFunctionBinding.from("ip_is_link_local_unicast", GoNetip.Addr.class, GoNetip.Addr::isLinkLocalUnicast),
                CelFunctionBinding.from("ip_is_global_unicast", GoNetip.Addr.class, GoNetip.Addr::isGlobalUnicast),
                CelFunctionBinding.from("string_to_cidr", String.class, KubernetesCelLibrary::cidr),
                CelFunctionBinding.from("is_cidr", String.class, s -> {
                    try {
                        cidr(s);
                        return true;
                    } catch (CelEvaluationException e) {
                        return false;
                    }
                }),
                CelFunctionBinding.from("cidr_contains_ip_string", GoNetip.Prefix.class, String.class,
                        (p, s) -> p.contains(ip(s))),
                CelFunctionBinding.from("cidr_contains_ip_ip", GoNetip.Prefix.class, GoNetip.Addr.class, GoNetip.Prefix::contains),
                CelFunctionBinding.from("cidr_contains_cidr_string", GoNetip.Prefix.class, String.class,
                        (p, s) -> p.containsPrefix(cidr(s))),
                CelFunctionBinding.from("cidr_contains_cidr", GoNetip.Prefix.class, GoNetip.Prefix.class,
                        GoNetip.Prefix::containsPrefix),
                CelFunctionBinding.from("cidr_masked", GoNetip.Prefix.class, GoNetip.Prefix::masked),
                CelFunctionBinding.from("cidr_prefix_length", GoNetip.Prefix.class, p -> (long) p.bits),
                CelFunctionBinding.from("ip_to_string", GoNetip.Addr.class, GoNetip.Addr::toString),
                CelFunctionBinding.from("cidr_to_string", GoNetip.Prefix.class, GoNetip.Prefix::toString),
                CelFunctionBinding.from("string_to_semver", String.class, s -> semver(s, false)),
                CelFunctionBinding.from("string_bool_to_semver", String.class, Boolean.class, KubernetesCelLibrary::semver),
                CelFunctionBinding.from("is_semver_string", String.class, s -> isSemver(s, false)),
                CelFunctionBinding.from("is_semver_string_bool", String.class, Boolean.class, KubernetesCelLibrary::isSemver),
                CelFunctionBinding.from("semver_is_greater_than", GoSemver.class, GoSemver.class, (a, b) -> a.compareTo(b) > 0),
                CelFunctionBinding.from("semver_is_less_than", GoSemver.class, GoSemver.class, (a, b) -> a.compareTo(b) < 0),
                CelFunctionBinding.from("semver_compare_to", GoSemver.class, GoSemver.class, (a, b) -> (long) a.compareTo(b)),
                CelFunctionBinding.from("semver_major", GoSemver.class, v -> v.major),
                CelFunctionBinding.from("quantity_is_greater_than", GoQuantity.class, GoQuantity.class,
                        (a, b) -> a.compareTo(b) > 0),
                CelFunctionBinding.from("quantity_is_less_than", GoQuantity.class, GoQuantity.class,
                        (a, b) -> a.compareTo(b) < 0),
                CelFunctionBinding.from("quantity_compare_to", GoQuantity.class, GoQuantity.class,
                        (a, b) -> (long) Integer.signum(a.compareTo(b))),
                CelFunctionBinding.from("string_to_quantity", String.class, KubernetesCelLibrary::quantity),
                CelFunctionBinding.from("format-named", String.class,
                        name -> Optional.ofNullable(KubernetesFormats.FORMATS.get(name))),
                CelFunctionBinding.from("format-validate", KubernetesFormats.Format.class, String.class, (f, value) -> {
                    List<String> problems = f.validate().apply(value);
                    return problems.isEmpty() ? Optional.empty() : Optional.of(List.copyOf(problems));
                }),
                CelFunctionBinding.from("is_quantity_string", String.class, s -> {
                    try {
                        GoQuantity.parse(s);
                        return true;
                    } catch (GoQuantity.QuantityException e) {
                        return false;
                    }
                }),
                CelFunctionBinding.from("quantity_sign", GoQuantity.class, q -> (long) q.sign()),
                CelFunctionBinding.from("quantity_is_integer", GoQuantity.class, q -> q.asInt64() != null),
                CelFunctionBinding.from("quantity_get_int", GoQuantity.class, q -> {
                    Long i = q.asInt64();
                    if (i == null) {
                        throw new CelEvaluationException("cannot convert value to integer");
                    }
                    return i;
                }),
                CelFunctionBinding.from("quantity_get_float", GoQuantity.class, GoQuantity::asApproximateFloat),
                CelFunctionBinding.from("quantity_add", GoQuantity.class, GoQuantity.class,
                        (a, b) -> arithmetic(a, b, true)),
                CelFunctionBinding.from("quantity_add_int", GoQuantity.class, Long.class,
                        (a, b) -> arithmetic(a, GoQuantity.of(b), true)),
                CelFunctionBinding.from("quantity_sub", GoQuantity.class, GoQuantity.class,
                        (a, b) -> arithmetic(a, b, false)),
                CelFunctionBinding.from("quantity_sub_int", GoQuantity.class, Long.class,
                        (a, b) -> arithmetic(a, GoQuantity.of(b), false)),
                CelFunctionBinding.from("semver_minor", GoSemver.class, v -> v.minor),
                CelFunctionBinding.from("semver_patch", GoSemver.class, v -> v.patch),
                CelFunctionBinding.from("list_a_is_sorted_bool", List.class, KubernetesCelLibrary::isSorted),
                CelFunctionBinding.from("list_a_sum_a", List.class, KubernetesCelLibrary::sum),
                CelFunctionBinding.from("list_a_min_a", List.class, l -> extreme(l, "min", 1)),
                CelFunctionBinding.from("list_a_max_a", List.class, l -> extreme(l, "max", -1)),
                CelFunctionBinding.from("list_a_index_of_int", List.class, Object.class,
                        (l, x) -> (long) indexOf(l, x)),
                CelFunctionBinding.from("list_a_last_index_of_int", List.class, Object.class,
                        (l, x) -> (long) lastIndexOf(l, x)));
    }

    /**
     * Kubernetes' {@code url()}: the string must pass Go's {@code ParseRequestURI} (an absolute URI or an absolute
     * path); the value is what Go's {@code Parse} makes of it.
     */
    private static GoUrl url(String s) throws CelEvaluationException {
        try {
            GoUrl.parseRequestUri(s);
            return GoUrl.parse(s);
        } catch (GoUrl.UrlException e) {
            throw new CelEvaluationException("URL parse error during conversion from string: " + e.getMessage());
        }
    }

    /** Kubernetes' {@code parseIPAddr}: netip's parse, no zone, no IPv4-mapped IPv6. */
    static GoNetip.Addr ip(String s) throws CelEvaluationException {
        GoNetip.Addr a;
        try {
            a = GoNetip.parseAddr(s);
        } catch (GoNetip.ParseException e) {
            throw new CelEvaluationException("IP Address " + GoText.quote(s)
                    + " parse error during conversion from string: " + e.getMessage());
        }
        if (!a.zone.isEmpty()) {
            throw new CelEvaluationException("IP address " + GoText.quote(s) + " with zone value is not allowed");
        }
        if (a.is4In6()) {
            throw new CelEvaluationException("IPv4-mapped IPv6 address " + GoText.quote(s) + " is not allowed");
        }
        return a;
    }

    /** Kubernetes' {@code parseCIDR}: netip's prefix parse, no zone, no IPv4-mapped IPv6. */
    static GoNetip.Prefix cidr(String s) throws CelEvaluationException {
        GoNetip.Prefix p;
        try {
            p = GoNetip.parsePrefix(s);
        } catch (GoNetip.ParseException e) {
            throw new CelEvaluationException("CIDR " + GoText.quote(s) + " parse error during conversion from string: "
                    + e.getMessage());
        }
        if (!p.addr.zone.isEmpty()) {
            throw new CelEvaluationException("CIDR " + GoText.quote(s) + " with zone value is not allowed");
        }
        if (p.addr.is4In6()) {
            throw new CelEvaluationException("IPv4-mapped IPv6 address " + GoText.quote(s) + " is not allowed");
        }
        return p;
    }

    /** Kubernetes' {@code quantity()}: {@code resource.ParseQuantity}'s error text as the evaluation error. */
    private static GoQuantity quantity(String s) throws CelEvaluationException {
        try {
            return GoQuantity.parse(s);
        } catch (GoQuantity.QuantityException e) {
            throw new CelEvaluationException(e.getMessage());
        }
    }

    private static GoQuantity arithmetic(GoQuantity a, GoQuantity b, boolean add) throws CelEvaluationException {
        try {
            return add ? a.add(b) : a.sub(b);
        } catch (GoQuantity.QuantityException e) {
            throw new CelEvaluationException(e.getMessage());
        }
    }

    private static GoSemver semver(String s, boolean normalize) throws CelEvaluationException {
        try {
            return normalize ? GoSemver.normalizeAndParse(s) : GoSemver.parse(s);
        } catch (GoSemver.SemverException e) {
            throw new CelEvaluationException(e.getMessage());
        }
    }

    private static boolean isSemver(String s, boolean normalize) {
        try {
            semver(s, normalize);
            return true;
        } catch (CelEvaluationException e) {
            return false;
        }
    }

    private static boolean isUrl(String s) {
        try {
            GoUrl.parseRequestUri(s);
            return true;
        } catch (GoUrl.UrlException e) {
            return false;
        }
    }

    /**
     * Go's {@code Regexp.FindAllString(s, n)}: successive non-overlapping matches, an empty match right after a
     * previous match ignored, at most {@code n} when {@code n >= 0}.
     */
    static List<String> findAll(String s, String regex, long n) throws CelEvaluationException {
        Pattern p;
        try {
            p = Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            throw new CelEvaluationException("Illegal regex: " + e.getMessage());
        }
        List<String> out = new ArrayList<>();
        Matcher m = p.matcher(s);
        int pos = 0;
        int prevMatchEnd = -1;
        while ((n < 0 || out.size() < n) && pos <= s.length()) {
            if (!m.find(pos)) {
                break;
            }
            boolean accept = true;
            if (m.end() == pos) {
                // An empty match: none is taken right after the previous match; move on one code point.
                if (m.start() == prevMatchEnd) {
                    accept = false;
                }
                pos += pos < s.length() ? Character.charCount(s.codePointAt(pos)) : 1;
            } else {
                pos = m.end();
            }
            prevMatchEnd = m.end();
            if (accept) {
                out.add(s.substring(m.start(), m.end()));
            }
        }
        return out;
    }

    private static boolean isSorted(List<?> list) throws CelEvaluationException {
        for (int i = 1; i < list.size(); i++) {
            if (compare(list.get(i - 1), list.get(i)) > 0) {
                return false;
            }
        }
        return true;
    }

    private static Object sum(List<?> list) throws CelEvaluationException {
        if (list.isEmpty()) {
            return 0L;
        }
        Object acc = list.get(0);
        for (int i = 1; i < list.size(); i++) {
            Object next = list.get(i);
            if (acc instanceof Long a && next instanceof Long b) {
                try {
                    acc = Math.addExact(a, b);
                } catch (ArithmeticException e) {
                    throw new CelEvaluationException("integer overflow");
                }
            } else if (acc instanceof Double a && next instanceof Double b) {
                acc = a + b;
            } else if (acc instanceof java.time.Duration a && next instanceof java.time.Duration b) {
                acc = a.plus(b);
            } else if (acc instanceof com.google.common.primitives.UnsignedLong a
                    && next instanceof com.google.common.primitives.UnsignedLong b) {
                acc = a.plus(b);
            } else {
                throw new CelEvaluationException("no such overload: sum over " + typeName(acc) + " and " + typeName(next));
            }
        }
        return acc;
    }

    /** min ({@code prefer} 1: take the next when the current compares greater) or max ({@code prefer} -1). */
    private static Object extreme(List<?> list, String name, int prefer) throws CelEvaluationException {
        if (list.isEmpty()) {
            throw new CelEvaluationException(name + " called on empty list");
        }
        Object result = list.get(0);
        for (int i = 1; i < list.size(); i++) {
            if (Integer.signum(compare(result, list.get(i))) == prefer) {
                result = list.get(i);
            }
        }
        return result;
    }

    private static int indexOf(List<?> list, Object x) {
        for (int i = 0; i < list.size(); i++) {
            if (celEquals(list.get(i), x)) {
                return i;
            }
        }
        return -1;
    }

    private static int lastIndexOf(List<?> list, Object x) {
        for (int i = list.size() - 1; i >= 0; i--) {
            if (celEquals(list.get(i), x)) {
                return i;
            }
        }
        return -1;
    }

    /** CEL equality of two values as the library meets them: numbers across int/uint/double compare by value. */
    private static boolean celEquals(Object a, Object b) {
        if (a instanceof Number && b instanceof Number) {
            return numeric(a) == numeric(b);
        }
        return Objects.equals(a, b);
    }

    /** CEL ordering of comparable values of one kind (numbers compare across int, uint and double). */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private static int compare(Object a, Object b) throws CelEvaluationException {
        if (a instanceof Number && b instanceof Number) {
            return Double.compare(numeric(a), numeric(b));
        }
        if (a instanceof com.google.protobuf.ByteString x && b instanceof com.google.protobuf.ByteString y) {
            return com.google.protobuf.ByteString.unsignedLexicographicalComparator().compare(x, y);
        }
        if (a != null && b != null && a.getClass() == b.getClass() && a instanceof Comparable c) {
            return c.compareTo(b);
        }
        throw new CelEvaluationException("no such overload: compare " + typeName(a) + " with " + typeName(b));
    }

    private static double numeric(Object n) {
        return n instanceof com.google.common.primitives.UnsignedLong u ? u.doubleValue() : ((Number) n).doubleValue();
    }

    private static String typeName(Object v) {
        return v == null ? "null" : v.getClass().getSimpleName();
    }
}
