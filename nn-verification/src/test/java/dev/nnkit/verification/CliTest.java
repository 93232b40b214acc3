package dev.nnkit.verification;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nnkit.cli.NnCommand;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real {@code nn} command, run in-process on real files: output streams and exit codes. */
@DisplayName("nn command")
class CliTest {
    @TempDir
    Path dir;

    record Run(int code, String out, String err) {
    }

    static Run nn(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = NnCommand.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Run(code, out.toString(), err.toString());
    }

    Path write(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content);
    }

    static final String XOR_CSV = "x1,x2,label\n0,0,0\n0,1,1\n1,0,1\n1,1,0\n";

    static String config(String optimizer, String extra) {
        return """
                {"data": {"train": "xor.csv", "labels": "classes"},
                 "layers": [{"type": "dense", "units": 4}, {"type": "tanh"}, {"type": "dense", "units": 1}, {"type": "sigmoid"}],
                 "loss": "binary-cross-entropy",
                 "optimizer": %s,
                 "training": {"batchSize": 4, "maxEpochs": 1000, "lossThreshold": 0.01, "seed": 7%s}}
                """.formatted(optimizer, extra);
    }

    @Test
    @DisplayName("train on the shipped XOR example: exit 0, scores on stdout, progress on stderr")
    void trainsShippedExample() {
        Path example = Path.of("").toAbsolutePath().getParent().resolve("examples/xor.json");
        Run r = nn("train", "--config", example.toString());
        assertThat(r.code()).isEqualTo(NnCommand.OK);
        assertThat(r.out()).contains("Trained 2-4-1 (17 parameters)").contains("accuracy 100.00%");
        assertThat(r.err()).contains("epoch 1/1000  loss");
    }

    @Test
    @DisplayName("--quiet silences progress, and --epochs overrides the config")
    void quietAndOverride() throws IOException {
        write("xor.csv", XOR_CSV);
        Run r = nn("train", "--quiet", "--epochs", "3", "--config", write("run.json", config("\"adam\"", "")).toString());
        assertThat(r.code()).isZero();
        assertThat(r.err()).isEmpty();
        assertThat(r.out()).contains("for 3 epochs, 3 steps; stopped: max epochs");
    }

    @Test
    @DisplayName("--resume continues a stopped run to the same bytes as a run that never stopped")
    void resumeIsBitIdentical() throws IOException {
        StringBuilder csv = new StringBuilder("x1,x2,label\n");
        java.util.SplittableRandom r = new java.util.SplittableRandom(4);
        for (int i = 0; i < 40; i++) {
            double a = r.nextDouble(-1, 1);
            double b = r.nextDouble(-1, 1);
            csv.append(a).append(',').append(b).append(',').append(a * b > 0 ? 1 : 0).append('\n');
        }
        write("xor.csv", csv.toString());
        Path cfg = write("run.json", config("\"adam\"", "").replace("\"batchSize\": 4, \"maxEpochs\": 1000, \"lossThreshold\": 0.01",
                "\"batchSize\": 6, \"maxEpochs\": 12"));
        Path whole = dir.resolve("whole");
        Path stopped = dir.resolve("stopped");
        assertThat(nn("train", "--quiet", "--config", cfg.toString(), "--out", whole.toString()).code()).isZero();
        // Stopped after 5 of 12 epochs (35 steps) with a checkpoint every 4 steps: the newest is at
        // step 32, inside epoch 5, so the resumed run restarts mid-epoch from the shuffling state.
        assertThat(nn("train", "--quiet", "--config", cfg.toString(), "--epochs", "5", "--out", stopped.toString(),
                "--checkpoint-every", "4").code()).isZero();
        Run resumed = nn("train", "--quiet", "--config", cfg.toString(), "--resume", stopped.toString());
        assertThat(resumed.code()).as(resumed.err()).isZero();
        assertThat(Files.readAllBytes(stopped.resolve("model/model.safetensors")))
                .as("model.safetensors after resuming").isEqualTo(Files.readAllBytes(whole.resolve("model/model.safetensors")));
        // And the check can fail: the stopped run's own model (epoch 5) differs.
        assertThat(nn("train", "--quiet", "--config", cfg.toString(), "--epochs", "5", "--out",
                dir.resolve("five").toString()).code()).isZero();
        assertThat(Files.readAllBytes(dir.resolve("five/model/model.safetensors")))
                .isNotEqualTo(Files.readAllBytes(whole.resolve("model/model.safetensors")));
    }

    @Test
    @DisplayName("--resume from a checkpoint of another network: exit 4 naming the checkpoint and both shapes")
    void resumeOtherShapes() throws IOException {
        StringBuilder csv = new StringBuilder("x1,x2,label\n");
        for (int i = 0; i < 40; i++) {
            csv.append(i % 3).append(',').append(i % 5).append(',').append(i % 2).append('\n');
        }
        write("xor.csv", csv.toString());
        Path cfg = write("run.json", config("\"adam\"", "").replace("\"batchSize\": 4, \"maxEpochs\": 1000, \"lossThreshold\": 0.01",
                "\"batchSize\": 6, \"maxEpochs\": 4"));
        Path a = dir.resolve("a");
        Path b = dir.resolve("b");
        assertThat(nn("train", "--quiet", "--config", cfg.toString(), "--out", a.toString(), "--epochs", "2",
                "--checkpoint-every", "4").code()).isZero();
        assertThat(nn("train", "--quiet", "--config", cfg.toString(), "--set", "layers.0.units=8", "--out", b.toString(),
                "--epochs", "2", "--checkpoint-every", "4").code()).isZero();
        // A checkpoint of the 8-unit network, passed off as the newest of the 4-unit run (its config hash copied).
        String hash = Files.readString(a.resolve("checkpoints/step-000000000012/state.json"))
                .replaceAll("(?s).*\"configHash\":\"([^\"]+)\".*", "$1");
        Path forged = a.resolve("checkpoints/step-000000000015"); // newer than the end-of-run step 14
        Files.createDirectories(forged);
        for (String f : new String[] {"weights.safetensors", "optimizer.safetensors"}) {
            Files.copy(b.resolve("checkpoints/step-000000000012").resolve(f), forged.resolve(f));
        }
        Files.writeString(forged.resolve("state.json"), Files.readString(b.resolve("checkpoints/step-000000000012/state.json"))
                .replaceAll("\"configHash\":\"[^\"]+\"", "\"configHash\":\"" + hash + "\""));
        Run r = nn("train", "--quiet", "--config", cfg.toString(), "--resume", a.toString());
        assertThat(r.code()).as(r.err()).isEqualTo(NnCommand.INVALID_INPUT);
        assertThat(r.err()).contains(forged.toString()).contains("parameter '0.weight' has shape [8, 2] there;"
                + " the network's is [4, 2]").doesNotContain("\tat ");
    }

    @Test
    @DisplayName("plugins lists every built-in with kind, id and module")
    void plugins() {
        Run r = nn("plugins");
        assertThat(r.code()).isZero();
        // On the class path (as here) plugins show their jar; on the module path (./nn) their module.
        assertThat(r.out()).containsPattern("optimizer +adam +classpath:nn-optimizers")
                .containsPattern("loss +mse +classpath:nn-losses").containsPattern("layer +dense +classpath:nn-core");
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "nn {0} -V")
    @org.junit.jupiter.params.provider.ValueSource(strings = {"train", "evaluate", "predict", "inspect", "explain", "plugins"})
    @DisplayName("every subcommand takes -V and prints the version, as nn -V does")
    void versionFromSubcommands(String command) {
        Run top = nn("-V");
        Run sub = nn(command, "-V");
        assertThat(sub.code()).isZero();
        assertThat(sub.out()).startsWith("nn " + NnCommand.VERSION).isEqualTo(top.out());
    }

    @Nested
    @DisplayName("fails cleanly")
    class Failures {
        @Test
        @DisplayName("exit 2 for a bad invocation: the message and where the help is, not the whole usage text")
        void usage() {
            Run r = nn("train", "--epochs", "many");
            assertThat(r.code()).isEqualTo(NnCommand.USAGE);
            assertThat(r.err()).contains("'many' is not a whole number").endsWith("Try 'nn train --help' for the options.\n")
                    .doesNotContain("Usage:");
            Run help = nn("train", "--help");
            assertThat(help.code()).isZero();
            assertThat(help.out()).contains("Usage: nn train");
        }

        @Test
        @DisplayName("exit 4 for an unknown optimizer id, naming the JSON pointer and the nearest id")
        void unknownPlugin() throws IOException {
            write("xor.csv", XOR_CSV);
            Path cfg = write("run.json", config("{\"type\": \"adma\"}", ""));
            Run r = nn("train", "--config", cfg.toString());
            assertThat(r.code()).isEqualTo(NnCommand.INVALID_INPUT);
            assertThat(r.err()).contains(cfg + " at /optimizer/type: Unknown optimizer 'adma'. Did you mean 'adam'?")
                    .contains("Known: adadelta, adagrad, adam, adamax, adamw, nadam, rmsprop, sgd.").doesNotContain("\tat ");
        }

        @Test
        @DisplayName("exit 4 for a misspelt setting, a duplicate key and broken JSON")
        void badConfig() throws IOException {
            write("xor.csv", XOR_CSV);
            Run r = nn("train", "--config", write("a.json", config("{\"type\": \"adam\", \"learningrate\": 0.1}", "")).toString());
            assertThat(r.code()).isEqualTo(4);
            assertThat(r.err()).contains("at /optimizer/learningrate: Unknown setting 'learningrate' for 'adam'. Did you mean 'learningRate'?");
            r = nn("train", "--config", write("b.json", config("\"adam\"", ", \"seed\": 8")).toString());
            assertThat(r.code()).isEqualTo(4);
            assertThat(r.err()).contains("Duplicate").contains("seed");
            r = nn("train", "--config", write("big.json", config("\"adam\"", ", \"seed\": 100000000000000000000000")
                    .replace("\"seed\": 7, ", "")).toString());
            assertThat(r.code()).as(r.err()).isEqualTo(4);
            assertThat(r.err()).contains("big.json at /training/seed: expected a whole number")
                    .contains("got 100000000000000000000000").doesNotContain("jackson");
            r = nn("train", "--config", write("c.json", "{\"data\": ").toString());
            assertThat(r.code()).isEqualTo(4);
            assertThat(r.err()).contains("c.json at line 1").contains("not valid JSON");
        }

        @Test
        @DisplayName("--out naming an existing file: a message that says what is wrong with the path, not the bare path")
        void outIsAFile() throws IOException {
            write("xor.csv", XOR_CSV);
            Path cfg = write("run.json", config("\"adam\"", ""));
            Path file = write("taken", "not a directory");
            Run r = nn("train", "--quiet", "--config", cfg.toString(), "--out", file.toString());
            assertThat(r.code()).isEqualTo(NnCommand.INVALID_INPUT);
            assertThat(r.err()).contains(file + ": --out must be a directory, and this is a file").doesNotContain("Exception")
                    .doesNotContain("\tat ");
            assertThat(Files.readString(file)).as("nothing on disk is lost").isEqualTo("not a directory");
        }

        @Test
        @DisplayName("exit 4 for a stage that cannot take the shape it receives, naming the stage and both shapes")
        void shapeMismatch() throws IOException {
            // 6 images of 2×3 pixels: samples of shape [1, 2, 3]; softmax needs rows of features.
            java.nio.ByteBuffer images = java.nio.ByteBuffer.allocate(16 + 36).putInt(0x0803).putInt(6).putInt(2).putInt(3);
            java.nio.ByteBuffer labels = java.nio.ByteBuffer.allocate(8 + 6).putInt(0x0801).putInt(6);
            for (int i = 0; i < 6; i++) {
                labels.put((byte) (i % 2));
            }
            Files.write(dir.resolve("images-idx3-ubyte"), images.array());
            Files.write(dir.resolve("labels-idx1-ubyte"), labels.array());
            Path cfg = write("run.json", """
                    {"data": {"format": "idx", "train": "images-idx3-ubyte", "trainLabels": "labels-idx1-ubyte"},
                     "layers": [{"type": "dense", "units": 4}, {"type": "relu"}, {"type": "dense", "units": 2}],
                     "loss": "sparse-categorical-cross-entropy-logits", "optimizer": "adam",
                     "training": {"batchSize": 3, "maxEpochs": 1}}
                    """);
            assertThat(nn("train", "--config", cfg.toString(), "--quiet").code()).as("dense takes [1, 2, 3] as 6 features")
                    .isZero();
            Files.writeString(cfg, Files.readString(cfg).replace("[{\"type\": \"dense\", \"units\": 4}, {\"type\": \"relu\"}",
                    "[{\"type\": \"softmax\"}"));
            Run r = nn("train", "--config", cfg.toString());
            assertThat(r.code()).isEqualTo(NnCommand.INVALID_INPUT);
            assertThat(r.err()).contains(cfg + " at /layers/0: Stage 0 ('softmax', receiving samples of shape [1, 2, 3]):")
                    .contains("needs samples of shape [features] (rank 1)").doesNotContain("\tat ");
        }

        @Test
        @DisplayName("exit 4 for a ragged CSV row and a non-numeric cell, with line and column")
        void badCsv() throws IOException {
            write("xor.csv", "x1,x2,label\n0,0,0\n0,1\n");
            Path cfg = write("run.json", config("\"adam\"", ""));
            Run r = nn("train", "--config", cfg.toString());
            assertThat(r.code()).isEqualTo(4);
            assertThat(r.err()).contains("xor.csv at line 3: the row has 2 fields but the header has 3");
            write("xor.csv", "x1,x2,label\n0,0,0\n0,abc,1\n");
            r = nn("train", "--config", cfg.toString());
            assertThat(r.err()).contains("xor.csv at line 3, column 2 ('x2'): 'abc' is not a number");
        }

        @Test
        @DisplayName("exit 3 when training diverges, naming where")
        void diverges() throws IOException {
            write("line.csv", "x,y\n1,1e30\n2,2e30\n3,3e30\n");
            Path cfg = write("run.json", """
                    {"data": {"train": "line.csv"},
                     "layers": [{"type": "dense", "units": 1}],
                     "loss": "mse", "optimizer": {"type": "sgd", "learningRate": 1.0},
                     "training": {"maxEpochs": 50}}
                    """);
            Run r = nn("train", "--quiet", "--config", cfg.toString());
            assertThat(r.code()).isEqualTo(NnCommand.DIVERGED);
            assertThat(r.err()).contains("nn: Training diverged: the loss is");
        }
    }
}
