package dev.nnkit.spark;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nnkit.api.tensor.DType;
import dev.nnkit.api.tensor.Shape;
import dev.nnkit.api.tensor.Tensor;
import dev.nnkit.core.plugin.PluginRegistry;
import dev.nnkit.io.checkpoint.Checkpoints;
import dev.nnkit.io.data.Standardizer;
import dev.nnkit.io.model.Model;
import dev.nnkit.io.model.ModelFiles;
import dev.nnkit.io.safetensors.Safetensors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;

import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The spark-submit entry point run as a user runs it: an nn train config, the iris CSV read by
 * Spark, a model directory that nnkit's own model loader reads and predicts with, checkpoints and
 * a resume that ends with the same bytes as an uninterrupted run.
 */
class SparkTrainTest {
    private final SparkSession spark = SparkSessions.local();
    @TempDir
    Path dir;

    private Path config(int epochs) throws IOException {
        Path file = dir.resolve("iris-" + epochs + ".json");
        Files.writeString(file, """
                {
                  "data": {"train": "%s", "target": "species", "normalize": "standardize"},
                  "layers": [{"type": "dense", "units": 16}, {"type": "tanh"}, {"type": "dropout", "p": 0.1},
                             {"type": "dense", "units": 3}, {"type": "softmax"}],
                  "loss": "categorical-cross-entropy",
                  "optimizer": {"type": "adam", "learningRate": 0.05},
                  "training": {"batchSize": 32, "maxEpochs": %d, "seed": 1}
                }
                """.formatted(IrisFrames.TRAIN.toAbsolutePath().toString().replace("\\", "/"), epochs));
        return file;
    }

    private int run(String... args) {
        return SparkTrain.run(spark, args);
    }

    @Test
    void trainsAModelThatNnkitLoadsAndPredictsWith() throws IOException {
        Path out = dir.resolve("run");
        assertThat(run("--config", config(15).toString(), "--out", out.toString())).isZero();

        Model model = ModelFiles.load(out.resolve("model"), PluginRegistry.discover(), Safetensors.NonFinite.REJECT);
        assertThat(model.labels().classes()).containsExactly("setosa", "versicolor", "virginica");
        assertThat(model.labels().features()).containsExactly("sepal_length", "sepal_width", "petal_length", "petal_width");

        // The distributed standardizer against the one nn train fits in memory.
        List<Row> rows = spark.read().option("header", "true").option("inferSchema", "true").csv(IrisFrames.TRAIN.toString())
                .collectAsList();
        double[] x = new double[rows.size() * 4];
        for (int r = 0; r < rows.size(); r++) {
            for (int c = 0; c < 4; c++) {
                x[r * 4 + c] = ((Number) rows.get(r).get(c)).doubleValue();
            }
        }
        Tensor features = Tensor.of(DType.FLOAT64, Shape.of(rows.size(), 4), x);
        Standardizer local = Standardizer.fit(features);
        Standardizer distributed = (Standardizer) model.normalizer().orElseThrow();
        for (int c = 0; c < 4; c++) {
            assertThat(distributed.shift().get(c)).isCloseTo(local.shift().get(c), org.assertj.core.data.Offset.offset(1e-12));
            assertThat(distributed.scale().get(c)).isCloseTo(local.scale().get(c), org.assertj.core.data.Offset.offset(1e-12));
        }

        // Raw measurements in, classes out: the model normalizes as training did.
        Tensor p = model.predict(Tensor.of(DType.FLOAT32, Shape.of(rows.size(), 4), x));
        int right = 0;
        for (int r = 0; r < rows.size(); r++) {
            int best = 0;
            for (int k = 1; k < 3; k++) {
                best = p.get(r * 3 + k) > p.get(r * 3 + best) ? k : best;
            }
            right += model.labels().classes().get(best).equals(rows.get(r).getString(4)) ? 1 : 0;
        }
        assertThat(right / (double) rows.size()).isGreaterThan(0.9);
    }

