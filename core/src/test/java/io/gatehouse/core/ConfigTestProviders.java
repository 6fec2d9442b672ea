package io.gatehouse.core;

import io.gatehouse.core.AuthenticationResult.Abstained;
import io.gatehouse.core.AuthenticationResult.Authenticated;
import io.gatehouse.core.spi.AuthenticatorProvider;
import io.gatehouse.core.spi.ChainMember;
import io.gatehouse.core.spi.ProviderContext;
import io.gatehouse.core.spi.ProviderSettings;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Providers that tests register through a child class loader only (never on the test class path), so
 * that they exercise the class-loader override and cannot leak into other tests.
 */
public final class ConfigTestProviders {

    static final AtomicInteger CLOSED = new AtomicInteger();

    private ConfigTestProviders() {
    }

    /** {@code fixed}: one token ({@code token}) for one user ({@code user}); closing counts. */
    public static final class Fixed implements AuthenticatorProvider {
        @Override
        public String type() {
            return "fixed";
        }

        @Override
        public ChainMember create(ProviderSettings settings, ProviderContext context) {
            String token = settings.string("token");
            String user = settings.optionalString("user").orElse("fixed-user");
            boolean request = settings.bool("request", false);
            if (request) {
                return new ChainMember.Request(r -> Authenticated.of(UserInfo.of(user, "")));
            }
            return new ChainMember.Token(new ClosingAuthenticator(token, user));
        }
    }

    /** {@code broken}: its create throws an unexpected exception. */
    public static final class Broken implements AuthenticatorProvider {
        @Override
        public String type() {
            return "broken";
        }

        @Override
        public ChainMember create(ProviderSettings settings, ProviderContext context) {
            throw new IllegalStateException("provider bug");
        }
    }

    /** {@code picky}: rejects its {@code level} setting. */
    public static final class Picky implements AuthenticatorProvider {
        @Override
        public String type() {
            return "picky";
        }

        @Override
        public ChainMember create(ProviderSettings settings, ProviderContext context) {
            long level = settings.number("level", 1);
            if (level > 3) {
                throw settings.invalid("level", "must be at most 3");
            }
            return new ChainMember.Token((t, a) -> Abstained.instance());
        }
    }

    static final class ClosingAuthenticator implements TokenAuthenticator, AutoCloseable {
        private final String token;
        private final String user;

        ClosingAuthenticator(String token, String user) {
            this.token = token;
            this.user = user;
        }

        @Override
        public AuthenticationResult authenticate(String presented, List<String> audiences) {
            return presented.equals(token) ? Authenticated.of(UserInfo.of(user, "")) : Abstained.instance();
        }

        @Override
        public void close() {
            CLOSED.incrementAndGet();
        }
    }
}
