package io.gatehouse.oidc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The README's CEL example loads as written: every expression compiles and type-checks at load. */
class ReadmeCelExampleTest {

    @Test
    void theReadmesKeycloakMappingLoads() throws Exception {
        String root = System.getProperty("gatehouse.repoRoot");
        assumeTrue(root != null, "gatehouse.repoRoot not set");
        String readme = Files.readString(Path.of(root, "README.md"));
        int section = readme.indexOf("### CEL in `AuthenticationConfiguration`");
        int start = readme.indexOf("```yaml\n", section) + "```yaml\n".length();
        String yaml = readme.substring(start, readme.indexOf("```", start));
        List<JwtIssuer> issuers = AuthenticationConfiguration.parse(yaml, "README.md");
        assertEquals(1, issuers.size());
    }
}
