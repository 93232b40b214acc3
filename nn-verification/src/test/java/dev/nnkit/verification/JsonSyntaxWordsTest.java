package dev.nnkit.verification;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * What JSON does not allow (NaN, hexadecimal numbers, comments, a '+' sign, nesting beyond the
 * limit) is said in plain words at its line and column, in a config, a model.json and a
 * checkpoint's state.json alike: never the parser's feature names.
 */
@DisplayName("JSON syntax errors in plain words")
class JsonSyntaxWordsTest {
    @TempDir
    Path dir;

    /** What is put after the opening '{' of the file, and what the error says. */
    static final String CASES = """
            'NaN'      | "x": NaN,             | line 1, column | NaN is not a JSON number; write a finite number such as 0.5.
            '-Infinity'| "x": -Infinity,       | line 1, column | -Infinity is not a JSON number; write a finite number such as 0.5.
            'hex'      | "x": 0x10,            | line 1, column | hexadecimal numbers are not JSON; write 16.
            'comment'  | // a note              | line 1, column | JSON has no comments; remove it.
            'plus'     | "x": +1,              | line 1, column | JSON numbers have no leading '+'; remove it.
            'deep'     | "x": [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]], | line 1, column 38 | the nesting depth is more than 32 levels; flatten the structure.
            """;

    private static Path corrupt(Path file, String insert) throws IOException {
        String text = Files.readString(file).strip();
        assertThat(text).startsWith("{");
        return Files.writeString(file, "{" + insert + (insert.startsWith("//") ? "\n" : "") + text.substring(1));
    }

    private static void plain(CliTest.Run r, String file, String place, String message) {
        assertThat(r.code()).as(r.err()).isEqualTo(4);
        assertThat(r.err()).contains(file, place, message).doesNotContain("Feature").doesNotContain("ALLOW_")
                .doesNotContain("`").doesNotContain("code 4");
    }

    private Path train() throws IOException {
        Files.writeString(dir.resolve("xor.csv"), CliTest.XOR_CSV);
        Path cfg = Files.writeString(dir.resolve("run.json"), CliTest.config("\"adam\"", "")
                .replace("\"maxEpochs\": 1000", "\"maxEpochs\": 2"));
        CliTest.Run r = CliTest.nn("train", "--quiet", "--config", cfg.toString(), "--out", dir.resolve("run").toString(),
                "--checkpoint-every", "1");
        assertThat(r.code()).as(r.err()).isZero();
        return cfg;
    }

    @ParameterizedTest(name = "config: {0}")
    @CsvSource(delimiter = '|', textBlock = CASES)
    void config(String name, String insert, String place, String message) throws IOException {
        Files.writeString(dir.resolve("xor.csv"), CliTest.XOR_CSV);
        Path cfg = corrupt(Files.writeString(dir.resolve("run.json"), CliTest.config("\"adam\"", "")), insert);
        plain(CliTest.nn("train", "--quiet", "--config", cfg.toString()), "run.json", place, message);
    }

    @ParameterizedTest(name = "model.json: {0}")
    @CsvSource(delimiter = '|', textBlock = CASES)
    void model(String name, String insert, String place, String message) throws IOException {
        train();
        corrupt(dir.resolve("run/model/model.json"), insert);
        plain(CliTest.nn("predict", "--model", dir.resolve("run").toString(), "--data", dir.resolve("xor.csv").toString()),
                "model.json", place, message);
    }

    @ParameterizedTest(name = "state.json: {0}")
    @CsvSource(delimiter = '|', textBlock = CASES)
    void state(String name, String insert, String place, String message) throws IOException {
        Path cfg = train();
        Path state;
        try (Stream<Path> s = Files.list(dir.resolve("run/checkpoints"))) {
            state = s.filter(p -> p.getFileName().toString().startsWith("step-")).sorted()
                    .reduce((a, b) -> b).orElseThrow().resolve("state.json");
        }
        corrupt(state, insert);
        plain(CliTest.nn("train", "--quiet", "--config", cfg.toString(), "--resume", dir.resolve("run").toString()),
                "state.json", place, message);
    }
}
