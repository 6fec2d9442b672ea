package io.gatehouse.x509;

import io.gatehouse.core.AuthenticationRequest;
import io.gatehouse.core.AuthenticationResult;
import io.gatehouse.core.AuthenticationResult.Abstained;
import io.gatehouse.core.AuthenticationResult.Authenticated;
import io.gatehouse.core.AuthenticationResult.Rejected;
import io.gatehouse.core.ConsumedHeaders;
import io.gatehouse.core.RejectionReason;
import io.gatehouse.core.UserInfo;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Kubernetes' request-header extraction ({@code headerrequest.requestHeaderAuthRequestHandler}): which headers name
 * the user, its uid, groups and extra, read with Kubernetes' exact rules once the front proxy's certificate has been
 * verified. Immutable and thread-safe.
 *
 * <ul>
 *   <li>username and uid: for each configured header in order, its first value; the first non-empty wins (a first
 *       value {@code ""} skips the header even when later values are set). No username: abstain;</li>
 *   <li>groups: every non-empty value of every configured header, in order, never split on commas;</li>
 *   <li>extra: for each prefix in order, every header whose name starts with it (any case): the rest of the name
 *       lower-cased, then percent-decoded ({@code url.PathUnescape}); a key that does not decode stays lower-cased
 *       as it was; every value, empty ones too.</li>
 * </ul>
 *
 * <p>Beyond Kubernetes, whose HTTP server refuses such requests before authentication: a value with a control
 * character, or identity headers above {@value #MAX_IDENTITY_CHARS} characters together, are rejected; and so is an extra
 * key that decodes to upper-case letters, which {@link UserInfo} cannot hold (Kubernetes' own front proxies send
 * lower-case keys only). A decoded key that is not UTF-8 stays as the lower-cased text that was sent.
 */
final class IdentityHeaders {

    /** Go's {@code http.DefaultMaxHeaderBytes}: more identity than a Kubernetes server accepts in all headers. */
    static final int MAX_IDENTITY_CHARS = 1 << 20;

    private final List<String> usernames;
    private final List<String> uids;
    private final List<String> groups;
    private final List<String> extraPrefixes;
    private final ConsumedHeaders consumed;
    /** How a rejection names the username and UID headers (never their values). */
    private final String usernameLabel;
    private final String uidLabel;

    IdentityHeaders(List<String> usernames, List<String> uids, List<String> groups, List<String> extraPrefixes) {
        this.usernames = List.copyOf(usernames);
        this.uids = List.copyOf(uids);
        this.groups = List.copyOf(groups);
        this.extraPrefixes = List.copyOf(extraPrefixes);
        List<String> names = new ArrayList<>(usernames);
        names.addAll(uids);
        names.addAll(groups);
        this.consumed = ConsumedHeaders.of(names, extraPrefixes);
        this.usernameLabel = String.join("/", usernames);
        this.uidLabel = String.join("/", uids);
    }

    List<String> usernames() {
        return usernames;
    }

    List<String> uids() {
        return uids;
    }

    List<String> groups() {
        return groups;
    }

    List<String> extraPrefixes() {
        return extraPrefixes;
    }

    /** The configured headers: cleared after a success. */
    ConsumedHeaders consumed() {
        return consumed;
    }

    /** Whether the request carries any of the configured identity headers (for the log when they are ignored). */
    boolean present(AuthenticationRequest request) {
        for (String n : usernames) {
            if (!request.headerValues(n).isEmpty()) {
                return true;
            }
        }
        for (String n : groups) {
            if (!request.headerValues(n).isEmpty()) {
                return true;
            }
        }
        return false;
    }

    /** The user the headers name, once the sender is trusted. */
    AuthenticationResult read(AuthenticationRequest request) {
        String name = first(request, usernames);
        if (name == null) {
            return Abstained.instance();
        }
        long[] bytes = {0};
        String bad = check(name, usernameLabel, bytes);
        String uid = first(request, uids);
        if (uid == null) {
            uid = "";
        }
        bad = bad != null ? bad : check(uid, uidLabel, bytes);
        List<String> groupValues = new ArrayList<>();
        for (String h : groups) {
            for (String v : request.headerValues(h)) {
                if (!v.isEmpty()) {
                    bad = bad != null ? bad : check(v, h, bytes);
                    groupValues.add(v);
                }
            }
        }
        Map<String, List<String>> extra = Map.of();
        if (!extraPrefixes.isEmpty()) {
            extra = new LinkedHashMap<>();
            for (String prefix : extraPrefixes) {
                for (Map.Entry<String, List<String>> h : request.headers().entrySet()) {
                    String header = h.getKey();
                    if (!header.regionMatches(true, 0, prefix, 0, prefix.length())) {
                        continue;
                    }
                    String key = extraKey(header.substring(prefix.length()));
                    if (!key.equals(key.toLowerCase(Locale.ROOT))) {
                        return Rejected.of(RejectionReason.MALFORMED, "request-header: the extra key of header " + header
                                + " decodes to upper-case letters, which a user's extra keys may not have");
                    }
                    for (String v : h.getValue()) {
                        bad = bad != null ? bad : check(v, header, bytes);
                    }
                    extra.computeIfAbsent(key, k -> new ArrayList<>()).addAll(h.getValue());
                }
            }
        }
        if (bad != null) {
            return Rejected.of(RejectionReason.MALFORMED, bad);
        }
        return Authenticated.of(new UserInfo(name, uid, groupValues, extra));
    }

    private static String first(AuthenticationRequest request, List<String> headers) {
        for (String h : headers) {
            String v = request.header(h);
            if (v != null && !v.isEmpty()) {
                return v;
            }
        }
        return null;
    }

    /** Null when {@code value} may be taken, else why not (the header named, never the value). */
    private static String check(String value, String from, long[] total) {
        total[0] += value.length();
        if (total[0] > MAX_IDENTITY_CHARS) {
            return "request-header: the identity headers exceed " + MAX_IDENTITY_CHARS + " characters";
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if ((c < 0x20 && c != '\t') || c == 0x7f) {
                return "request-header: a value of " + from + " holds a control character";
            }
        }
        return null;
    }

    /** The extra key of a header name after the prefix: lower-cased first, then percent-decoded as Go's PathUnescape. */
    static String extraKey(String rest) {
        String lower = rest.toLowerCase(Locale.ROOT);
        if (lower.indexOf('%') < 0) {
            return lower;
        }
        byte[] raw = lower.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length);
        for (int i = 0; i < raw.length; i++) {
            if (raw[i] != '%') {
                out.write(raw[i]);
                continue;
            }
            if (i + 2 >= raw.length || hex(raw[i + 1]) < 0 || hex(raw[i + 2]) < 0) {
                return lower; // url.EscapeError: Kubernetes keeps the undecoded key.
            }
            out.write(hex(raw[i + 1]) << 4 | hex(raw[i + 2]));
            i += 2;
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(out.toByteArray())).toString();
        } catch (CharacterCodingException e) {
            return lower;
        }
    }

    private static int hex(byte b) {
        if (b >= '0' && b <= '9') {
            return b - '0';
        }
        if (b >= 'a' && b <= 'f') {
            return b - 'a' + 10;
        }
        if (b >= 'A' && b <= 'F') {
            return b - 'A' + 10;
        }
        return -1;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IdentityHeaders h && usernames.equals(h.usernames) && uids.equals(h.uids)
                && groups.equals(h.groups) && extraPrefixes.equals(h.extraPrefixes);
    }

    @Override
    public int hashCode() {
        return Objects.hash(usernames, uids, groups, extraPrefixes);
    }
}
