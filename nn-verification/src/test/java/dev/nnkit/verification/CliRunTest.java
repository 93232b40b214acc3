package dev.nnkit.verification;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nnkit.cli.NnCommand;
import dev.nnkit.io.checkpoint.Checkpoints;
import dev.nnkit.io.model.Prediction;
import dev.nnkit.io.model.Predictor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole command line on a shipped example, in-process: nn train writes a run (model,
 * metrics.jsonl, curves.png), then evaluate, predict and inspect use it; and every failure exits
 * with its code and a message, never a stack trace.
 */
@DisplayName("nn train, evaluate, predict, inspect")
class CliRunTest {
    @TempDir
    static Path dir;
    static Path run;
    static CliTest.Run trained;
    static final Path EXAMPLES = Path.of("").toAbsolutePath().getParent().resolve("examples");

    @BeforeAll
    static void train() {
        run = dir.resolve("iris-run");
        trained = CliTest.nn("train", "--quiet", "--config", EXAMPLES.resolve("iris.json").toString(), "--out", run.toString());
    }

    @Test
    @DisplayName("train writes the model, metrics.jsonl with one line per epoch, and a PNG of the curves")
    void trainWritesRun() throws IOException {
        assertThat(trained.code()).as(trained.err()).isZero();
        assertThat(trained.out()).contains("Trained 4-16-3 (131 parameters) for 150 epochs")
                .containsPattern("validation loss [0-9.]+  accuracy (9[0-9]|100)\\.[0-9]{2}%");
        assertThat(run.resolve("model/model.json")).exists();
        assertThat(run.resolve("model/model.safetensors")).exists();
        List<String> metrics = Files.readAllLines(run.resolve("metrics.jsonl"));
        assertThat(metrics).hasSize(150);
        assertThat(metrics.get(0)).startsWith("{\"epoch\":1,\"trainLoss\":").contains("\"trainAccuracy\":")
                .contains("\"validationLoss\":").contains("\"validationAccuracy\":").contains("\"learningRate\":0.01")
                .contains("\"seconds\":");
        byte[] png = Files.readAllBytes(run.resolve("curves.png"));
        assertThat(png).startsWith(new byte[] {(byte) 0x89, 'P', 'N', 'G'});
    }

    @Test
    @DisplayName("evaluate reports accuracy, per-class scores, the confusion matrix and log loss, as text or JSON")
    void evaluate() {
        String data = EXAMPLES.resolve("iris/validation.csv").toString();
        CliTest.Run text = CliTest.nn("evaluate", "--model", run.toString(), "--data", data);
        assertThat(text.code()).as(text.err()).isZero();
        assertThat(text.out()).contains("examples  30").containsPattern("accuracy  (9[0-9]|100)\\.[0-9]{2}%")
                .contains("log loss").contains("setosa").contains("versicolor").contains("virginica").contains("macro")
                .contains("confusion (rows: true, columns: predicted)");
        CliTest.Run json = CliTest.nn("evaluate", "--model", run.toString(), "--data", data, "--format", "json");
        assertThat(json.out()).contains("\"task\" : \"classification\"").contains("\"macroF1\"").contains("\"confusion\"");
    }

    @Test
    @DisplayName("predict writes CSV with the original class names, and probabilities on request")
    void predict() throws IOException {
        Path out = dir.resolve("predictions.csv");
        CliTest.Run r = CliTest.nn("predict", "--model", run.resolve("model").toString(), "--data",
                EXAMPLES.resolve("iris/validation.csv").toString(), "--output", out.toString(), "--probabilities");
        assertThat(r.code()).as(r.err()).isZero();
        List<String> lines = Files.readAllLines(out);
        assertThat(lines.get(0)).isEqualTo("prediction,p(setosa),p(versicolor),p(virginica)");
        assertThat(lines).hasSize(31);
        assertThat(lines.get(1)).startsWith("setosa,");
        // features only, no target column: still predicts
        Path featuresOnly = Files.writeString(dir.resolve("new.csv"),
                "sepal_length,sepal_width,petal_length,petal_width\n5.0,3.4,1.5,0.2\n6.9,3.1,5.4,2.1\n");
        CliTest.Run stdout = CliTest.nn("predict", "--model", run.toString(), "--data", featuresOnly.toString());
        assertThat(stdout.out()).isEqualTo("prediction\nsetosa\nvirginica\n");
    }

