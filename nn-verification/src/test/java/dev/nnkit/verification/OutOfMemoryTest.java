package dev.nnkit.verification;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * When the heap runs out anyway (here: an 18 MB CSV in a 20 MB heap), {@code nn} says so in one
 * line with the heap size and the fix, exit 1, never a stack trace.
 */
@org.junit.jupiter.api.Tag("slow") // excluded by -DexcludedGroups=slow for a quick local loop; CI runs it
@DisplayName("nn out of memory")
class OutOfMemoryTest {
    @TempDir
    Path dir;

    @Test
    @DisplayName("exit 1 with the heap size and how to raise it")
    void saysHowToRaiseTheHeap() throws Exception {
        Path csv = dir.resolve("wide.csv");
        SplittableRandom r = new SplittableRandom(1);
        try (BufferedWriter w = Files.newBufferedWriter(csv)) {
            for (int i = 0; i < 50; i++) {
                w.write("f" + i + ",");
            }
            w.write("y\n");
            for (int row = 0; row < 40_000; row++) {
                for (int i = 0; i < 50; i++) {
                    w.write(String.format(Locale.ROOT, "%.6f,", r.nextDouble()));
                }
                w.write("1\n");
            }
        }
        Path config = Files.writeString(dir.resolve("run.json"), "{\"data\": {\"train\": \"wide.csv\"}, \"layers\": "
                + "[{\"type\": \"dense\", \"units\": 1}], \"loss\": \"mse\", \"optimizer\": \"sgd\"}");
        List<String> command = new ArrayList<>(CliProcessTest.command("train", "--config", config.toString()));
        command.add(1, "-Xmx20m");
        CliProcessTest.Result result = new CliProcessTest().runIn(dir, command);
        assertThat(result.code()).as(result.err()).isEqualTo(1);
        assertThat(result.err()).contains("nn: out of memory: the Java heap (at most ").contains("NN_JAVA_OPTS=-Xmx8g")
                .doesNotContain("\tat ").doesNotContain("java.lang.OutOfMemoryError");
    }
}
