package dev.nnkit.verification;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The catalogue of hostile model directories kept as test resources
 * ({@code hostile-models/catalogue.tsv}: directory, expected exit, part of the message), each run
 * through the real {@code nn predict}: the exit code and message it promises, one line on stderr
 * with no stack trace, no Java name and no raw control character.
 */
@DisplayName("Hostile model catalogue")
class HostileCatalogueTest {
    @TestFactory
    List<DynamicTest> everyEntry() throws IOException, URISyntaxException {
        Path root = Path.of(HostileCatalogueTest.class.getResource("/hostile-models/catalogue.tsv").toURI()).getParent();
        List<DynamicTest> tests = new ArrayList<>();
        for (String line : Files.readAllLines(root.resolve("catalogue.tsv"))) {
            if (line.startsWith("#") || line.isBlank()) {
                continue;
            }
            String[] f = line.split("\t", -1);
            tests.add(DynamicTest.dynamicTest(f[0], () -> {
                CliTest.Run r = CliTest.nn("predict", "--model", root.resolve(f[0]).toString(), "--data",
                        root.resolve("data.csv").toString());
                assertThat(r.code()).as(r.err()).isEqualTo(Integer.parseInt(f[1]));
                if (r.code() == 0) {
                    assertThat(r.err()).isEmpty();
                    return;
                }
                assertThat(r.err()).contains(f[2]).contains(f[0]).startsWith("nn: ").doesNotContain("Exception")
                        .doesNotContain("tools.jackson").doesNotContain("java.").doesNotContain("\tat ");
                assertThat(r.err().strip().lines().count()).as("one line").isEqualTo(1);
                assertThat(r.err().chars().filter(c -> c < 0x20 && c != '\n').count()).as("raw control characters").isZero();
                assertThat(r.out()).isEmpty();
            }));
        }
        assertThat(tests).hasSizeGreaterThanOrEqualTo(24);
        return tests;
    }
}
