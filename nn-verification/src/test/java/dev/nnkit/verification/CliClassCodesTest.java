package dev.nnkit.verification;

import static dev.nnkit.verification.CliTest.nn;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nnkit.verification.CliTest.Run;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A CSV whose classes are coded as whole numbers (0/1/2), trained as a data person would: the
 * iris config with only the paths changed, no "labels" key. A classification loss reads the codes
 * as classes (a classifier, predictions named by class); fractions stay numbers (soft targets);
 * "labels": "numbers" keeps them numbers.
 */
@DisplayName("nn train on class codes 0/1/2")
class CliClassCodesTest {
    @TempDir
    Path dir;

    /** Three separable classes on four features, coded 0, 1, 2 (or {@code codes[k]}). */
    private Path csv(String name, String... codes) throws IOException {
        StringBuilder s = new StringBuilder("a,b,c,d,kind\n");
        for (int i = 0; i < 90; i++) {
            int k = i % 3;
            s.append(String.format(Locale.ROOT, "%.2f,%.2f,%.2f,%.2f,%s%n", 3.0 * k + (i % 7) * 0.1, 1 - k + (i % 5) * 0.1,
                    (i % 4) * 0.1, 2.0 * k, codes.length == 0 ? String.valueOf(k) : codes[k]));
        }
        return Files.writeString(dir.resolve(name), s.toString());
    }

    private Path config(String loss, int units, String extraData) throws IOException {
        return Files.writeString(dir.resolve("config.json"), """
                {"data": {"train": "train.csv", "validation": "train.csv", "target": "kind", "normalize": "standardize"%s},
                 "layers": [{"type": "dense", "units": 16}, {"type": "tanh"}, {"type": "dense", "units": %d}%s],
                 "loss": "%s", "optimizer": {"type": "adam", "learningRate": 0.05},
                 "training": {"batchSize": 16, "maxEpochs": 60, "seed": 1}}
                """.formatted(extraData, units, loss.equals("categorical-cross-entropy") ? ", {\"type\": \"softmax\"}"
                        : loss.equals("binary-cross-entropy") ? ", {\"type\": \"sigmoid\"}" : "", loss));
    }

    @Test
    @DisplayName("a sparse loss on codes 0/1/2 trains a classifier; evaluate scores classes, predict names them")
    void sparseLossReadsCodesAsClasses() throws IOException {
        csv("train.csv");
        Path run = dir.resolve("run");
        Run train = nn("train", "--config", config("sparse-categorical-cross-entropy-logits", 3, "").toString(),
                "--out", run.toString(), "--quiet");
        assertThat(train.code()).as(train.err()).isZero();
        assertThat(train.out()).contains("accuracy 100.00%");
        Run evaluate = nn("evaluate", "--model", run.toString(), "--data", dir.resolve("train.csv").toString());
        assertThat(evaluate.code()).as(evaluate.err()).isZero();
        assertThat(evaluate.out()).contains("accuracy").doesNotContain("R²");
        Run predict = nn("predict", "--model", run.toString(), "--data", dir.resolve("train.csv").toString(),
                "--probabilities");
        assertThat(predict.code()).as(predict.err()).isZero();
        List<String> lines = predict.out().lines().toList();
        assertThat(lines.get(0)).isEqualTo("prediction,p(0),p(1),p(2)");
        assertThat(lines.subList(1, 4)).extracting(l -> l.split(",")[0]).containsExactly("0", "1", "2");
    }

    @Test
    @DisplayName("a one-hot loss on the codes gets one-hot rows; the class count must match the units, and the message says so")
    void categoricalLossOneHotsTheCodes() throws IOException {
        csv("train.csv");
        Run ok = nn("train", "--config", config("categorical-cross-entropy", 3, "").toString(), "--quiet");
        assertThat(ok.code()).as(ok.err()).isZero();
        assertThat(ok.out()).contains("accuracy 100.00%");
        Run four = nn("train", "--config", config("categorical-cross-entropy", 4, "").toString(), "--quiet");
        assertThat(four.code()).isNotZero();
        assertThat(four.err()).contains("holds 3 classes [0, 1, 2]").contains("Give the last layer 3 units");
    }

    @Test
    @DisplayName("binary cross-entropy: 0/1 codes are classes named 0 and 1; fractions stay soft targets")
    void binaryCodesAndSoftTargets() throws IOException {
        csv("train.csv", "0", "1", "1");
        Path run = dir.resolve("binary");
        Run train = nn("train", "--config", config("binary-cross-entropy", 1, "").toString(), "--out", run.toString(),
                "--quiet");
        assertThat(train.code()).as(train.err()).isZero();
        Run predict = nn("predict", "--model", run.toString(), "--data", dir.resolve("train.csv").toString());
        assertThat(predict.out().lines().skip(1).distinct().sorted().toList()).containsExactly("0", "1");

        csv("train.csv", "0.1", "0.9", "0.9");
        Path soft = dir.resolve("soft");
        Run softTrain = nn("train", "--config", config("binary-cross-entropy", 1, "").toString(), "--out", soft.toString(),
                "--quiet");
        assertThat(softTrain.code()).as(softTrain.err()).isZero();
        Run softPredict = nn("predict", "--model", soft.toString(), "--data", dir.resolve("train.csv").toString());
        assertThat(softPredict.out().lines().skip(1).toList()).allSatisfy(v -> assertThat(Double.parseDouble(v))
                .isBetween(0.0, 1.0)); // values, not class names
    }

    @Test
    @DisplayName("\"labels\": \"numbers\" keeps the codes numbers, and a wide output then says how to read them as classes")
    void numbersWhenAsked() throws IOException {
        csv("train.csv");
        Run regression = nn("train", "--config", config("mse", 1, ", \"labels\": \"numbers\"").toString(), "--quiet");
        assertThat(regression.code()).as(regression.err()).isZero();
        assertThat(regression.out()).doesNotContain("accuracy");
        Run wide = nn("train", "--config", config("categorical-cross-entropy", 3, ", \"labels\": \"numbers\"").toString(),
                "--quiet");
        assertThat(wide.code()).isNotZero();
        assertThat(wide.err()).contains("holds one number per row").contains("\"labels\": \"classes\"");
    }
}
