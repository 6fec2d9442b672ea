package io.gatehouse.core.spi;

import io.gatehouse.core.Authenticator;
import io.gatehouse.core.TokenAuthenticator;
import java.util.Objects;

/** What a provider contributes to a chain: a request authenticator or a token authenticator. */
public sealed interface ChainMember {

    /**
     * The authenticator: an {@link Authenticator} for a {@link Request}, a {@link TokenAuthenticator} for a {@link Token}.
     *
     * @return the authenticator
     */
    Object authenticator();

    /** A request authenticator (client certificates, headers). */
    record Request(Authenticator authenticator) implements ChainMember {
        /**
         * Checks the authenticator.
         *
         * @param authenticator the request authenticator; not null
         */
        public Request {
            Objects.requireNonNull(authenticator, "authenticator");
        }
    }

    /** A token authenticator; the chain runs it behind bearer-token extraction and the token cache. */
    record Token(TokenAuthenticator authenticator) implements ChainMember {
        /**
         * Checks the authenticator.
         *
         * @param authenticator the token authenticator; not null
         */
        public Token {
            Objects.requireNonNull(authenticator, "authenticator");
        }
    }
}
