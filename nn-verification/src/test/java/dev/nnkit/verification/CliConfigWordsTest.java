package dev.nnkit.verification;

import static dev.nnkit.verification.CliTest.nn;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nnkit.verification.CliTest.Run;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How a config may be written: stages by bare id, and --set mistakes named as typed. */
@DisplayName("Config shorthand and --set messages")
class CliConfigWordsTest {
    @TempDir
    Path dir;

    @Test
    @DisplayName("a stage without settings may be its bare id, in YAML (- relu) and JSON (\"relu\"), to the same bytes")
    void bareIds() throws IOException {
        Files.writeString(dir.resolve("xor.csv"), CliTest.XOR_CSV);
        Path yaml = Files.writeString(dir.resolve("run.yaml"), """
                data: {train: xor.csv, labels: classes}
                layers:
                  - {type: dense, units: 4}
                  - tanh
                  - {type: dense, units: 1}
                  - sigmoid
                loss: binary-cross-entropy
                optimizer: {type: adam, learningRate: 0.05}
                training: {batchSize: 4, maxEpochs: 300, seed: 7}
                """);
        Path json = Files.writeString(dir.resolve("run.json"), """
                {"data": {"train": "xor.csv", "labels": "classes"},
                 "layers": [{"type": "dense", "units": 4}, {"type": "tanh"}, {"type": "dense", "units": 1}, "sigmoid"],
                 "loss": "binary-cross-entropy", "optimizer": {"type": "adam", "learningRate": 0.05},
                 "training": {"batchSize": 4, "maxEpochs": 300, "seed": 7}}
                """);
        Run a = nn("train", "--quiet", "--config", yaml.toString(), "--out", dir.resolve("a").toString());
        Run b = nn("train", "--quiet", "--config", json.toString(), "--out", dir.resolve("b").toString());
        assertThat(a.code()).as(a.err()).isZero();
        assertThat(b.code()).as(b.err()).isZero();
        assertThat(Files.readAllBytes(dir.resolve("a/model/model.safetensors")))
                .isEqualTo(Files.readAllBytes(dir.resolve("b/model/model.safetensors")));

        Path typo = Files.writeString(dir.resolve("typo.yaml"), Files.readString(yaml).replace("  - tanh", "  - tahn"));
        Run r = nn("train", "--quiet", "--config", typo.toString());
        assertThat(r.code()).isEqualTo(4);
        assertThat(r.err()).contains("typo.yaml at /layers/1: ").contains("Did you mean 'tanh'?");
        Path needsUnits = Files.writeString(dir.resolve("units.yaml"), Files.readString(yaml).replace("  - {type: dense, units: 1}",
                "  - dense"));
        r = nn("train", "--quiet", "--config", needsUnits.toString());
        assertThat(r.code()).isEqualTo(4);
        assertThat(r.err()).contains("units.yaml at /layers/2").contains("Missing setting 'units' for 'dense'");
    }

    @Test
    @DisplayName("a value a --set wrote is blamed on the --set as typed (exit 2), not on the config file")
    void setIsNamed() throws IOException {
        Files.writeString(dir.resolve("xor.csv"), CliTest.XOR_CSV);
        Path cfg = Files.writeString(dir.resolve("run.json"), CliTest.config("{\"type\": \"adam\"}", ""));
        Run r = nn("train", "--quiet", "--config", cfg.toString(), "--set", "optimizer.learningRate=-1");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).startsWith("--set optimizer.learningRate=-1: Invalid settings for 'adam': learningRate must be "
                + "finite and > 0; got -1.0.").doesNotContain("run.json");
        r = nn("train", "--quiet", "--config", cfg.toString(), "--set", "layers.0.unts=3");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).startsWith("--set layers.0.unts=3: Unknown setting 'unts' for 'dense'. Did you mean 'units'?");
        r = nn("train", "--quiet", "--config", cfg.toString(), "--set", "training.earlyStoping.patience=3");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).startsWith("--set training.earlyStoping.patience=3: Unknown setting 'earlyStoping' for "
                + "'training'. Did you mean 'earlyStopping'?");
        // a mistake the file holds is still the file's
        Path bad = Files.writeString(dir.resolve("bad.json"), CliTest.config("{\"type\": \"adam\", \"learningRate\": -1}", ""));
        r = nn("train", "--quiet", "--config", bad.toString(), "--set", "layers.0.units=3");
        assertThat(r.code()).isEqualTo(4);
        assertThat(r.err()).contains("bad.json at /optimizer/learningRate");
    }
}
