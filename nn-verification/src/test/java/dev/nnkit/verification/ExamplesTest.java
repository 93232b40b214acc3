package dev.nnkit.verification;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The shipped examples reach the validation scores examples/README.md documents, when run exactly
 * as a user runs them: {@code nn train --config examples/<name>.json}.
 */
@DisplayName("Shipped examples")
class ExamplesTest {
    static final Path EXAMPLES = Path.of("").toAbsolutePath().getParent().resolve("examples");

    @ParameterizedTest(name = "{0}: validation {1} ≥ {2}")
    @CsvSource({
        "iris.json, accuracy, 90",
        "breast-cancer.json, accuracy, 95",
        "breast-cancer-early-stopping.json, accuracy, 95",
        "diabetes.json, R², 0.40"})
    void reachesDocumentedScore(String config, String metric, double threshold) {
        CliTest.Run r = CliTest.nn("train", "--quiet", "--config", EXAMPLES.resolve(config).toString());
        assertThat(r.code()).as(r.err()).isZero();
        Matcher m = Pattern.compile("validation loss [0-9.]+  " + (metric.equals("accuracy")
                ? "accuracy ([0-9.]+)%" : "RMSE [0-9.]+  R² ([0-9.]+)")).matcher(r.out());
        assertThat(m.find()).as(r.out()).isTrue();
        assertThat(Double.parseDouble(m.group(1))).as("%s validation %s", config, metric).isGreaterThanOrEqualTo(threshold);
    }
}
