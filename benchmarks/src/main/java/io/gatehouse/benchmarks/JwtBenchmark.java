package io.gatehouse.benchmarks;

import com.auth0.jwt.JWT;
import com.auth0.jwt.JWTVerifier;
import com.auth0.jwt.algorithms.Algorithm;
import com.auth0.jwt.interfaces.DecodedJWT;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import io.gatehouse.core.AuthenticationResult;
import io.gatehouse.oidc.OidcAuthenticator;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import io.jsonwebtoken.Claims;
import io.jsonwebtoken.Jws;
import io.jsonwebtoken.JwtParser;
import io.jsonwebtoken.Jwts;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.math.ec.FixedPointUtil;
import org.bouncycastle.math.ec.WNafUtil;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
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
 * Uncached OIDC token verification with every Kubernetes check, against the raw signature verify it cannot
 * beat (the ratio is what counts), BouncyCastle's EC verify with the key's precomputation (the floor of the
 * ES256 path) and the peers on identical tokens with equivalent checks (signature, iss, aud, exp): Nimbus'
 * DefaultJWTProcessor (the one most Java stacks use), auth0 java-jwt, jjwt and jose4j.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class JwtBenchmark {

    private PublicKey rsaPublic;
    private byte[] rsaInput;
    private byte[] rsaSignature;
    private Signature rsaVerifier;
    private BigInteger rsaSignatureInteger;
    private BigInteger rsaModulus;
    private BigInteger rsaExponent;
    private String rsaToken;
    private PublicKey ecPublic;
    private byte[] ecInput;
    private byte[] ecSignatureDer;
    private Signature ecVerifier;
    private ECPublicKeyParameters bcKey;
    private BigInteger bcR;
    private BigInteger bcS;
    private String ecToken;
    private OidcAuthenticator gatehouse;
    private DefaultJWTProcessor<SecurityContext> nimbusRsa;
    private DefaultJWTProcessor<SecurityContext> nimbusEc;
    private JWTVerifier auth0Rsa;
    private JWTVerifier auth0Ec;
    private JwtParser jjwtRsa;
    private JwtConsumer jose4jRsa;

    @Setup
    public void setUp() throws Exception {
        KeyPair rsaKeys = BenchFixtures.rsa();
        KeyPair ecKeys = BenchFixtures.ec("secp256r1");
        rsaPublic = rsaKeys.getPublic();
        ecPublic = ecKeys.getPublic();
        rsaToken = BenchFixtures.oidcToken(rsaKeys, JWSAlgorithm.RS256, "rsa");
        ecToken = BenchFixtures.oidcToken(ecKeys, JWSAlgorithm.ES256, "ec");

        rsaInput = signingInput(rsaToken);
        rsaSignature = signature(rsaToken);
        rsaVerifier = Signature.getInstance("SHA256withRSA");
        rsaSignatureInteger = new BigInteger(1, rsaSignature);
        rsaModulus = ((RSAPublicKey) rsaPublic).getModulus();
        rsaExponent = ((RSAPublicKey) rsaPublic).getPublicExponent();
        ecInput = signingInput(ecToken);
        byte[] p1363 = signature(ecToken);
        ecSignatureDer = com.nimbusds.jose.crypto.impl.ECDSA.transcodeSignatureToDER(p1363);
        ecVerifier = Signature.getInstance("SHA256withECDSA");
        X9ECParameters p256 = CustomNamedCurves.getByName("secp256r1");
        ECDomainParameters domain = new ECDomainParameters(p256.getCurve(), p256.getG(), p256.getN(), p256.getH());
        ECPublicKey ec = (ECPublicKey) ecPublic;
        bcKey = new ECPublicKeyParameters(domain.getCurve().createPoint(ec.getW().getAffineX(), ec.getW().getAffineY()), domain);
        WNafUtil.configureBasepoint(bcKey.getQ());
        FixedPointUtil.precompute(bcKey.getQ());
        bcR = new BigInteger(1, p1363, 0, 32);
        bcS = new BigInteger(1, p1363, 32, 32);

        gatehouse = BenchFixtures.oidc(rsaKeys, ecKeys);
        nimbusRsa = nimbus(new JWKSet(new RSAKey.Builder((RSAPublicKey) rsaPublic).keyID("rsa").build()), JWSAlgorithm.RS256);
        nimbusEc = nimbus(new JWKSet(new ECKey.Builder(Curve.P_256, ec).keyID("ec").build()), JWSAlgorithm.ES256);
        auth0Rsa = JWT.require(Algorithm.RSA256((RSAPublicKey) rsaPublic, null)).withIssuer(BenchFixtures.OIDC_ISSUER)
                .withAudience("gateway").build();
        auth0Ec = JWT.require(Algorithm.ECDSA256(ec, null)).withIssuer(BenchFixtures.OIDC_ISSUER)
                .withAudience("gateway").build();
        jjwtRsa = Jwts.parser().verifyWith(rsaPublic).requireIssuer(BenchFixtures.OIDC_ISSUER)
                .requireAudience("gateway").build();
        jose4jRsa = new JwtConsumerBuilder().setRequireExpirationTime().setRequireSubject()
                .setExpectedIssuer(BenchFixtures.OIDC_ISSUER).setExpectedAudience("gateway")
                .setVerificationKey(rsaPublic)
                .setJwsAlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT, AlgorithmIdentifiers.RSA_USING_SHA256)
                .build();
        auth0Rs256();
        auth0Es256();
        jjwtRs256();
        jose4jRs256();
        if (!gatehouse.authenticate(rsaToken, List.of()).isAuthenticated()
                || !gatehouse.authenticate(ecToken, List.of()).isAuthenticated()
                || !rawJcaRs256Verify() || !rawSunEcEs256Verify() || !rawBcEs256Verify()) {
            throw new IllegalStateException("the benchmark tokens do not verify: " + gatehouse.authenticate(rsaToken, List.of()));
        }
    }

    @TearDown
    public void tearDown() {
        gatehouse.close();
    }

    static byte[] signingInput(String token) {
        return token.substring(0, token.lastIndexOf('.')).getBytes(StandardCharsets.US_ASCII);
    }

    static byte[] signature(String token) {
        return Base64.getUrlDecoder().decode(token.substring(token.lastIndexOf('.') + 1));
    }

    private static DefaultJWTProcessor<SecurityContext> nimbus(JWKSet keys, JWSAlgorithm alg) {
        DefaultJWTProcessor<SecurityContext> p = new DefaultJWTProcessor<>();
        p.setJWSKeySelector(new JWSVerificationKeySelector<>(alg, new ImmutableJWKSet<>(keys)));
        p.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>("gateway",
                new JWTClaimsSet.Builder().issuer(BenchFixtures.OIDC_ISSUER).build(), Set.of("sub", "exp", "iat")));
        return p;
    }

    /** Floor: one SHA256withRSA verification of the signing input with the JDK (a reused Signature). */
    @Benchmark
    public boolean rawJcaRs256Verify() throws Exception {
        rsaVerifier.initVerify(rsaPublic);
        rsaVerifier.update(rsaInput);
        return rsaVerifier.verify(rsaSignature);
    }

    /**
     * The RSA public operation alone, s^e mod n with the JDK's BigInteger (Montgomery multiplication by a
     * native intrinsic, after a Java division that converts s into Montgomery form): nearly all of
     * {@link #rawJcaRs256Verify}, which is why a faster RS256 needs a faster modPow, not a leaner JCA.
     */
    @Benchmark
    public BigInteger rawModPowRs256() {
        return rsaSignatureInteger.modPow(rsaExponent, rsaModulus);
    }

    /** Parse, alg/kid/key selection, RSA verify, exp/nbf/aud, claim mapping: the whole uncached path. */
    @Benchmark
    public AuthenticationResult gatehouseOidcRs256() {
        return gatehouse.authenticate(rsaToken, List.of());
    }

    @Benchmark
    public JWTClaimsSet nimbusProcessorRs256() throws Exception {
        return nimbusRsa.process(rsaToken, null);
    }

    /** The reference the ES256 target is held to: one SHA256withECDSA verification with the JDK's SunEC. */
    @Benchmark
    public boolean rawSunEcEs256Verify() throws Exception {
        ecVerifier.initVerify(ecPublic);
        ecVerifier.update(ecInput);
        return ecVerifier.verify(ecSignatureDer);
    }

    /** Floor of the ES256 path: BouncyCastle's ECDSA with the key's precomputation reused, plus the SHA-256. */
    @Benchmark
    public boolean rawBcEs256Verify() throws Exception {
        ECDSASigner signer = new ECDSASigner();
        signer.init(false, bcKey);
        return signer.verifySignature(MessageDigest.getInstance("SHA-256").digest(ecInput), bcR, bcS);
    }

    @Benchmark
    public AuthenticationResult gatehouseOidcEs256() {
        return gatehouse.authenticate(ecToken, List.of());
    }

    @Benchmark
    public JWTClaimsSet nimbusProcessorEs256() throws Exception {
        return nimbusEc.process(ecToken, null);
    }

    @Benchmark
    public DecodedJWT auth0Rs256() {
        return auth0Rsa.verify(rsaToken);
    }

    @Benchmark
    public DecodedJWT auth0Es256() {
        return auth0Ec.verify(ecToken);
    }

    @Benchmark
    public Jws<Claims> jjwtRs256() {
        return jjwtRsa.parseSignedClaims(rsaToken);
    }

    @Benchmark
    public JwtClaims jose4jRs256() throws Exception {
        return jose4jRsa.processToClaims(rsaToken);
    }
}