    @Test
    void resumesFromACheckpointToTheSameBytes() throws IOException {
        // Dropout's masks come from the driver's streams and batch norm's running statistics from the
        // executors: both are in the checkpoint.
        Path config = dir.resolve("iris-batch-norm.json");
        Files.writeString(config, Files.readString(config(4)).replace("{\"type\": \"tanh\"}",
                "{\"type\": \"batch-norm\"}, {\"type\": \"tanh\"}"));
        assertThat(Files.readString(config)).contains("batch-norm");
        Path whole = dir.resolve("whole");
        assertThat(run("--config", config.toString(), "--out", whole.toString())).isZero();

        Path interrupted = dir.resolve("interrupted");
        assertThat(run("--config", config.toString(), "--out", interrupted.toString(), "--checkpoint-every", "4")).isZero();
        // As if killed after step 12: the newer checkpoints and the model never written.
        Checkpoints checkpoints = new Checkpoints(interrupted.resolve("checkpoints"), 3, "unused");
        List<Path> saved = checkpoints.list();
        assertThat(saved).hasSizeGreaterThanOrEqualTo(2);
        delete(saved.get(saved.size() - 1));
        delete(interrupted.resolve("model"));

        assertThat(run("--config", config.toString(), "--out", interrupted.toString(), "--resume")).isZero();
        assertThat(Files.readAllBytes(interrupted.resolve("model/model.safetensors")))
                .isEqualTo(Files.readAllBytes(whole.resolve("model/model.safetensors")));
    }

    @Test
    void parameterAveragingResumesFromACheckpointToTheSameBytes() throws IOException {
        Path config = config(4);
        String[] averaging = {"--average-every", "3", "--partitions", "2"};
        Path whole = dir.resolve("whole");
        assertThat(run(with(averaging, "--config", config.toString(), "--out", whole.toString()))).isZero();

        Path interrupted = dir.resolve("interrupted");
        assertThat(run(with(averaging, "--config", config.toString(), "--out", interrupted.toString(),
                "--checkpoint-every", "5"))).isZero();
        List<Path> saved = new Checkpoints(interrupted.resolve("checkpoints"), 3, "unused").list();
        assertThat(saved).hasSizeGreaterThanOrEqualTo(2);
        delete(saved.get(saved.size() - 1)); // as if killed: the newest checkpoint and the model never written
        delete(interrupted.resolve("model"));

        Run other = runCapturing("--config", config.toString(), "--out", interrupted.toString(), "--resume",
                "--average-every", "4", "--partitions", "2");
        assertThat(other.code()).isEqualTo(4);
        assertThat(other.log()).contains("averaged every 3 steps over 2 partitions").contains("--average-every 3");
        Run synchronous = runCapturing("--config", config.toString(), "--out", interrupted.toString(), "--resume",
                "--partitions", "2");
        assertThat(synchronous.code()).isEqualTo(4);
        assertThat(synchronous.log()).contains("parameter averaging every 3 steps").contains("--average-every 3");

        assertThat(run(with(averaging, "--config", config.toString(), "--out", interrupted.toString(), "--resume")))
                .isZero();
        assertThat(Files.readAllBytes(interrupted.resolve("model/model.safetensors")))
                .isEqualTo(Files.readAllBytes(whole.resolve("model/model.safetensors")));
    }

    private static String[] with(String[] extra, String... args) {
        List<String> all = new java.util.ArrayList<>(List.of(args));
        all.addAll(List.of(extra));
        return all.toArray(String[]::new);
    }

    @Test
    void aHadoopPathHoldsTheModelAndCheckpointsAndResumes() throws IOException {
        Path config = config(4);
        Path whole = dir.resolve("whole");
        assertThat(run("--config", config.toString(), "--out", whole.toString())).isZero();

        // file:// goes through Hadoop's file systems, as hdfs:// and s3a:// do.
        Path remote = dir.resolve("remote");
        String uri = remote.toUri().toString();
        assertThat(run("--config", config.toString(), "--out", uri, "--checkpoint-every", "4")).isZero();
        List<String> names;
        try (Stream<Path> s = Files.list(remote.resolve("checkpoints"))) {
            names = s.map(p -> p.getFileName().toString()).filter(n -> !n.endsWith(".crc")).sorted().toList();
        }
        assertThat(names).as("the newest three, nothing half-copied").hasSize(3).allMatch(n -> !n.startsWith("."));
        assertThat(Files.readAllBytes(remote.resolve("model/model.safetensors")))
                .isEqualTo(Files.readAllBytes(whole.resolve("model/model.safetensors")));

        delete(remote.resolve("checkpoints").resolve(names.get(2)));
        Files.deleteIfExists(remote.resolve("checkpoints").resolve("." + names.get(2) + ".crc"));
        delete(remote.resolve("model"));
        assertThat(run("--config", config.toString(), "--out", uri, "--resume")).isZero();
        assertThat(Files.readAllBytes(remote.resolve("model/model.safetensors")))
                .isEqualTo(Files.readAllBytes(whole.resolve("model/model.safetensors")));
    }

