package io.gatehouse.core.spi;

import io.gatehouse.core.Authenticator;
import io.gatehouse.core.TokenAuthenticator;
import java.util.Objects;

/** What a provider contributes to a chain: a request authenticator or a token authenticator. */
public sealed interface ChainMember {

    /** The authenticator: an {@link Authenticator} for a {@link Request}, a {@link TokenAuthenticator} for a {@link Token}. */
    Object authenticator();

    /** A request authenticator (client certificates, headers). */
    record Request(Authenticator authenticator) implements ChainMember {
        public Request {
            Objects.requireNonNull(authenticator, "authenticator");
        }
    }

    /** A token authenticator; the chain runs it behind bearer-token extraction and the token cache. */
    record Token(TokenAuthenticator authenticator) implements ChainMember {
        public Token {
            Objects.requireNonNull(authenticator, "authenticator");
        }
    }
}
