package dev.nnkit.verification;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * nn explain refuses what it cannot explain, as nn train and predict do: numbers that are not plain
 * finite decimals, the wrong number of inputs, a bad learning rate or optimizer (exit 2, naming the
 * option), and a directory as --weights (exit 4); never Infinity or NaN in a derivation.
 */
@DisplayName("nn explain refuses bad options")
class ExplainRefusalsTest {
    static final Path ROOT = Path.of("").toAbsolutePath().getParent();
    static final Path IRIS = ROOT.resolve("examples/iris.json");
    static final Path SEED = ROOT.resolve("docs/explain/seed-003.json");

    @TempDir
    static Path dir;
    static Path run;

    @BeforeAll
    static void train() {
        run = dir.resolve("iris-run");
        CliTest.Run r = CliTest.nn("train", "--quiet", "--config", IRIS.toString(), "--epochs", "1", "--out", run.toString());
        assertThat(r.code()).as(r.err()).isZero();
    }

    static void refused(CliTest.Run r, int code, String... parts) {
        assertThat(r.code()).as(r.err()).isEqualTo(code);
        assertThat(r.err()).contains(parts).doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(r.out()).doesNotContain("Infinity").doesNotContain("NaN");
    }

    @ParameterizedTest(name = "--input {0} (value {1})")
    @CsvSource(delimiter = ';', value = {
        "5.1,0x1p2,1.4,0.2; 2; '0x1p2' is not a number",
        "5.1,3d,1.4,0.2; 2; '3d' is not a number",
        "5.1,3.5,1e999,0.2; 3; '1e999' is too large",
        "NaN,3.5,1.4,0.2; 1; 'NaN' is not a finite number",
        "5.1,3.5,1.4,1e300; 4; '1e300' is beyond float32's range",
    })
    void inputNotAPlainDecimal(String input, int position, String message) {
        refused(CliTest.nn("explain", "--model", run.toString(), "--input", input, "--target", "1,0,0"), 2,
                "--input, value " + position + " of 4", message);
    }

    @Test
    @DisplayName("a CNN config given one value for an IDX image: exit 4 at the stage the image is too small for")
    void cnnInputTooSmall() {
        refused(CliTest.nn("explain", "--config", ROOT.resolve("examples/fashion-mnist-cnn.json").toString(),
                "--input", "0", "--target", "1"), 4, "fashion-mnist-cnn.json at /layers/", "is larger than the image");
    }

    @Test
    @DisplayName("--lr 1e38 against the sample's class: the step diverges to a NaN loss; exit 2 asking for a smaller --lr")
    void divergedStep() {
        Path trained = dir.resolve("iris-trained"); // the example's 150 epochs: confident enough to overflow
        CliTest.Run r = CliTest.nn("train", "--quiet", "--config", IRIS.toString(), "--out", trained.toString());
        assertThat(r.code()).as(r.err()).isZero();
        refused(CliTest.nn("explain", "--model", trained.toString(), "--input", "5.1,3.5,1.4,0.2", "--target", "0,0,1",
                "--lr", "1e38"), 2, "the loss after the update is ", "the step diverged. Give a smaller --lr.");
    }

    @Test
    @DisplayName("--target NaN,0,0: refused at its position")
    void targetNaN() {
        refused(CliTest.nn("explain", "--model", run.toString(), "--input", "5.1,3.5,1.4,0.2", "--target", "NaN,0,0"), 2,
                "--target, value 1 of 3", "'NaN' is not a finite number");
    }

    @Test
    @DisplayName("--input Infinity on a config: refused at its position")
    void configInputs() {
        refused(CliTest.nn("explain", "--config", SEED.toString(), "--input", "2,Infinity,-1", "--target", "1"), 2,
                "--input, value 2 of 3", "'Infinity' is not a finite number");
    }

    @Test
    @DisplayName("a float32 value the model's normalizer takes beyond float32: refused at its position")
    void normalizedBeyondFloat32() {
        refused(CliTest.nn("explain", "--model", run.toString(), "--input", "5.1,3.5,1.4,3.4e38", "--target", "1,0,0"), 2,
                "--input, value 4 of 4: '3.4e38' becomes", "after the model's normalizer (standardize)");
    }

    @Test
    @DisplayName("3 values for a 4-input model: exit 2 naming --input and both counts")
    void wrongInputCount() {
        refused(CliTest.nn("explain", "--model", run.toString(), "--input", "5.1,3.5,1.4", "--target", "1,0,0"), 2,
                "--input has 3 values", "takes 4 inputs");
    }

    @ParameterizedTest(name = "--lr {0}")
    @CsvSource(delimiter = '|', value = {
        "-1       | --lr must be a positive finite number such as 0.1",
        "0        | --lr must be a positive finite number such as 0.1",
        "NaN      | Invalid value for option '--lr': 'NaN' is not a finite number",
        "Infinity | Invalid value for option '--lr': 'Infinity' is not a finite number",
        "0x1p2    | Invalid value for option '--lr': '0x1p2' is not a number; write plain decimals",
    })
    void badLearningRate(String lr, String message) {
        refused(CliTest.nn("explain", "--config", SEED.toString(), "--input", "2,3,-1", "--target", "1", "--lr", lr), 2,
                message);
    }

    @Test
    @DisplayName("--optimizer foo: exit 2 listing the known optimizers")
    void unknownOptimizer() {
        refused(CliTest.nn("explain", "--config", SEED.toString(), "--input", "2,3,-1", "--target", "1", "--optimizer", "foo"),
                2, "--optimizer", "Unknown optimizer 'foo'", "Known:", "sgd", "adam");
    }

    @Test
    @DisplayName("--weights DIR: exit 4 naming the path and asking for the safetensors file")
    void weightsDirectory() {
        refused(CliTest.nn("explain", "--config", SEED.toString(), "--weights", dir.toString(), "--input", "2,3,-1",
                "--target", "1"), 4, dir + ": is a directory; give the safetensors weights file itself.");
    }

    @ParameterizedTest(name = "{0} units")
    @CsvSource({"100000000", "1000000000"})
    @DisplayName("a config the heap cannot hold: exit 4 at its layer with the figure")
    void hugeConfig(long units) throws IOException, InterruptedException {
        Path cfg = Files.writeString(dir.resolve("huge-" + units + ".json"), """
                {"data": {"train": "d.csv"}, "layers": [{"type": "dense", "units": %d}, {"type": "relu"},
                 {"type": "dense", "units": 1}], "loss": "mse", "optimizer": "adam"}
                """.formatted(units));
        var command = new java.util.ArrayList<>(CliProcessTest.command("explain", "--config", cfg.toString(),
                "--input", "1,2", "--target", "1"));
        command.add(1, "-Xmx256m");
        CliProcessTest.Result r = new CliProcessTest().runIn(dir, command);
        assertThat(r.code()).as(r.err()).isEqualTo(4);
        assertThat(r.err()).contains("huge-" + units + ".json at /layers/0", "units", "NN_JAVA_OPTS=-Xmx")
                .doesNotContain("Exception").doesNotContain("OutOfMemoryError").doesNotContain("\tat ");
    }
}