    @Test
    void epochsSeedAndSetOverrideTheConfigAsInNnTrain() throws IOException {
        Run run = runCapturing("--config", config(15).toString(), "--out", dir.resolve("short").toString(), "--epochs", "2",
                "--seed", "7", "--set", "optimizer.learningRate=0.01", "--set", "training.maxEpochs=9");
        assertThat(run.code()).as(run.log()).isZero();
        assertThat(run.log()).contains("nn-spark: epoch 2 ").doesNotContain("nn-spark: epoch 3 "); // --epochs wins over --set
        Model model = ModelFiles.load(dir.resolve("short/model"), PluginRegistry.discover(), Safetensors.NonFinite.REJECT);
        assertThat(model.provenance()).containsEntry("seed", "7");

        Run bad = runCapturing("--config", config(1).toString(), "--out", dir.resolve("bad").toString(), "--set", "nonsense");
        assertThat(bad.code()).isEqualTo(2);
        assertThat(bad.log()).contains("--set takes PATH=VALUE, such as --set optimizer.learningRate=0.01; got 'nonsense'.");
        assertThat(runCapturing("--config", config(1).toString(), "--out", dir.resolve("bad").toString(), "--seed", "x")
                .log()).contains("--seed takes a whole number; got 'x'.");
        assertThat(dir.resolve("bad")).doesNotExist();
    }

    @Test
    void badInputExitsWithNnTrainsCodes() throws IOException {
        assertThat(run("--config", config(1).toString())).isEqualTo(2);
        Path wrongTarget = dir.resolve("wrong.json");
        Files.writeString(wrongTarget, Files.readString(config(1)).replace("\"species\"", "\"kind\""));
        assertThat(run("--config", wrongTarget.toString(), "--out", dir.resolve("x").toString())).isEqualTo(4);
        assertThat(dir.resolve("x")).doesNotExist();
        assertThat(run("--config", config(1).toString(), "--out", dir.resolve("y").toString(), "--resume")).isEqualTo(4);
        Run missing = runCapturing("--config", config(1).toString(), "--out", dir.resolve("z").toString(),
                "--train", dir.resolve("absent.csv").toString());
        assertThat(missing.code()).isEqualTo(4);
        assertThat(missing.log()).contains("no such file: ").contains("absent.csv (the training data)");
        Run unreadable = runCapturing("--config", config(1).toString(), "--out", dir.resolve("z").toString(),
                "--format", "parquet");
        assertThat(unreadable.code()).as(unreadable.log()).isEqualTo(4);
        assertThat(unreadable.log()).contains("nn-spark: reading the data: ").contains("train.csv").doesNotContain("\tat ");
        assertThat(dir.resolve("z")).doesNotExist();
    }

    @Test
    void scoresValidationDataAndStopsEarlyAsNnTrainDoes() throws IOException {
        Path config = dir.resolve("validated.json");
        Path validation = IrisFrames.TRAIN.resolveSibling("validation.csv").toAbsolutePath();
        Files.writeString(config, Files.readString(config(200))
                .replace("\"normalize\"", "\"validation\": \"" + validation.toString().replace("\\", "/") + "\", \"normalize\"")
                .replace("\"seed\": 1}", "\"seed\": 1, \"earlyStopping\": {\"monitor\": \"validationLoss\", \"patience\": 3}}"));
        Run run = runCapturing("--config", config.toString(), "--out", dir.resolve("v").toString());
        assertThat(run.code()).as(run.log()).isZero();
        assertThat(run.log()).contains("validationLoss").contains("validationAccuracy").contains("early stopped");
    }

    record Run(int code, String log) {
    }

