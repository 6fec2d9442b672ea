package io.gatehouse.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The module descriptor exports the API and SPI packages only and uses the provider SPI. */
class ModuleDescriptorTest {

    @Test
    void exportsOnlyTheApiAndSpi() throws IOException {
        ModuleDescriptor d;
        java.nio.file.Path classes = java.nio.file.Path.of(
                java.net.URI.create(AuthenticationChain.class.getProtectionDomain().getCodeSource().getLocation().toString()));
        try (InputStream in = java.nio.file.Files.newInputStream(classes.resolve("module-info.class"))) {
            d = ModuleDescriptor.read(in);
        }
        assertEquals("io.gatehouse.core", d.name());
        assertEquals(Set.of("io.gatehouse.core", "io.gatehouse.core.spi"),
                d.exports().stream().map(ModuleDescriptor.Exports::source).collect(Collectors.toSet()));
        assertEquals(Set.of("io.gatehouse.core.spi.AuthenticatorProvider"), d.uses());
    }
}
