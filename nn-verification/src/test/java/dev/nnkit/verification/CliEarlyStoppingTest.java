package dev.nnkit.verification;

import static dev.nnkit.verification.CliTest.nn;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nnkit.api.schedule.EpochHistory;
import dev.nnkit.api.schedule.LearningRateSchedule;
import dev.nnkit.core.plugin.PluginRegistry;
import dev.nnkit.core.plugin.PluginSpec;
import dev.nnkit.verification.CliTest.Run;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code data.validationSplit}, {@code training.earlyStopping} and reduce-on-plateau watching a
 * validation score, through {@code nn train} on a real CSV: three classes on four features with
 * one label in eight flipped, so that the network overfits and the validation loss turns.
 */
@DisplayName("nn train with validationSplit and earlyStopping")
class CliEarlyStoppingTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path dir;

    private void csv() throws IOException {
        StringBuilder s = new StringBuilder("a,b,c,d,kind\n");
        for (int i = 0; i < 150; i++) {
            int k = i % 3;
            int label = i % 8 == 5 ? (k + 1) % 3 : k;
            s.append(String.format(Locale.ROOT, "%.3f,%.3f,%.3f,%.3f,%s%n", k + Math.sin(i) * 0.9, Math.cos(3 * i) - k * 0.5,
                    Math.sin(7 * i), (i % 11) * 0.1 + k * 0.3, List.of("low", "mid", "high").get(label)));
        }
        Files.writeString(dir.resolve("train.csv"), s.toString());
    }

    private Path config(String data, String training, String schedule) throws IOException {
        csv();
        return Files.writeString(dir.resolve("run.json"), """
                {"data": {"train": "train.csv", "target": "kind", "normalize": "standardize"%s},
                 "layers": [{"type": "dense", "units": 64}, {"type": "relu"}, {"type": "dense", "units": 3}],
                 "loss": "sparse-categorical-cross-entropy-logits", "optimizer": {"type": "adam", "learningRate": 0.02}%s,
                 "training": {"batchSize": 16, "maxEpochs": 200, "seed": 3%s}}
                """.formatted(data, schedule, training));
    }

    private static final String SPLIT = ", \"validationSplit\": 0.2";
    private static final String EARLY = ", \"earlyStopping\": {\"monitor\": \"validationLoss\", \"patience\": 4}";

    private static List<JsonNode> metrics(Path run) throws IOException {
        List<JsonNode> rows = new ArrayList<>();
        for (String line : Files.readAllLines(run.resolve("metrics.jsonl"))) {
            rows.add(JSON.readTree(line));
        }
        return rows;
    }

    private static List<Double> series(List<JsonNode> rows, String name) {
        return rows.stream().map(r -> r.get(name).asDouble()).toList();
    }

    @Test
    @DisplayName("holds out a stratified 20%, stops 4 epochs after the best validation loss, and saves that epoch's model and checkpoint")
    void stopsAndKeepsTheBest() throws IOException {
        Path cfg = config(SPLIT, EARLY, "");
        Path run = dir.resolve("run");
        Run r = nn("train", "--config", cfg.toString(), "--out", run.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.err()).contains("Holding out 30 of 150 rows of train.csv for validation (validationSplit 0.2, "
                + "stratified by class, seed 3).");

        List<JsonNode> rows = metrics(run);
        List<Double> validationLoss = series(rows, "validationLoss");
        int best = 0;
        for (int e = 1; e < validationLoss.size(); e++) {
            best = validationLoss.get(e) < validationLoss.get(best) ? e : best;
        }
        int bestEpoch = best + 1;
        assertThat(rows).hasSize(bestEpoch + 4).as("stopped early, well before maxEpochs").hasSizeLessThan(200);
        assertThat(r.out()).contains("stopped: early stopping (validationLoss did not improve for 4 epochs).")
                .contains(String.format(Locale.ROOT, "Restored the weights of epoch %d, the best by validationLoss (%.6g).",
                        bestEpoch, validationLoss.get(best)));
        // the model is the best epoch's: its validation loss is that epoch's, not the last one's
        assertThat(r.out()).contains(String.format(Locale.ROOT, "validation loss %.6f", validationLoss.get(best)));

        JsonNode provenance = JSON.readTree(run.resolve("model/model.json").toFile()).get("provenance");
        assertThat(provenance.get("validationSplit").asString()).isEqualTo("0.2");
        assertThat(provenance.get("validationRows").asString()).isEqualTo("30");
        assertThat(provenance.get("restoredEpoch").asString()).isEqualTo(String.valueOf(bestEpoch));
        assertThat(provenance.get("stopped").asString()).isEqualTo("early-stopped");

        try (Stream<Path> s = Files.list(run.resolve("checkpoints/best"))) {
            Path bestCheckpoint = s.filter(p -> p.getFileName().toString().startsWith("step-")).findFirst().orElseThrow();
            JsonNode state = JSON.readTree(bestCheckpoint.resolve("state.json").toFile());
            assertThat(state.get("epoch").asInt()).isEqualTo(bestEpoch + 1);
            assertThat(state.get("epochScores").get("validationLoss")).hasSize(bestEpoch);
        }

        // the same run again: the same rows held out, the same bytes
        Path again = dir.resolve("again");
        assertThat(nn("train", "--quiet", "--config", cfg.toString(), "--out", again.toString()).code()).isZero();
        assertThat(Files.readAllBytes(again.resolve("model/model.safetensors")))
                .isEqualTo(Files.readAllBytes(run.resolve("model/model.safetensors")));

        // --overwrite recognises the best checkpoint as nn train's
        Run overwrite = nn("train", "--quiet", "--config", cfg.toString(), "--out", run.toString(), "--overwrite");
        assertThat(overwrite.code()).as(overwrite.err()).isZero();
    }

    @Test
    @DisplayName("resumed before and after the best epoch, the run ends with the same bytes; without its best checkpoint it is refused")
    void resumesToTheSameBytes() throws IOException {
        Path cfg = config(SPLIT, EARLY, "");
        Path straight = dir.resolve("straight");
        assertThat(nn("train", "--quiet", "--config", cfg.toString(), "--out", straight.toString()).code()).isZero();
        int epochs = metrics(straight).size();
        for (int stopAt : new int[] {2, epochs - 2}) {
            Path run = dir.resolve("stopped-at-" + stopAt);
            Run first = nn("train", "--quiet", "--config", cfg.toString(), "--out", run.toString(), "--epochs",
                    String.valueOf(stopAt));
            assertThat(first.code()).as(first.err()).isZero();
            Run rest = nn("train", "--quiet", "--config", cfg.toString(), "--resume", run.toString());
            assertThat(rest.code()).as(rest.err()).isZero();
            assertThat(Files.readAllBytes(run.resolve("model/model.safetensors"))).as("resumed after epoch %d", stopAt)
                    .isEqualTo(Files.readAllBytes(straight.resolve("model/model.safetensors")));
            assertThat(Files.readAllLines(run.resolve("metrics.jsonl"))).extracting(l -> l.replaceAll(",\"seconds\".*", ""))
                    .containsExactlyElementsOf(Files.readAllLines(straight.resolve("metrics.jsonl")).stream()
                            .map(l -> l.replaceAll(",\"seconds\".*", "")).toList());
        }

        // a run that stopped early is finished: resuming it trains nothing, whatever --epochs says
        Run again = nn("train", "--quiet", "--resume", straight.toString(), "--epochs", "500");
        assertThat(again.code()).isEqualTo(2);
        assertThat(again.err()).contains("stopped early after epoch " + epochs + " (validationLoss did not improve for 4 "
                + "epochs): nothing is left to train");
        assertThat(Files.readAllLines(straight.resolve("metrics.jsonl"))).hasSize(epochs);

        Path lost = dir.resolve("lost");
        assertThat(nn("train", "--quiet", "--config", cfg.toString(), "--out", lost.toString(), "--epochs",
                String.valueOf(epochs - 2)).code()).isZero();
        try (Stream<Path> s = Files.walk(lost.resolve("checkpoints/best"))) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
        Run refused = nn("train", "--quiet", "--config", cfg.toString(), "--resume", lost.toString());
        assertThat(refused.code()).isEqualTo(4);
        assertThat(refused.err()).contains(lost.resolve("checkpoints/best").toString()).contains("best epoch so far is")
                .contains("put it back, or train afresh with --out");
    }

    @Test
    @DisplayName("reduce-on-plateau watching validationLoss lowers the rate from the validation history, not the training one")
    void plateauWatchesValidation() throws IOException {
        String schedule = ", \"schedule\": {\"type\": \"reduce-on-plateau\", \"monitor\": \"validationLoss\", \"patience\": 2}";
        Path cfg = config(SPLIT, "", schedule);
        Path run = dir.resolve("run");
        Run r = nn("train", "--quiet", "--config", cfg.toString(), "--out", run.toString(), "--epochs", "40");
        assertThat(r.code()).as(r.err()).isZero();
        List<JsonNode> rows = metrics(run);
        assertThat(rows).hasSize(40);
        List<Double> rates = series(rows, "learningRate");
        PluginRegistry registry = PluginRegistry.discover();
        LearningRateSchedule plateau = registry.schedule(new PluginSpec("reduce-on-plateau",
                Map.of("monitor", "validationLoss", "patience", 2L)));
        LearningRateSchedule onTrainLoss = registry.schedule(new PluginSpec("reduce-on-plateau", Map.of("patience", 2L)));
        List<Double> fromValidation = new ArrayList<>();
        List<Double> fromTraining = new ArrayList<>();
        for (int e = 0; e < rows.size(); e++) {
            List<Double> train = series(rows, "trainLoss").subList(0, e);
            fromValidation.add(plateau.learningRate(0.02, e, new EpochHistory(Map.of(EpochHistory.TRAIN_LOSS, train,
                    "validationLoss", series(rows, "validationLoss").subList(0, e)))));
            fromTraining.add(onTrainLoss.learningRate(0.02, e, train));
        }
        assertThat(rates).containsExactlyElementsOf(fromValidation).isNotEqualTo(fromTraining);
        assertThat(rates.get(rates.size() - 1)).isLessThan(0.02);
    }

    @Test
    @DisplayName("mistakes exit 4 at the key, with the fix")
    void mistakes() throws IOException {
        Run noValidation = nn("train", "--quiet", "--config", config("", EARLY, "").toString());
        assertThat(noValidation.code()).isEqualTo(4);
        assertThat(noValidation.err()).contains("run.json at /training/earlyStopping/monitor: \"validationLoss\" is scored on "
                + "validation data, and this run has none: add \"validationSplit\": 0.2");

        Run plateau = nn("train", "--quiet", "--config", config("", "", ", \"schedule\": {\"type\": \"reduce-on-plateau\","
                + " \"monitor\": \"validationAccuracy\"}").toString());
        assertThat(plateau.code()).isEqualTo(4);
        assertThat(plateau.err()).contains("run.json at /schedule/monitor: \"validationAccuracy\" is scored on validation");

        Run both = nn("train", "--quiet", "--config", config(SPLIT + ", \"validation\": \"train.csv\"", "", "").toString());
        assertThat(both.code()).isEqualTo(4);
        assertThat(both.err()).contains("run.json at /data/validationSplit: the validation data comes from \"validation\" or "
                + "from \"validationSplit\", not both");

        Run fraction = nn("train", "--quiet", "--config", config(", \"validationSplit\": 20", "", "").toString());
        assertThat(fraction.code()).isEqualTo(4);
        assertThat(fraction.err()).contains("run.json at /data/validationSplit: expected the fraction of the training data "
                + "to hold out, above 0 and below 1, such as 0.2; got 20.");

        Run tiny = nn("train", "--quiet", "--config", config(", \"validationSplit\": 0.001", "", "").toString());
        assertThat(tiny.code()).isEqualTo(4);
        assertThat(tiny.err()).contains("run.json at /data/validationSplit: validationSplit 0.001 of 150 rows holds out 0 rows");

        Run accuracyWithout = nn("train", "--quiet", "--config", config("", ", \"earlyStopping\": {\"monitor\": "
                + "\"validationAccuracy\"}", "").toString());
        assertThat(accuracyWithout.err()).contains("or watch \"trainAccuracy\".");
        Run r2 = nn("train", "--quiet", "--config", config(SPLIT, ", \"earlyStopping\": {\"monitor\": \"validationR2\"}",
                "").toString());
        assertThat(r2.code()).isEqualTo(4);
        assertThat(r2.err()).contains("run.json at /training/earlyStopping/monitor: \"validationR2\" is not scored in this "
                + "run: it is a regression score, and this run trains a classifier. Watch \"validationAccuracy\"");
        Run misspelt = nn("train", "--quiet", "--config", config(SPLIT, ", \"earlyStoping\": {\"patience\": 3}", "")
                .toString());
        assertThat(misspelt.code()).isEqualTo(4);
        assertThat(misspelt.err()).contains("run.json at /training/earlyStoping: Unknown setting 'earlyStoping' for 'training'. "
                + "Did you mean 'earlyStopping'?");

        Run typo = nn("train", "--quiet", "--config", config(SPLIT, ", \"earlyStopping\": {\"patiense\": 3}", "").toString());
        assertThat(typo.code()).isEqualTo(4);
        assertThat(typo.err()).contains("run.json at /training/earlyStopping/patiense: Unknown setting 'patiense' for "
                + "'earlyStopping'. Did you mean 'patience'?");

        Run monitor = nn("train", "--quiet", "--config", config(SPLIT, ", \"earlyStopping\": {\"monitor\": \"val_loss\"}",
                "").toString());
        assertThat(monitor.code()).isEqualTo(4);
        assertThat(monitor.err()).contains("run.json at /training/earlyStopping/monitor:").contains("validationLoss");
    }

    @Test
    @DisplayName("--validation FILE gives early stopping its validation data, replacing a validationSplit")
    void validationFileOnTheCommandLine() throws IOException {
        Path cfg = config("", EARLY, "");
        Run r = nn("train", "--quiet", "--config", cfg.toString(), "--validation", dir.resolve("train.csv").toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("stopped: early stopping");
        Path split = config(SPLIT, EARLY, "");
        Run replaced = nn("train", "--config", split.toString(), "--validation", dir.resolve("train.csv").toString(),
                "--epochs", "2");
        assertThat(replaced.code()).as(replaced.err()).isZero();
        assertThat(replaced.err()).doesNotContain("Holding out");
        Matcher m = Pattern.compile("validation loss").matcher(replaced.out());
        assertThat(m.find()).isTrue();
    }
}
