package io.gatehouse.core;

import java.util.List;
import java.util.Objects;

/**
 * What every authenticator of a chain made of one request, for troubleshooting: the verdicts in chain order
 * and the chain's own outcome. Contains no credential.
 *
 * @param verdicts each authenticator's verdict, in chain order
 * @param outcome  what {@link AuthenticationChain#authenticate} returns for the request (without the cache)
 */
public record Explanation(List<Verdict> verdicts, AuthenticationResult outcome) {

    /**
     * Copies the verdicts.
     *
     * @param verdicts each authenticator's verdict, in chain order
     * @param outcome  what the chain returns for the request (without the cache)
     */
    public Explanation {
        verdicts = List.copyOf(verdicts);
        Objects.requireNonNull(outcome, "outcome");
    }

    /**
     * One authenticator's verdict.
     *
     * @param authenticator the chain entry's name
     * @param result        its verdict on the request
     */
    public record Verdict(String authenticator, AuthenticationResult result) {
        /**
         * Checks the components.
         *
         * @param authenticator the chain entry's name
         * @param result        its verdict on the request
         */
        public Verdict {
            Objects.requireNonNull(authenticator, "authenticator");
            Objects.requireNonNull(result, "result");
        }
    }

    /**
     * One line per authenticator and one for the outcome, e.g. {@code static-token: rejected (EXPIRED) ...}.
     *
     * @return the lines, without the credential
     */
    public String render() {
        StringBuilder sb = new StringBuilder();
        for (Verdict v : verdicts) {
            sb.append(v.authenticator()).append(": ").append(describe(v.result())).append('\n');
        }
        return sb.append("=> ").append(describe(outcome)).toString();
    }

    private static String describe(AuthenticationResult r) {
        if (r instanceof AuthenticationResult.Authenticated a) {
            return "authenticated as " + a.user().name() + " groups=" + a.user().groups()
                    + (a.audiences().isEmpty() ? "" : " audiences=" + a.audiences());
        }
        if (r instanceof AuthenticationResult.Rejected rej) {
            return "rejected (" + rej.reason() + ") " + rej.message();
        }
        return "abstained" + (r.warnings().isEmpty() ? "" : " warnings=" + r.warnings());
    }
}
