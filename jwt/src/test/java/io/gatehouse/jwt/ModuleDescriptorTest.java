package io.gatehouse.jwt;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The engine is its own module: it exports its one package to everyone and depends on core, not on oidc. */
class ModuleDescriptorTest {

    @Test
    void exportsItsPackageToEveryoneAndNeedsNoAuthenticatorModule() throws Exception {
        Path classes = Path.of(JwtVerifier.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        ModuleDescriptor d;
        try (InputStream in = Files.newInputStream(classes.resolve("module-info.class"))) {
            d = ModuleDescriptor.read(in);
        }
        assertEquals("io.gatehouse.jwt", d.name());
        assertEquals(Map.of("io.gatehouse.jwt", Set.of()), d.exports().stream()
                .collect(Collectors.toMap(ModuleDescriptor.Exports::source, ModuleDescriptor.Exports::targets)));
        Set<String> requires = d.requires().stream().map(ModuleDescriptor.Requires::name).collect(Collectors.toSet());
        assertEquals(Set.of("java.base", "io.gatehouse.core", "com.nimbusds.jose.jwt", "org.bouncycastle.provider"), requires);
        assertEquals(Set.of(), d.provides(), "the engine is no authenticator of its own");
    }
}
