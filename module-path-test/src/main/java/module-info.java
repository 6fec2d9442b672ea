/**
 * Gatehouse on the module path: assembles a chain of every method through {@link java.util.ServiceLoader} and
 * {@code ChainConfigLoader}, authenticates one credential of each kind and prints what it found. Not published;
 * {@code ModulePathTest} runs it in a child JVM.
 */
module io.gatehouse.modulepathtest {
    requires io.gatehouse.core;
    requires io.gatehouse.bootstrap;
    requires io.gatehouse.serviceaccount;
    requires io.gatehouse.kubernetes;
    requires org.bouncycastle.pkix;
    requires org.bouncycastle.provider;
}
