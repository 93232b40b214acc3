package dev.nnkit.verification;

import static dev.nnkit.verification.CliTest.nn;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nnkit.verification.CliTest.Run;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code data.normalizeTarget: "standardize"} on the shipped diabetes data (a target of 25 to
 * 346): the network trains on (y − μ)/σ with μ and σ the training target's mean and population
 * standard deviation, model.json keeps them, and evaluate and predict answer in the target's units.
 * The oracle is the same training on a CSV whose target was standardized by hand: the weights must
 * be the same bytes, and every prediction the hand-standardized model's times σ plus μ.
 */
@DisplayName("nn train with normalizeTarget")
class CliTargetScalingTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Path DIABETES = ExamplesTest.EXAMPLES.resolve("diabetes");

    @TempDir
    Path dir;

    private Path config(String name, String train, String extra) throws IOException {
        return Files.writeString(dir.resolve(name), """
                {"data": {"train": "%s", "target": "progression", "labels": "numbers", "normalize": "standardize"%s},
                 "layers": [{"type": "dense", "units": 16}, {"type": "relu"}, {"type": "dense", "units": 1}],
                 "loss": "mse", "optimizer": {"type": "adam", "learningRate": 0.01},
                 "training": {"batchSize": 32, "maxEpochs": 40, "seed": 1}}
                """.formatted(train, extra));
    }

    private static List<String[]> rows(Path csv) throws IOException {
        List<String[]> rows = new ArrayList<>();
        for (String line : Files.readAllLines(csv)) {
            rows.add(line.split(","));
        }
        return rows;
    }

    @Test
    @DisplayName("trains on the standardized target, and predicts and scores in the target's units")
    void standardizesAndUndoes() throws IOException {
        Path train = DIABETES.resolve("train.csv");
        Path validation = DIABETES.resolve("validation.csv");
        Path scaled = dir.resolve("scaled");
        Run a = nn("train", "--quiet", "--config", config("a.json", train.toString(), ", \"normalizeTarget\": \"standardize\"")
                .toString(), "--validation", validation.toString(), "--out", scaled.toString());
        assertThat(a.code()).as(a.err()).isZero();
        assertThat(a.out()).contains("validation loss").contains("(standardized target)  RMSE");

        JsonNode model = JSON.readTree(scaled.resolve("model/model.json").toFile());
        assertThat(model.get("formatVersion").asInt()).isEqualTo(3);
        double mu = model.get("targetNormalizer").get("shift").get(0).asDouble();
        double sigma = model.get("targetNormalizer").get("scale").get(0).asDouble();
        List<String[]> trainRows = rows(train);
        int target = List.of(trainRows.get(0)).indexOf("progression");
        double[] y = trainRows.subList(1, trainRows.size()).stream().mapToDouble(r -> Double.parseDouble(r[target])).toArray();
        double mean = java.util.Arrays.stream(y).average().orElseThrow();
        double variance = java.util.Arrays.stream(y).map(v -> (v - mean) * (v - mean)).sum() / y.length;
        assertThat(mu).isCloseTo(mean, org.assertj.core.api.Assertions.within(1e-12 * mean));
        assertThat(sigma).isCloseTo(Math.sqrt(variance), org.assertj.core.api.Assertions.within(1e-12 * sigma));

        // the oracle: the target standardized by hand, as (y − μ)/σ in double
        StringBuilder csv = new StringBuilder(String.join(",", trainRows.get(0))).append('\n');
        for (String[] r : trainRows.subList(1, trainRows.size())) {
            String[] copy = r.clone();
            copy[target] = Double.toString((Double.parseDouble(r[target]) - mu) / sigma);
            csv.append(String.join(",", copy)).append('\n');
        }
        Files.writeString(dir.resolve("by-hand.csv"), csv.toString());
        Path byHand = dir.resolve("by-hand");
        Run b = nn("train", "--quiet", "--config", config("b.json", "by-hand.csv", "").toString(), "--out", byHand.toString());
        assertThat(b.code()).as(b.err()).isZero();
        assertThat(Files.readAllBytes(scaled.resolve("model/model.safetensors")))
                .isEqualTo(Files.readAllBytes(byHand.resolve("model/model.safetensors")));

        Run pa = nn("predict", "--model", scaled.toString(), "--data", validation.toString());
        Run pb = nn("predict", "--model", byHand.toString(), "--data", validation.toString());
        assertThat(pa.code()).as(pa.err()).isZero();
        List<String> linesA = pa.out().lines().toList();
        List<String> linesB = pb.out().lines().toList();
        assertThat(linesA.get(0)).isEqualTo("prediction");
        assertThat(linesA).hasSize(89);
        for (int i = 1; i < linesA.size(); i++) {
            float expected = (float) (Float.parseFloat(linesB.get(i)) * sigma + mu);
            assertThat(Float.parseFloat(linesA.get(i))).as("row %d", i).isEqualTo(expected);
        }
        assertThat(Float.parseFloat(linesA.get(1))).isBetween(25f, 346f);

        Run evaluate = nn("evaluate", "--model", scaled.toString(), "--data", validation.toString());
        assertThat(evaluate.code()).as(evaluate.err()).isZero();
        Matcher trained = Pattern.compile("validation loss [0-9.]+ \\(standardized target\\)  RMSE ([0-9.]+)").matcher(a.out());
        Matcher evaluated = Pattern.compile("RMSE +([0-9.]+)").matcher(evaluate.out());
        assertThat(trained.find()).as(a.out()).isTrue();
        assertThat(evaluated.find()).as(evaluate.out()).isTrue();
        assertThat(Double.parseDouble(evaluated.group(1))).isCloseTo(Double.parseDouble(trained.group(1)),
                org.assertj.core.api.Assertions.within(1e-4)).isGreaterThan(10); // in the target's units, not σ's

        // explain works on the standardized target the network learned
        Run explain = nn("explain", "--model", scaled.toString(), "--input", "59,2,32.1,101,157,93.2,38,4,4.8598,87",
                "--target", "151", "--format", "json");
        assertThat(explain.code()).as(explain.err()).isZero();
        assertThat(explain.err()).contains("The model standardizes its target");
        assertThat(JSON.readTree(explain.out()).get("target").get(0).asDouble())
                .isCloseTo((151 - mu) / sigma, org.assertj.core.api.Assertions.within(1e-6));

        JsonNode plain = JSON.readTree(byHand.resolve("model/model.json").toFile());
        assertThat(plain.get("formatVersion").asInt()).as("a model without a target normalizer stays format 2").isEqualTo(2);
        assertThat(plain.has("targetNormalizer")).isFalse();
    }

    @Test
    @DisplayName("a word in a numeric target is a typo named at its cell, never a few hundred classes")
    void typoInTheTarget() throws IOException {
        List<String> lines = new ArrayList<>(Files.readAllLines(DIABETES.resolve("train.csv")));
        String[] row = lines.get(57).split(",");
        row[row.length - 1] = "12a.5";
        lines.set(57, String.join(",", row));
        Files.write(dir.resolve("typo.csv"), lines);
        for (String extra : List.of(", \"normalizeTarget\": \"standardize\"", "")) {
            Path cfg = Files.writeString(dir.resolve("typo.json"), Files.readString(config("t.json", "typo.csv", extra))
                    .replace("\"labels\": \"numbers\", ", ""));
            Run r = nn("train", "--quiet", "--config", cfg.toString());
            assertThat(r.code()).as("%s", extra).isEqualTo(4);
            assertThat(r.err()).as("%s", extra).contains("typo.csv at line 58, column 11 ('progression'): '12a.5' is not a "
                    + "number");
        }
    }

    @Test
    @DisplayName("a class target or an unknown value exits 4 at /data/normalizeTarget with the fix")
    void refusals() throws IOException {
        Files.writeString(dir.resolve("xor.csv"), CliTest.XOR_CSV);
        Path classes = Files.writeString(dir.resolve("classes.json"), CliTest.config("\"adam\"", "")
                .replace("\"labels\": \"classes\"", "\"labels\": \"classes\", \"normalizeTarget\": \"standardize\""));
        Run r = nn("train", "--quiet", "--config", classes.toString());
        assertThat(r.code()).isEqualTo(4);
        assertThat(r.err()).contains("classes.json at /data/normalizeTarget: standardizing is for a numeric target");

        Path auto = Files.writeString(dir.resolve("auto.json"), CliTest.config("\"adam\"", "")
                .replace("\"labels\": \"classes\"", "\"normalizeTarget\": \"standardize\""));
        r = nn("train", "--quiet", "--config", auto.toString());
        assertThat(r.code()).isEqualTo(4);
        assertThat(r.err()).contains("auto.json at /data/normalizeTarget: standardizing is for a regression target, and "
                + "the loss 'binary-cross-entropy' classifies; remove \"normalizeTarget\", or train with a regression loss");

        Path unknown = Files.writeString(dir.resolve("unknown.json"), CliTest.config("\"adam\"", "")
                .replace("\"labels\": \"classes\"", "\"normalizeTarget\": \"min-max\""));
        r = nn("train", "--quiet", "--config", unknown.toString());
        assertThat(r.code()).isEqualTo(4);
        assertThat(r.err()).contains("unknown.json at /data/normalizeTarget: expected \"standardize\" or \"none\"; got \"min-max\".");
    }
}
