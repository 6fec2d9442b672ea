package io.gatehouse.statictoken;

import io.gatehouse.core.AuthenticationListener;
import io.gatehouse.core.AuthenticationResult;
import io.gatehouse.core.AuthenticationResult.Abstained;
import io.gatehouse.core.AuthenticationResult.Authenticated;
import io.gatehouse.core.ConfigurationException;
import io.gatehouse.core.TokenAuthenticator;
import io.gatehouse.core.UserInfo;
import io.gatehouse.core.internal.ReloadingFile;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Static bearer tokens, as Kubernetes' {@code --token-auth-file}: a token found in the table authenticates
 * as its user; any other token abstains, so that the chain asks the next authenticator.
 *
 * <p>Beyond Kubernetes: a token may be listed as {@code sha256:<hex>} instead of in plain text; every token
 * is held in memory only as its SHA-256 digest and compared in constant time; a file-backed table reloads
 * when the file changes, and a malformed new file keeps the last good table (and is reported to the
 * listener) instead of needing a restart.
 *
 * <p>Thread-safe. {@link #close()} stops watching the file. Like Kubernetes' token file authenticator it
 * does not check audiences: the chain answers for the API audiences on its behalf.
 */
public final class StaticTokenAuthenticator implements TokenAuthenticator, AutoCloseable {

    private final Supplier<TokenTable> table;
    private final ReloadingFile<TokenTable> file;

    private StaticTokenAuthenticator(Supplier<TokenTable> table, ReloadingFile<TokenTable> file) {
        this.table = table;
        this.file = file;
    }

    /**
     * A builder for a file-backed or in-memory table.
     *
     * @return a new builder with no file and no tokens
     */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public AuthenticationResult authenticate(String token, List<String> audiences) {
        Authenticated verdict = table.get().find(token);
        return verdict == null ? Abstained.instance() : verdict;
    }

    /**
     * How many tokens the table in force holds.
     *
     * @return the number of tokens in the current table, zero or more
     */
    public int size() {
        return table.get().size();
    }

    /**
     * Reads the token file again now if it changed, instead of waiting for the next check.
     *
     * @return true if a new table is in force; false if the file is unchanged, malformed (the last good
     *         table stays, and the listener hears why) or the table is not file-backed
     */
    public boolean reloadIfChanged() {
        return file != null && file.reloadIfChanged();
    }

    /** Stops watching the token file. */
    @Override
    public void close() {
        if (file != null) {
            file.close();
        }
    }

    @Override
    public String toString() {
        return "StaticTokenAuthenticator{" + (file == null ? "in-memory" : file.path().toString()) + ", "
                + size() + " tokens}";
    }

    /**
     * Builds a {@link StaticTokenAuthenticator} from a token file or from tokens given in code, not both.
     * Not thread-safe.
     */
    public static final class Builder {
        private Path file;
        private final TokenTable.Builder tokens = new TokenTable.Builder();
        private boolean hasTokens;
        private Duration reloadInterval = Duration.ofSeconds(5);
        private AuthenticationListener listener = AuthenticationListener.logging();

        private Builder() {
        }

        /**
         * Reads tokens from a Kubernetes token file ({@code token,user,uid[,"g1,g2"]}).
         *
         * @param tokenFile the token file, read when {@link #build()} is called; not null
         * @return this builder
         */
        public Builder file(Path tokenFile) {
            this.file = Objects.requireNonNull(tokenFile, "tokenFile");
            return this;
        }

        /**
         * Adds a token in code; a later token equal to an earlier one replaces it.
         *
         * @param token the bearer token, not null or empty
         * @param user  the user a request bearing {@code token} authenticates as; not null
         * @return this builder
         * @throws IllegalArgumentException if {@code token} is empty
         */
        public Builder token(String token, UserInfo user) {
            Objects.requireNonNull(token, "token");
            Objects.requireNonNull(user, "user");
            if (token.isEmpty()) {
                throw new IllegalArgumentException("a token must not be empty");
            }
            tokens.put(TokenTable.digest(token), token.length(), user);
            hasTokens = true;
            return this;
        }

        /**
         * How often the file is checked for changes; zero never checks. 5 s unless set.
         *
         * @param interval the time between checks, not null nor negative; zero disables checks
         * @return this builder
         * @throws IllegalArgumentException if {@code interval} is negative
         */
        public Builder reloadInterval(Duration interval) {
            Objects.requireNonNull(interval, "interval");
            if (interval.isNegative()) {
                throw new IllegalArgumentException("reloadInterval must not be negative: " + interval);
            }
            this.reloadInterval = interval;
            return this;
        }

        /**
         * Where reloads, failed reloads and file warnings are reported; SLF4J unless set.
         *
         * @param listener the listener to report to, not null
         * @return this builder
         */
        public Builder listener(AuthenticationListener listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /**
         * Loads the file (if any) and builds the authenticator.
         *
         * @return a new authenticator; one built from a file watches it until closed
         * @throws ConfigurationException if the file cannot be read or is malformed
         * @throws IllegalStateException  if both a file and in-code tokens, or neither, were given
         */
        public StaticTokenAuthenticator build() {
            if (file != null && hasTokens) {
                throw new IllegalStateException("give either a token file or tokens in code, not both");
            }
            if (file == null) {
                if (!hasTokens) {
                    throw new IllegalStateException("no tokens: set file(...) or add token(...)");
                }
                TokenTable table = tokens.build();
                return new StaticTokenAuthenticator(() -> table, null);
            }
            AuthenticationListener l = listener;
            ReloadingFile<TokenTable> watched = ReloadingFile.load(file, p -> TokenFileParser.parse(p, l),
                    t -> t.size() + " tokens", l, reloadInterval);
            return new StaticTokenAuthenticator(watched::current, watched);
        }
    }
}