    /** The exit code and what the run printed. */
    private Run runCapturing(String... args) {
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        java.io.PrintStream saved = System.err;
        System.setErr(new java.io.PrintStream(err, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            return new Run(run(args), err.toString(java.nio.charset.StandardCharsets.UTF_8));
        } finally {
            System.setErr(saved);
        }
    }

    @Test
    void batchNormLeftWithOneRowIsRefusedBeforeTraining() throws IOException {
        // 120 rows in batches of 7 leave one: nn train refuses it, and so does SparkTrain, in both modes.
        Path config = dir.resolve("lone-row.json");
        Files.writeString(config, Files.readString(config(1)).replace("{\"type\": \"tanh\"}",
                "{\"type\": \"batch-norm\"}, {\"type\": \"tanh\"}").replace("\"batchSize\": 32", "\"batchSize\": 7"));
        Run run = runCapturing("--config", config.toString(), "--out", dir.resolve("lone").toString());
        assertThat(run.code()).isEqualTo(4);
        assertThat(run.log()).contains("/training/batchSize: with 120 training rows and batchSize 7, the last batch")
                .contains("such as 8").doesNotContain("\tat ");
        assertThat(dir.resolve("lone")).doesNotExist();
        // Averaging batches each partition's rows: 2 partitions of 60 in batches of 59 leave one in each.
        Run averaging = runCapturing("--config", config.toString(), "--out", dir.resolve("lone").toString(),
                "--average-every", "2", "--partitions", "2", "--set", "training.batchSize=59");
        assertThat(averaging.code()).isEqualTo(4);
        assertThat(averaging.log()).contains("Partition 0 (parameter averaging batches each partition's examples on their own)")
                .contains("batchSize 59").doesNotContain("\tat ");
        // 3 rows over 2 partitions: one holds a single row, which no batch size helps.
        Path three = dir.resolve("three.csv");
        List<String> lines = Files.readAllLines(IrisFrames.TRAIN);
        List<String> oneOfEach = new java.util.ArrayList<>(List.of(lines.get(0)));
        for (String species : List.of("setosa", "versicolor", "virginica")) {
            oneOfEach.add(lines.stream().filter(l -> l.endsWith("," + species)).findFirst().orElseThrow());
        }
        Files.write(three, oneOfEach);
        Run single = runCapturing("--config", config.toString(), "--out", dir.resolve("lone").toString(), "--train",
                three.toString(), "--average-every", "2", "--partitions", "2");
        assertThat(single.code()).isEqualTo(4);
        assertThat(single.log()).contains("/training/batchSize").contains("a single training row")
                .contains("fewer partitions").doesNotContain("\tat ");
        assertThat(dir.resolve("lone")).doesNotExist();
    }

    @Test
    void configsAskingForWhatSparkDoesNotDoAreRefused() throws IOException {
        Path config = dir.resolve("scaled.json");
        Files.writeString(config, Files.readString(config(1)).replace("\"normalize\"", "\"normalizeTarget\": \"standardize\", \"normalize\""));
        Run run = runCapturing("--config", config.toString(), "--out", dir.resolve("s").toString());
        assertThat(run.code()).isEqualTo(4);
        assertThat(run.log()).contains("/data/normalizeTarget: nn-spark does not scale targets yet");
        assertThat(dir.resolve("s")).doesNotExist();
    }

    @Test
    void badFilesAreNamedWithTheFixAndNothingIsWritten() throws IOException {
        Path headerOnly = dir.resolve("header-only.csv");
        Files.writeString(headerOnly, "sepal_length,sepal_width,petal_length,petal_width,species\n");
        Run empty = runCapturing("--config", config(1).toString(), "--out", dir.resolve("a").toString(),
                "--train", headerOnly.toString());
        assertThat(empty.code()).isEqualTo(4);
        assertThat(empty.log()).contains("header-only.csv: the file has a header but no data rows");

        Path text = dir.resolve("text.csv");
        List<String> lines = new java.util.ArrayList<>(Files.readAllLines(IrisFrames.TRAIN));
        lines.set(6, lines.get(6).replaceFirst("^[^,]*,[^,]*", "5.4,wide"));
        Files.write(text, lines);
        Run notANumber = runCapturing("--config", config(1).toString(), "--out", dir.resolve("b").toString(),
                "--train", text.toString());
        assertThat(notANumber.code()).isEqualTo(4);
        assertThat(notANumber.log()).contains("'sepal_width' is string, not numeric: 'wide' is not a number (in file:")
                .contains("text.csv");

        Path blank = dir.resolve("blank.csv");
        lines = new java.util.ArrayList<>(Files.readAllLines(IrisFrames.TRAIN));
        lines.set(8, lines.get(8).replaceFirst(",[^,]*,([^,]*,[^,]*)$", ",,$1"));
        Files.write(blank, lines);
        Run missing = runCapturing("--config", config(1).toString(), "--out", dir.resolve("c").toString(),
                "--train", blank.toString());
        assertThat(missing.code()).isEqualTo(4);
        assertThat(missing.log()).containsPattern("training data .*blank.csv: Row 8 of partition 0 \\(from file:.*blank.csv\\):"
                + " column 'petal_length' is empty");

        Run noConfig = runCapturing("--config", dir.resolve("absent.json").toString(), "--out", dir.resolve("d").toString());
        assertThat(noConfig.code()).isEqualTo(4);
        assertThat(noConfig.log()).contains("no such file: " + dir.resolve("absent.json"));
        for (String out : List.of("a", "b", "c", "d")) {
            assertThat(dir.resolve(out)).doesNotExist();
        }
    }

    @Test
    void anOutThatHoldsARunIsNotOverwritten() throws IOException {
        Path out = dir.resolve("used");
        assertThat(run("--config", config(1).toString(), "--out", out.toString())).isZero();
        byte[] model = Files.readAllBytes(out.resolve("model/model.safetensors"));
        Run again = runCapturing("--config", config(2).toString(), "--out", out.toString());
        assertThat(again.code()).isEqualTo(4);
        assertThat(again.log()).contains("already holds a run").contains("--resume");
        assertThat(Files.readAllBytes(out.resolve("model/model.safetensors"))).isEqualTo(model);
    }

    @Test
    void overwriteReplacesTheRunOnlyOnceTheNewOneIsAccepted() throws IOException {
        // A local directory and a Hadoop path (file:// goes through Hadoop's file systems, as hdfs:// does).
        for (String out : List.of(dir.resolve("local").toString(), dir.resolve("remote").toUri().toString())) {
            Path folder = out.startsWith("file:") ? Path.of(java.net.URI.create(out)) : Path.of(out);
            assertThat(run("--config", config(1).toString(), "--out", out, "--checkpoint-every", "4")).isZero();
            byte[] first = Files.readAllBytes(folder.resolve("model/model.safetensors"));
            Files.writeString(folder.resolve("notes.txt"), "mine");

            // Refused before anything is deleted: a training file without the target column.
            Path noTarget = dir.resolve("no-target.csv");
            Files.write(noTarget, Files.readAllLines(IrisFrames.TRAIN).stream().map(l -> l.substring(0, l.lastIndexOf(',')))
                    .toList());
            Run refused = runCapturing("--config", config(2).toString(), "--out", out, "--overwrite", "--train",
                    noTarget.toString());
            assertThat(refused.code()).isEqualTo(4);
            assertThat(Files.readAllBytes(folder.resolve("model/model.safetensors"))).isEqualTo(first);
            assertThat(folder.resolve("checkpoints")).isDirectory();

            // Replaced: the model is the one a fresh --out gets, its checkpoints are gone, other files stay.
            assertThat(run("--config", config(2).toString(), "--out", out, "--overwrite")).isZero();
            Path fresh = dir.resolve("fresh-" + folder.getFileName());
            assertThat(run("--config", config(2).toString(), "--out", fresh.toString())).isZero();
            assertThat(Files.readAllBytes(folder.resolve("model/model.safetensors")))
                    .isEqualTo(Files.readAllBytes(fresh.resolve("model/model.safetensors"))).isNotEqualTo(first);
            assertThat(folder.resolve("checkpoints")).doesNotExist();
            assertThat(folder.resolve("notes.txt")).hasContent("mine");
        }
        Run both = runCapturing("--config", config(1).toString(), "--out", dir.resolve("local").toString(), "--resume",
                "--overwrite");
        assertThat(both.code()).isEqualTo(2);
        assertThat(both.log()).contains("choose one");
    }

    private static void delete(Path p) throws IOException {
        try (Stream<Path> s = Files.walk(p)) {
            for (Path q : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(q);
            }
        }
    }

}
