package dev.nnkit.verification;

import static dev.nnkit.verification.CliDataTest.refused;
import static dev.nnkit.verification.CliTest.nn;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nnkit.cli.NnCommand;
import dev.nnkit.verification.CliTest.Run;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Images in a CSV: {@code data.inputShape} gives each row of pixel columns its [C, H, W] shape, so
 * a CNN trains on it, predicts from the same columns, and says which number is off when the shape
 * does not fit the columns.
 */
@DisplayName("nn with image rows in CSV (data.inputShape)")
class CliImageCsvTest {
    @TempDir
    Path dir;

    /** 8×8 images of a horizontal (class h), vertical (v) or diagonal (d) bar, with noise; one row each. */
    private Path images(String name, int rows, long seed) throws IOException {
        return images(dir, name, rows, seed);
    }

    /** {@link #images(String, int, long)} in {@code dir} (the ONNX export test trains on the same images). */
    static Path images(Path dir, String name, int rows, long seed) throws IOException {
        SplittableRandom r = new SplittableRandom(seed);
        StringBuilder csv = new StringBuilder();
        for (int p = 0; p < 64; p++) {
            csv.append('p').append(p).append(',');
        }
        csv.append("shape\n");
        for (int n = 0; n < rows; n++) {
            int kind = n % 3;
            int at = r.nextInt(8);
            for (int p = 0; p < 64; p++) {
                int y = p / 8;
                int x = p % 8;
                boolean on = kind == 0 ? y == at : kind == 1 ? x == at : x == y;
                csv.append(String.format(java.util.Locale.ROOT, "%.3f", (on ? 1 : 0) + r.nextDouble(-0.2, 0.2))).append(',');
            }
            csv.append("hvd".charAt(kind)).append('\n');
        }
        Path file = dir.resolve(name);
        Files.writeString(file, csv);
        return file;
    }

    private Path config(String inputShape) throws IOException {
        Path cfg = dir.resolve("cnn.json");
        Files.writeString(cfg, """
                {"data": {"train": "train.csv", "validation": "validation.csv", "target": "shape",
                          "inputShape": %s},
                 "layers": [{"type": "conv2d", "filters": 4, "kernel": 3, "padding": 1}, {"type": "batch-norm"},
                            {"type": "relu"}, {"type": "max-pool2d", "kernel": 2}, {"type": "flatten"},
                            {"type": "dense", "units": 3}],
                 "loss": "sparse-categorical-cross-entropy-logits",
                 "optimizer": {"type": "adam", "learningRate": 0.01},
                 "training": {"batchSize": 16, "maxEpochs": 15, "seed": 3}}
                """.formatted(inputShape));
        return cfg;
    }

    @Test
    @DisplayName("a CNN trains on 8×8 images given as 64 columns, then predicts from a CSV of the same columns")
    void trainsAndPredicts() throws IOException {
        images("train.csv", 150, 1);
        Path validation = images("validation.csv", 60, 2);
        Run train = nn("train", "--quiet", "--config", config("[1, 8, 8]").toString(), "--out", dir.resolve("run").toString());
        assertThat(train.code()).as(train.err()).isZero();
        assertThat(train.out()).contains("1×8×8 → conv2d 4×8×8").containsPattern("validation loss [0-9.]+  accuracy 100.00%");
        Run predict = nn("predict", "--model", dir.resolve("run").toString(), "--data", validation.toString());
        assertThat(predict.code()).as(predict.err()).isZero();
        assertThat(predict.out().lines()).hasSize(61).first().isEqualTo("prediction");
        assertThat(predict.out().lines().skip(1).limit(3)).containsExactly("h", "v", "d");
    }

    @Test
    @DisplayName("batch norm over features left with a last batch of one row: exit 4 before training, naming batchSize")
    void loneRowForBatchNorm() throws IOException {
        images("train.csv", 31, 1);
        images("validation.csv", 6, 2);
        Path cfg = dir.resolve("features.json");
        Files.writeString(cfg, """
                {"data": {"train": "train.csv", "validation": "validation.csv", "target": "shape"},
                 "layers": [{"type": "dense", "units": 8}, {"type": "batch-norm"}, {"type": "relu"},
                            {"type": "dense", "units": 3}],
                 "loss": "sparse-categorical-cross-entropy-logits", "optimizer": "sgd",
                 "training": {"batchSize": 10, "maxEpochs": 2}}
                """);
        refused(nn("train", "--quiet", "--config", cfg.toString(), "--out", dir.resolve("lone").toString()),
                NnCommand.INVALID_INPUT, "features.json at /training/batchSize", "with 31 training rows and batchSize 10,"
                        + " the last batch of each epoch holds one row, and batch-norm (stage 1) needs two or more");
        assertThat(dir.resolve("lone")).doesNotExist();
    }

    @Test
    @DisplayName("an inputShape that does not multiply to the column count: exit 4 naming both numbers")
    void shapeMismatch() throws IOException {
        images("train.csv", 30, 1);
        images("validation.csv", 6, 2);
        refused(nn("train", "--quiet", "--config", config("[1, 8, 7]").toString()), NnCommand.INVALID_INPUT,
                "cnn.json at /data/inputShape", "[1, 8, 7] holds 56 values, but each row of the training data has 64"
                        + " feature columns");
        refused(nn("train", "--quiet", "--config", config("[1, 0, 8]").toString()), NnCommand.INVALID_INPUT,
                "cnn.json at /data/inputShape/1");
    }
}
