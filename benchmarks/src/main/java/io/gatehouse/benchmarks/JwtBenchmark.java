package io.gatehouse.benchmarks;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import io.gatehouse.core.AuthenticationListener;
import io.gatehouse.core.AuthenticationResult;
import io.gatehouse.oidc.JwtIssuer;
import io.gatehouse.oidc.OidcAuthenticator;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Uncached JWT verification with every Kubernetes check, against the raw signature verify it cannot beat
 * (the ratio is what counts) and against Nimbus' DefaultJWTProcessor, the peer most Java stacks use.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class JwtBenchmark {

    private static final String ISSUER = "https://issuer.example";

    private PublicKey rsaPublic;
    private byte[] rsaInput;
    private byte[] rsaSignature;
    private Signature rsaVerifier;
    private String rsaToken;
    private PublicKey ecPublic;
    private byte[] ecInput;
    private byte[] ecSignatureDer;
    private Signature ecVerifier;
    private String ecToken;
    private OidcAuthenticator gatehouse;
    private DefaultJWTProcessor<SecurityContext> nimbusRsa;
    private DefaultJWTProcessor<SecurityContext> nimbusEc;

    @Setup
    public void setUp() throws Exception {
        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(2048);
        KeyPair rsaKeys = rsa.generateKeyPair();
        KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
        ec.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair ecKeys = ec.generateKeyPair();
        rsaPublic = rsaKeys.getPublic();
        ecPublic = ecKeys.getPublic();

        JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(ISSUER).audience("gateway").subject("alice")
                .issueTime(new Date()).expirationTime(Date.from(Instant.now().plusSeconds(3600))).build();
        SignedJWT r = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("rsa").type(JOSEObjectType.JWT).build(), claims);
        r.sign(new RSASSASigner((RSAPrivateKey) rsaKeys.getPrivate()));
        rsaToken = r.serialize();
        SignedJWT e = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID("ec").type(JOSEObjectType.JWT).build(), claims);
        e.sign(new ECDSASigner((ECPrivateKey) ecKeys.getPrivate()));
        ecToken = e.serialize();

        rsaInput = signingInput(rsaToken);
        rsaSignature = Base64.getUrlDecoder().decode(rsaToken.substring(rsaToken.lastIndexOf('.') + 1));
        rsaVerifier = Signature.getInstance("SHA256withRSA");
        ecInput = signingInput(ecToken);
        ecSignatureDer = com.nimbusds.jose.crypto.impl.ECDSA.transcodeSignatureToDER(
                Base64.getUrlDecoder().decode(ecToken.substring(ecToken.lastIndexOf('.') + 1)));
        ecVerifier = Signature.getInstance("SHA256withECDSA");

        gatehouse = OidcAuthenticator.builder().listener(AuthenticationListener.NONE)
                .issuer(JwtIssuer.builder(ISSUER).audiences("gateway").username("sub", "-")
                        .signingAlgorithms(List.of("RS256", "ES256"))
                        .staticKey("rsa", rsaPublic).staticKey("ec", ecPublic).build())
                .build();
        nimbusRsa = nimbus(new JWKSet(new RSAKey.Builder((RSAPublicKey) rsaPublic).keyID("rsa").build()), JWSAlgorithm.RS256);
        nimbusEc = nimbus(new JWKSet(new ECKey.Builder(com.nimbusds.jose.jwk.Curve.P_256, (ECPublicKey) ecPublic)
                .keyID("ec").build()), JWSAlgorithm.ES256);
        if (!gatehouse.authenticate(rsaToken, List.of()).isAuthenticated()
                || !gatehouse.authenticate(ecToken, List.of()).isAuthenticated()) {
            throw new IllegalStateException("the benchmark tokens do not authenticate: "
                    + gatehouse.authenticate(rsaToken, List.of()));
        }
    }

    @TearDown
    public void tearDown() {
        gatehouse.close();
    }

    private static byte[] signingInput(String token) {
        return token.substring(0, token.lastIndexOf('.')).getBytes(StandardCharsets.US_ASCII);
    }

    private static DefaultJWTProcessor<SecurityContext> nimbus(JWKSet keys, JWSAlgorithm alg) {
        DefaultJWTProcessor<SecurityContext> p = new DefaultJWTProcessor<>();
        p.setJWSKeySelector(new JWSVerificationKeySelector<>(alg, new ImmutableJWKSet<>(keys)));
        p.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>("gateway",
                new JWTClaimsSet.Builder().issuer(ISSUER).build(), Set.of("sub", "exp", "iat")));
        return p;
    }

    /** Floor: one SHA256withRSA verification of the signing input with the JDK. */
    @Benchmark
    public boolean rawJcaRs256Verify() throws Exception {
        rsaVerifier.initVerify(rsaPublic);
        rsaVerifier.update(rsaInput);
        return rsaVerifier.verify(rsaSignature);
    }

    @Benchmark
    public AuthenticationResult gatehouseOidcRs256() {
        return gatehouse.authenticate(rsaToken, List.of());
    }

    @Benchmark
    public JWTClaimsSet nimbusProcessorRs256() throws Exception {
        return nimbusRsa.process(rsaToken, null);
    }

    /** Floor: one SHA256withECDSA verification with the JDK's SunEC. */
    @Benchmark
    public boolean rawSunEcEs256Verify() throws Exception {
        ecVerifier.initVerify(ecPublic);
        ecVerifier.update(ecInput);
        return ecVerifier.verify(ecSignatureDer);
    }

    @Benchmark
    public AuthenticationResult gatehouseOidcEs256() {
        return gatehouse.authenticate(ecToken, List.of());
    }

    @Benchmark
    public JWTClaimsSet nimbusProcessorEs256() throws Exception {
        return nimbusEc.process(ecToken, null);
    }
}