    @Test
    @DisplayName("the Predictor API, loading the run as an application would, gives what nn predict writes, bit for bit")
    void predictorEqualsCli() throws IOException {
        Path data = EXAMPLES.resolve("iris/validation.csv");
        Path out = dir.resolve("predictions-for-api.csv");
        CliTest.Run r = CliTest.nn("predict", "--model", run.toString(), "--data", data.toString(), "--output",
                out.toString(), "--probabilities");
        assertThat(r.code()).as(r.err()).isZero();
        List<String> lines = Files.readAllLines(out);
        Predictor predictor = Predictor.load(run);
        List<Prediction> fromCsv = predictor.predictCsv(data);
        assertThat(fromCsv).hasSize(lines.size() - 1);
        List<String> rows = Files.readAllLines(data);
        double[][] values = rows.stream().skip(1).map(l -> java.util.Arrays.stream(l.split(",")).limit(4)
                .mapToDouble(Double::parseDouble).toArray()).toArray(double[][]::new);
        assertThat(predictor.predict(values)).isEqualTo(fromCsv); // the same rows as one batch: the same bits
        for (int i = 0; i < fromCsv.size(); i++) {
            String[] cli = lines.get(i + 1).split(",");
            Prediction p = fromCsv.get(i);
            assertThat(p.label()).isEqualTo(cli[0]);
            // A float32 model's values are written as the shortest decimal of each float: read back as
            // floats they are the API's values exactly.
            assertThat(p.probabilities().values()).containsExactly((double) Float.parseFloat(cli[1]),
                    (double) Float.parseFloat(cli[2]), (double) Float.parseFloat(cli[3]));
            // One row alone runs other kernels than a batch of 30 (a tiny network's batches of 16 and more
            // run feature-major), so its float32 sums may round differently in the last bits.
            Prediction alone = predictor.predict(values[i]);
            assertThat(alone.label()).isEqualTo(p.label());
            for (String c : predictor.classes()) {
                assertThat(alone.probability(c)).isCloseTo(p.probability(c), org.assertj.core.data.Offset.offset(1e-6));
            }
        }
    }

    @Test
    @DisplayName("inspect shows layers, shapes, parameter counts, plugins and provenance")
    void inspect() {
        CliTest.Run r = CliTest.nn("inspect", "--model", run.toString());
        assertThat(r.code()).isZero();
        java.util.List<String> table = r.out().lines().takeWhile(l -> !l.isEmpty()).toList();
        assertThat(table).hasSize(6);
        assertThat(table.get(2)).startsWith("0   dense    {\"units\":16,\"bias\":true,\"weightInit\":\"glorot-uniform\"");
        assertThat(table.subList(1, 6)).as("the output column lines up").extracting(l -> l.indexOf("[n, "))
                .containsOnly(table.get(0).indexOf("output"));
        assertThat(r.out()).contains("0.weight[16, 4] 0.bias[16]").contains("total parameters  131")
                .contains("loss              {\"type\":\"categorical-cross-entropy\"}")
                .contains("classes           [setosa, versicolor, virginica]")
                .contains("layer/dense").contains("configHash   sha256:").contains("seed         1");
    }

    @Nested
    @DisplayName("fails cleanly")
    class Failures {
        @Test
        @DisplayName("exit 2: unknown command or option, missing --config, --checkpoint-every without --out, a malformed --set")
        void usage() {
            assertThat(CliTest.nn("fit").code()).isEqualTo(2);
            CliTest.Run r = CliTest.nn("train", "--config", "x.json", "--epoch", "3");
            assertThat(r.code()).isEqualTo(2);
            assertThat(r.err()).contains("Unknown options: '--epoch'").contains("Possible solutions: --epochs");
            assertThat(CliTest.nn("evaluate", "--data", "x.csv").err()).contains("Missing required option: '--model=DIR'");
            r = CliTest.nn("train", "--config", EXAMPLES.resolve("iris.json").toString(), "--checkpoint-every", "5");
            assertThat(r.code()).isEqualTo(2);
            assertThat(r.err()).contains("--checkpoint-every needs --out DIR");
            r = CliTest.nn("train", "--config", EXAMPLES.resolve("iris.json").toString(), "--set", "optimizer");
            assertThat(r.code()).isEqualTo(2);
            assertThat(r.err()).contains("--set optimizer: expected path=value");
        }

        @Test
        @DisplayName("exit 4 without a stack trace: a damaged model, data with other columns, a missing file")
        void invalidFiles() throws IOException {
            Path broken = dir.resolve("broken");
            Files.createDirectories(broken);
            Files.copy(run.resolve("model/model.json"), broken.resolve("model.json"));
            Files.write(broken.resolve("model.safetensors"), new byte[] {1, 2, 3});
            CliTest.Run r = CliTest.nn("evaluate", "--model", broken.toString(), "--data",
                    EXAMPLES.resolve("iris/validation.csv").toString());
            assertThat(r.code()).isEqualTo(4);
            assertThat(r.err()).contains("model.safetensors at byte 0: the file has 3 bytes").doesNotContain("\tat ");
            r = CliTest.nn("predict", "--model", run.toString(), "--data", EXAMPLES.resolve("xor.csv").toString());
            assertThat(r.code()).isEqualTo(4);
            assertThat(r.err()).contains("xor.csv");
            r = CliTest.nn("inspect", "--model", dir.resolve("nowhere").toString());
            assertThat(r.code()).isEqualTo(4);
            assertThat(r.err()).contains("nowhere: does not exist. Give the directory nn train --out wrote");
            r = CliTest.nn("inspect", "--model", Files.createDirectories(dir.resolve("empty")).toString());
            assertThat(r.code()).isEqualTo(4);
            assertThat(r.err()).contains("is not a model directory: it has no model.json.");
        }

