package dev.nnkit.verification;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A config whose network cannot fit the heap is refused before anything is allocated: exit 4 at
 * the layer, with the estimate, the heap and the fix; no Guice ProvisionException, no
 * OutOfMemoryError, no "split the data".
 */
@DisplayName("nn train estimates memory first")
class TrainingMemoryTest {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0} units on {1} inputs")
    @CsvSource({
        "100000000, 2, needs about",
        "1000000000, 2, needs about",
        "1000000000, 13, is more than a Java array holds",
    })
    void refusedWithTheFigure(long units, int inputs, String message) throws Exception {
        StringBuilder csv = new StringBuilder();
        for (int i = 0; i < inputs; i++) {
            csv.append("x").append(i).append(',');
        }
        csv.append("y\n");
        for (int r = 0; r < 4; r++) {
            for (int i = 0; i < inputs; i++) {
                csv.append(r + i).append(',');
            }
            csv.append(r % 2).append('\n');
        }
        Files.writeString(dir.resolve("d.csv"), csv);
        Path cfg = Files.writeString(dir.resolve("run.json"), """
                {"data": {"train": "d.csv"}, "layers": [{"type": "dense", "units": %d}, {"type": "relu"},
                 {"type": "dense", "units": 1}], "loss": "mse", "optimizer": "adam", "training": {"batchSize": 4}}
                """.formatted(units));
        List<String> command = new ArrayList<>(CliProcessTest.command("train", "--config", cfg.toString()));
        command.add(1, "-Xmx256m");
        CliProcessTest.Result r = new CliProcessTest().runIn(dir, command);
        assertThat(r.code()).as(r.err()).isEqualTo(4);
        assertThat(r.err()).contains("run.json at /layers/0", message, "units")
                .doesNotContain("Exception").doesNotContain("split the data").doesNotContain("\tat ");
        if (message.equals("needs about")) {
            assertThat(r.err()).contains("GB", "the Java heap (at most", "NN_JAVA_OPTS=-Xmx", "batchSize");
        }
    }

    @org.junit.jupiter.api.Test
    @org.junit.jupiter.api.DisplayName("a wide layer the estimate accepts trains and reports in a 300 MB heap (predicting for metrics ran out before)")
    void acceptedRunsFit() throws Exception {
        List<String> command = new ArrayList<>(CliProcessTest.command("train", "--quiet", "--config",
                RunDirectoryTest.IRIS, "--set", "layers.0.units=200000", "--epochs", "1"));
        // As ./nn runs it: the serial collector (G1's humongous regions fragment a heap this small).
        command.addAll(1, List.of("-Xmx300m", "-XX:+UseSerialGC", "-Xmn64m"));
        CliProcessTest.Result r = new CliProcessTest().runIn(dir, command);
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("Trained 4-200000-3").contains("validation loss");
    }
}
