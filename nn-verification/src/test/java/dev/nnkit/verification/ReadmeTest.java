package dev.nnkit.verification;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The README's library snippet is the code of examples/app, which CI compiles against the
 * installed BOM and runs: a snippet edited in one place and not the other fails here.
 */
@DisplayName("README")
class ReadmeTest {
    static final Path ROOT = Path.of("").toAbsolutePath().getParent();

    @Test
    @DisplayName("\"Using the library\" shows exactly the README region of examples/app's IrisApp")
    void librarySnippetIsTheAppsCode() throws IOException {
        String readme = Files.readString(ROOT.resolve("README.md"));
        String section = readme.substring(readme.indexOf("## Using the library"));
        String snippet = section.substring(section.indexOf("```java\n") + 8, section.indexOf("```\n", section.indexOf("```java\n") + 8));
        String app = Files.readString(ROOT.resolve("examples/app/src/main/java/com/example/app/IrisApp.java"));
        String region = app.substring(app.indexOf("// README: begin\n") + 17, app.indexOf("// README: end"));
        assertThat(dedent(snippet)).isNotEmpty().isEqualTo(dedent(region));
    }

    /** Lines without their common indentation and trailing blank lines. */
    private static List<String> dedent(String code) {
        List<String> lines = Arrays.asList(code.stripTrailing().split("\n"));
        int indent = lines.stream().filter(l -> !l.isBlank()).mapToInt(l -> l.length() - l.stripLeading().length()).min().orElse(0);
        return lines.stream().map(l -> l.isBlank() ? "" : l.substring(indent)).toList();
    }
}
