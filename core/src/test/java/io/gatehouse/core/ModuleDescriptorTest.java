package io.gatehouse.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The module descriptor exports the API and SPI to everyone, the internal helpers only to Gatehouse's own
 * modules, requires nothing transitively that the API does not expose, and uses the provider SPI.
 */
class ModuleDescriptorTest {

    @Test
    void exportsTheApiAndSpiToAllAndTheHelpersOnlyToGatehouse() throws IOException {
        ModuleDescriptor d = descriptor();
        assertEquals("io.gatehouse.core", d.name());
        assertEquals(Set.of("io.gatehouse.core", "io.gatehouse.core.spi"),
                d.exports().stream().filter(e -> !e.isQualified()).map(ModuleDescriptor.Exports::source)
                        .collect(Collectors.toSet()));
        ModuleDescriptor.Exports internal = d.exports().stream().filter(ModuleDescriptor.Exports::isQualified)
                .collect(Collectors.toList()).get(0);
        assertEquals("io.gatehouse.core.internal", internal.source());
        assertTrue(internal.targets().stream().allMatch(t -> t.startsWith("io.gatehouse.")), internal.targets()::toString);
        assertEquals(Set.of("io.gatehouse.core.spi.AuthenticatorProvider"), d.uses());
    }

    @Test
    void requiresNothingTransitively() throws IOException {
        // The API exposes only JDK base types: slf4j, Caffeine, YAML and java.net.http are implementation.
        assertEquals(Set.of(), descriptor().requires().stream()
                .filter(r -> r.modifiers().contains(ModuleDescriptor.Requires.Modifier.TRANSITIVE))
                .map(ModuleDescriptor.Requires::name).collect(Collectors.toSet()));
    }

    private static ModuleDescriptor descriptor() throws IOException {
        Path classes = Path.of(URI.create(
                AuthenticationChain.class.getProtectionDomain().getCodeSource().getLocation().toString()));
        try (InputStream in = Files.newInputStream(classes.resolve("module-info.class"))) {
            return ModuleDescriptor.read(in);
        }
    }
}
