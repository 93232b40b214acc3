package dev.nnkit.verification;

import static dev.nnkit.verification.CliTest.nn;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nnkit.verification.CliTest.Run;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A run folder holds the resolved config (config.json: the file plus --set, --seed, --epochs and
 * --data written in, data paths absolute), so {@code nn train --resume DIR} needs nothing else and
 * {@code nn train --config DIR/config.json} repeats the run.
 */
@DisplayName("Run folders: config.json")
class CliRunFolderTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path dir;

    private Path iris() throws IOException {
        Path data = Files.createDirectories(dir.resolve("data"));
        Files.copy(ExamplesTest.EXAMPLES.resolve("iris/train.csv"), data.resolve("train.csv"));
        return Files.writeString(dir.resolve("iris.json"), """
                {"data": {"train": "data/train.csv", "target": "species", "normalize": "standardize", "validationSplit": 0.2},
                 "layers": [{"type": "dense", "units": 8}, {"type": "tanh"}, {"type": "dense", "units": 3}],
                 "loss": "sparse-categorical-cross-entropy-logits", "optimizer": {"type": "adam", "learningRate": 0.01},
                 "training": {"batchSize": 16, "maxEpochs": 50, "seed": 1}}
                """);
    }

    private static byte[] weights(Path run) throws IOException {
        return Files.readAllBytes(run.resolve("model/model.safetensors"));
    }

    @Test
    @DisplayName("config.json holds every override and absolute data paths; training from it repeats the run to the byte")
    void resolvedConfig() throws IOException {
        Path cfg = iris();
        Path run = dir.resolve("run");
        Run r = nn("train", "--quiet", "--config", cfg.toString(), "--out", run.toString(), "--set",
                "optimizer.learningRate=0.02", "--seed", "5", "--epochs", "12");
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode saved = JSON.readTree(run.resolve("config.json").toFile());
        assertThat(saved.get("optimizer").get("learningRate").asDouble()).isEqualTo(0.02);
        assertThat(saved.get("training").get("seed").asLong()).isEqualTo(5);
        assertThat(saved.get("training").get("maxEpochs").asInt()).isEqualTo(12);
        assertThat(Path.of(saved.get("data").get("train").asString())).isAbsolute()
                .isEqualTo(dir.resolve("data/train.csv").toAbsolutePath());
        assertThat(saved.get("writtenBy").get("config").asString()).isEqualTo(cfg.toAbsolutePath().toString());
        assertThat(saved.get("writtenBy").get("overrides")).extracting(JsonNode::asString)
                .containsExactly("--set optimizer.learningRate=0.02", "--seed 5", "--epochs 12");

        // from another working directory's point of view: only absolute paths, so it runs anywhere
        Path again = dir.resolve("again");
        Run repeat = nn("train", "--quiet", "--config", run.resolve("config.json").toString(), "--out", again.toString());
        assertThat(repeat.code()).as(repeat.err()).isZero();
        assertThat(weights(again)).isEqualTo(weights(run));
    }

    @Test
    @DisplayName("--resume DIR alone continues to the same bytes as a straight run; metrics.jsonl has each epoch once")
    void resumeNeedsNothingElse() throws IOException {
        Path cfg = iris();
        Path straight = dir.resolve("straight");
        assertThat(nn("train", "--quiet", "--config", cfg.toString(), "--out", straight.toString(), "--epochs", "20",
                "--set", "layers.0.units=12").code()).isZero();
        Path run = dir.resolve("run");
        assertThat(nn("train", "--quiet", "--config", cfg.toString(), "--out", run.toString(), "--epochs", "8",
                "--set", "layers.0.units=12").code()).isZero();
        Run resumed = nn("train", "--quiet", "--resume", run.toString(), "--epochs", "20");
        assertThat(resumed.code()).as(resumed.err()).isZero();
        assertThat(weights(run)).isEqualTo(weights(straight));
        assertThat(Files.readAllLines(run.resolve("metrics.jsonl"))).extracting(l -> JSON.readTree(l).get("epoch").asInt())
                .containsExactly(java.util.stream.IntStream.rangeClosed(1, 20).boxed().toArray(Integer[]::new));
        JsonNode saved = JSON.readTree(run.resolve("config.json").toFile());
        assertThat(saved.get("training").get("maxEpochs").asInt()).isEqualTo(20);
        assertThat(saved.get("layers").get(0).get("units").asInt()).isEqualTo(12);
        assertThat(saved.get("writtenBy").get("overrides")).extracting(JsonNode::asString)
                .containsExactly("--set layers.0.units=12", "--epochs 8", "--epochs 20");

        // with the original config and overrides it still resumes: the same resolved config
        Run more = nn("train", "--quiet", "--config", cfg.toString(), "--set", "layers.0.units=12", "--resume",
                run.toString(), "--epochs", "22");
        assertThat(more.code()).as(more.err()).isZero();
        // another config is refused
        Run other = nn("train", "--quiet", "--config", cfg.toString(), "--resume", run.toString(), "--epochs", "30");
        assertThat(other.code()).isEqualTo(4);
        assertThat(other.err()).contains("this checkpoint was written for another config");
    }

    @Test
    @DisplayName("a run checkpointed by an nnkit that hashed the config file's bytes still resumes with --config")
    void olderRunsResume() throws Exception {
        Path cfg = iris();
        Path run = dir.resolve("run");
        assertThat(nn("train", "--quiet", "--config", cfg.toString(), "--out", run.toString(), "--epochs", "4", "--seed",
                "9").code()).isZero();
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        md.update(Files.readAllBytes(cfg));
        md.update("\n--seed 9".getBytes(StandardCharsets.UTF_8));
        String legacy = "sha256:" + HexFormat.of().formatHex(md.digest());
        try (Stream<Path> s = Files.walk(run.resolve("checkpoints"))) {
            for (Path state : s.filter(p -> p.getFileName().toString().equals("state.json")).toList()) {
                String text = Files.readString(state);
                Files.writeString(state, text.replaceAll("\"configHash\":\"sha256:[0-9a-f]+\"", "\"configHash\":\"" + legacy + "\""));
            }
        }
        Files.delete(run.resolve("config.json")); // as an older nnkit left it
        Run alone = nn("train", "--quiet", "--resume", run.toString(), "--epochs", "6");
        assertThat(alone.code()).isEqualTo(4);
        assertThat(alone.err()).contains("holds no config.json (a run written by an older nnkit, or not a run): give the "
                + "config it was trained with, --config FILE.");
        Run withConfig = nn("train", "--quiet", "--config", cfg.toString(), "--seed", "9", "--resume", run.toString(),
                "--epochs", "6");
        assertThat(withConfig.code()).as(withConfig.err()).isZero();
        assertThat(run.resolve("config.json")).exists();
    }

    @Test
    @DisplayName("--force replaces a run like --overwrite; a config.json nn train did not write is never replaced")
    void forceAndForeignConfig() throws IOException {
        Path cfg = iris();
        Path run = dir.resolve("run");
        assertThat(nn("train", "--quiet", "--config", cfg.toString(), "--out", run.toString(), "--epochs", "2").code()).isZero();
        Run refused = nn("train", "--quiet", "--config", cfg.toString(), "--out", run.toString(), "--epochs", "2");
        assertThat(refused.code()).isEqualTo(4);
        assertThat(refused.err()).contains("already holds a run").contains("config.json");
        Run forced = nn("train", "--quiet", "--config", cfg.toString(), "--out", run.toString(), "--epochs", "3", "--force");
        assertThat(forced.code()).as(forced.err()).isZero();
        assertThat(JSON.readTree(run.resolve("config.json").toFile()).get("training").get("maxEpochs").asInt()).isEqualTo(3);

        Path project = Files.createDirectories(dir.resolve("project"));
        Path mine = Files.writeString(project.resolve("config.json"), "{\"my\": \"own\"}\n");
        for (List<String> extra : List.of(List.<String>of(), List.of("--overwrite"))) {
            List<String> args = new java.util.ArrayList<>(List.of("train", "--quiet", "--config", cfg.toString(), "--out",
                    project.toString(), "--epochs", "2"));
            args.addAll(extra);
            Run r = nn(args.toArray(String[]::new));
            assertThat(r.code()).as("%s", extra).isEqualTo(4);
            assertThat(r.err()).contains("config.json").contains("is not one it wrote").contains("Move it away");
            assertThat(Files.readString(mine)).isEqualTo("{\"my\": \"own\"}\n");
        }
        try (Stream<Path> s = Files.list(project)) {
            assertThat(s.map(p -> p.getFileName().toString()).filter(n -> !n.equals(".nn-train.lock")))
                    .containsExactly("config.json");
        }
    }

    @Test
    @DisplayName("nn explain on a run explains its own optimizer's step, and takes a class name or index as the target")
    void explainUsesTheRun() throws IOException {
        Path cfg = iris();
        Path run = dir.resolve("run");
        assertThat(nn("train", "--quiet", "--config", cfg.toString(), "--out", run.toString(), "--epochs", "3", "--set",
                "optimizer.learningRate=0.03").code()).isZero();
        Run byName = nn("explain", "--model", run.toString(), "--input", "5.1,3.5,1.4,0.2", "--target", "virginica",
                "--format", "json");
        assertThat(byName.code()).as(byName.err()).isZero();
        JsonNode e = JSON.readTree(byName.out());
        assertThat(e.get("update").get("optimizer").asString()).isEqualTo("adam");
        assertThat(e.get("update").get("settings").get("learningRate").asDouble()).isEqualTo(0.03);
        Run byIndex = nn("explain", "--model", run.resolve("model").toString(), "--input", "5.1,3.5,1.4,0.2", "--target",
                "2", "--format", "json");
        assertThat(byIndex.out()).isEqualTo(byName.out());
        Run rowAsTheLossTakesIt = nn("explain", "--model", run.toString(), "--input", "5.1,3.5,1.4,0.2", "--target", "2",
                "--format", "json", "--optimizer", "adam", "--lr", "0.03");
        assertThat(rowAsTheLossTakesIt.out()).isEqualTo(byName.out());

        Path bare = dir.resolve("bare");
        Files.createDirectories(bare);
        for (String f : List.of("model.json", "model.safetensors")) {
            Files.copy(run.resolve("model").resolve(f), bare.resolve(f));
        }
        Run noRun = nn("explain", "--model", bare.toString(), "--input", "5.1,3.5,1.4,0.2", "--target", "setosa",
                "--format", "json");
        assertThat(noRun.code()).as(noRun.err()).isZero();
        assertThat(JSON.readTree(noRun.out()).get("update").get("optimizer").asString()).isEqualTo("sgd");
        assertThat(noRun.err()).contains("no run config.json beside it").contains("--optimizer ID and --lr");
        Run unknown = nn("explain", "--model", run.toString(), "--input", "5.1,3.5,1.4,0.2", "--target", "rose");
        assertThat(unknown.code()).isEqualTo(2);
        assertThat(unknown.err()).contains("--target rose: the model's classes are [setosa, versicolor, virginica]");
    }
}