        @Test
        @DisplayName("exit 1 when an output cannot be written (here: a path under a regular file)")
        void failure() throws IOException {
            Path file = Files.writeString(dir.resolve("a-file"), "x");
            CliTest.Run r = CliTest.nn("predict", "--model", run.toString(), "--data",
                    EXAMPLES.resolve("iris/validation.csv").toString(), "--output", file.resolve("out.csv").toString());
            assertThat(r.code()).isEqualTo(NnCommand.FAILURE);
            assertThat(r.err()).startsWith("nn: ").contains("a-file").doesNotContain("\tat ");
        }

        @Test
        @DisplayName("a YAML config trains like its JSON twin, and --set edits it")
        void yamlConfig() throws IOException {
            Path yaml = Files.writeString(dir.resolve("iris.yaml"), """
                    data:
                      train: %s
                      validation: %s
                      target: species
                      normalize: standardize
                    layers:
                      - {type: dense, units: 16}
                      - {type: tanh}
                      - {type: dense, units: 3}
                      - {type: softmax}
                    loss: categorical-cross-entropy
                    optimizer: {type: adam, learningRate: 0.01}
                    training: {batchSize: 16, maxEpochs: 150, seed: 1}
                    """.formatted(EXAMPLES.resolve("iris/train.csv"), EXAMPLES.resolve("iris/validation.csv")));
            {
                CliTest.Run fromYaml = CliTest.nn("train", "--quiet", "--config", yaml.toString());
                CliTest.Run fromJson = CliTest.nn("train", "--quiet", "--config", EXAMPLES.resolve("iris.json").toString());
                assertThat(fromYaml.code()).as(fromYaml.err()).isZero();
                assertThat(fromYaml.out()).isEqualTo(fromJson.out());
                CliTest.Run edited = CliTest.nn("train", "--quiet", "--config", yaml.toString(), "--set", "training.maxEpochs=3");
                assertThat(edited.out()).contains("for 3 epochs");
                CliTest.Run typo = CliTest.nn("train", "--quiet", "--config", yaml.toString(), "--set", "optimizer.learnigRate=1");
                assertThat(typo.code()).isEqualTo(2);
                assertThat(typo.err()).contains("--set optimizer.learnigRate=1: Unknown setting 'learnigRate'")
                        .contains("Did you mean 'learningRate'?");
            }
        }

        @Test
        @DisplayName("exit 3 when training diverges, with the last good checkpoint intact and loadable")
        void divergesKeepingCheckpoint() throws IOException {
            Path data = Files.writeString(dir.resolve("exploding.csv"), "x,y\n1,1\n2,2\n3,3\n4,4\n");
            Path cfg = Files.writeString(dir.resolve("exploding.json"), """
                    {"data": {"train": "exploding.csv"},
                     "layers": [{"type": "dense", "units": 1}],
                     "loss": "mse", "optimizer": {"type": "sgd", "learningRate": 2.5},
                     "training": {"batchSize": 4, "maxEpochs": 2000, "shuffle": false}}
                    """);
            Path out = dir.resolve("exploding-run");
            CliTest.Run r = CliTest.nn("train", "--quiet", "--config", cfg.toString(), "--out", out.toString(),
                    "--checkpoint-every", "1");
            assertThat(r.code()).as(r.err()).isEqualTo(NnCommand.DIVERGED);
            assertThat(r.err()).contains("Training diverged").doesNotContain("\tat ");
            Checkpoints c = new Checkpoints(out.resolve("checkpoints"), 3, "unused");
            assertThat(c.list()).isNotEmpty();
            Path newest = c.list().get(c.list().size() - 1);
            String state = Files.readString(newest.resolve("state.json"));
            assertThat(state).contains("\"iterations\"");
            // every value in the newest checkpoint is finite: the strict reader accepts it
            dev.nnkit.io.safetensors.Safetensors.read(newest.resolve("weights.safetensors"), java.util.Map.of(
                    "0.weight", new dev.nnkit.io.safetensors.TensorSpec(dev.nnkit.api.tensor.DType.FLOAT64,
                            dev.nnkit.api.tensor.Shape.of(1, 1)),
                    "0.bias", new dev.nnkit.io.safetensors.TensorSpec(dev.nnkit.api.tensor.DType.FLOAT64,
                            dev.nnkit.api.tensor.Shape.of(1))), dev.nnkit.io.safetensors.Safetensors.NonFinite.REJECT);
            assertThat(data).exists();
        }
    }
}
