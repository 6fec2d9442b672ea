package io.gatehouse.bootstrap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Pins module-info and the META-INF/services file: tests run on the class path, so nothing else checks them. */
class ModuleDescriptorTest {

    @Test
    void exportsOnlyTheApiAndProvidesTheProvider() throws IOException, URISyntaxException {
        Path classes = Path.of(BootstrapTokenProvider.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        ModuleDescriptor descriptor;
        try (InputStream in = Files.newInputStream(classes.resolve("module-info.class"))) {
            descriptor = ModuleDescriptor.read(in);
        }
        assertEquals("io.gatehouse.bootstrap", descriptor.name());
        assertEquals(Set.of("io.gatehouse.bootstrap"),
                descriptor.exports().stream().map(ModuleDescriptor.Exports::source).collect(Collectors.toSet()));
        assertTrue(descriptor.requires().stream().anyMatch(r -> r.name().equals("io.gatehouse.core")));
        assertEquals(List.of(BootstrapTokenProvider.class.getName()), descriptor.provides().stream()
                .filter(p -> p.service().equals("io.gatehouse.core.spi.AuthenticatorProvider"))
                .flatMap(p -> p.providers().stream()).toList());
        assertEquals(List.of(BootstrapTokenProvider.class.getName()), Files.readAllLines(
                classes.resolve("META-INF/services/io.gatehouse.core.spi.AuthenticatorProvider")));
    }
}
