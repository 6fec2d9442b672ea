package io.gatehouse.modulepathtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Runs {@link ModulePathMain} in a child JVM on the module path, where qualified exports, {@code provides} and
 * {@code requires} are enforced: a wrong module-info in any Gatehouse module fails it (a missing {@code provides}
 * leaves a type unknown to the YAML loader, a missing export or requires fails resolution or linkage).
 */
class ModulePathTest {

    @Test
    void theAssembledChainRunsOnTheModulePath() throws Exception {
        // Google's CEL for Java ships jars without module names whose packages are split across them, so it
        // cannot be on the module path: it goes on the class path, and the oidc module reads the unnamed module
        // (the two options an application on the module path needs too, as the README says).
        List<String> modules = new ArrayList<>(List.of(System.getProperty("gatehouse.moduleClasses")));
        List<String> classPath = new ArrayList<>();
        for (String jar : Files.readString(Path.of(System.getProperty("gatehouse.modulePathFile"))).trim()
                .split(File.pathSeparator)) {
            (jar.contains(File.separator + "dev" + File.separator + "cel" + File.separator) ? classPath : modules).add(jar);
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "--module-path", String.join(File.pathSeparator, modules),
                "--class-path", String.join(File.pathSeparator, classPath),
                "--add-modules", "ALL-MODULE-PATH", "--add-reads", "io.gatehouse.oidc=ALL-UNNAMED",
                "-m", "io.gatehouse.modulepathtest/io.gatehouse.modulepathtest.ModulePathMain")
                .redirectErrorStream(true).start();
        // Bounded, not timed: the child needs a few seconds; a hung child fails the test instead of hanging it.
        boolean exited = child.waitFor(120, TimeUnit.SECONDS);
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!exited) {
            child.destroyForcibly();
        }
        assertTrue(exited, () -> "the child JVM did not exit:\n" + output);
        assertEquals(0, child.exitValue(), () -> "the module-path run failed:\n" + output);
        List<String> lines = output.lines().filter(l -> l.startsWith("ok ")).sorted().toList();
        assertEquals(5, lines.size(), () -> "expected one verdict per method and one from the Kubernetes API:\n" + output);
        assertTrue(lines.contains("ok kubernetes-api-unreachable-rejected"), output);
        assertTrue(lines.contains("ok system:serviceaccount:ns:robot"), output);
    }
}
