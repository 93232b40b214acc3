package dev.nnkit.verification;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A checkpoint's state.json is read with a size limit and field by field: an oversized file or a
 * value of the wrong type or range is refused on --resume with exit 4, the file and the field,
 * never a Jackson message.
 */
@DisplayName("Checkpoint state.json")
class StateFileSizeTest {
    @TempDir
    Path dir;

    private Path cfg;

    private Path newestState() throws IOException {
        Files.writeString(dir.resolve("xor.csv"), CliTest.XOR_CSV);
        cfg = Files.writeString(dir.resolve("run.json"), CliTest.config("\"adam\"", "")
                .replace("\"maxEpochs\": 1000", "\"maxEpochs\": 3"));
        CliTest.Run r = CliTest.nn("train", "--quiet", "--config", cfg.toString(), "--out", dir.resolve("run").toString(),
                "--checkpoint-every", "1");
        assertThat(r.code()).as(r.err()).isZero();
        try (Stream<Path> s = Files.list(dir.resolve("run/checkpoints"))) {
            return s.filter(p -> p.getFileName().toString().startsWith("step-")).sorted()
                    .reduce((a, b) -> b).orElseThrow().resolve("state.json");
        }
    }

    private CliTest.Run resume() {
        return CliTest.nn("train", "--quiet", "--config", cfg.toString(), "--resume", dir.resolve("run").toString());
    }

    @Test
    @DisplayName("a 300 MB state.json is refused by its size, before it is read")
    void oversized() throws IOException {
        Path state = newestState();
        try (RandomAccessFile f = new RandomAccessFile(state.toFile(), "rw")) {
            f.setLength(300L << 20);
        }
        long start = System.nanoTime();
        CliTest.Run r = resume();
        assertThat(r.code()).as(r.err()).isEqualTo(4);
        assertThat(r.err()).contains("state.json", "314572800 bytes", "at most");
        assertThat(System.nanoTime() - start).isLessThan(20_000_000_000L);
    }

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource(delimiter = '|', value = {
        "epoch         | \"x\"          | /epoch: expected a whole number from 1 to 2147483647; got the string \"x\"",
        "epoch         | 4294967297     | /epoch: expected a whole number from 1 to 2147483647; got 4294967297",
        "epoch         | 0              | /epoch: expected a whole number from 1",
        "batch         | -1             | /batch: expected a whole number from 0",
        "iterations    | 1e30           | /iterations: expected a whole number",
        "epochLossSum  | {\"a\": 1}     | /epochLossSum: expected a finite number; got an object",
        "epochLosses   | 5              | /epochLosses: expected an array of numbers",
        "shuffleState  | \"!!!\"        | /shuffleState: expected base64 text",
        "shuffleState  | 7              | /shuffleState: expected a string",
        "formatVersion | 100000000000000000000 | /formatVersion: expected a whole number from 1 to 3",
        "parameters    | [1]            | /parameters: expected an object",
        "stageRandomStates | \"x\"      | /stageRandomStates: expected an array of base64 strings",
        "epochScores   | 5              | /epochScores: expected an object of number arrays; got 5",
        "epochScores   | {\"trainAccuracy\": [1]} | /epochScores/trainAccuracy: expected an array of 2 numbers (one per finished epoch",
        "epochScores   | {\"trainAccuracy\": [1, \"x\"]} | /epochScores/trainAccuracy/1: expected a finite number",
    })
    void fieldTypes(String field, String value, String message) throws IOException {
        Path state = newestState();
        String json = Files.readString(state);
        String edited = json.replaceFirst("\"" + field + "\":(\"[^\"]*\"|\\[[^\\]]*\\]|\\{[^}]*\\}|[-0-9.eE]+)",
                java.util.regex.Matcher.quoteReplacement("\"" + field + "\":" + value));
        assertThat(edited).as("edited " + field).isNotEqualTo(json);
        Files.writeString(state, edited);
        CliTest.Run r = resume();
        assertThat(r.code()).as(r.err()).isEqualTo(4);
        assertThat(r.err()).contains("state.json at " + message).doesNotContain("Exception").doesNotContain("Node")
                .doesNotContain("java.");
    }
}
