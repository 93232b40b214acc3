package dev.nnkit.verification;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A model directory whose model.json claims more than its weights file holds is refused by the
 * real {@code nn} at once, in a small heap, naming the file, the tensor and the bytes; and labels
 * that do not match the network never produce a ragged CSV with exit 0.
 */
@DisplayName("nn and what model.json claims")
class CliSizeClaimsTest {
    @TempDir
    Path dir;

    static final String THREE_CLASSES = "x1,x2,kind\n0,0,a\n0,1,b\n1,0,c\n1,1,a\n2,1,b\n1,2,c\n";

    private Path trained() throws IOException {
        Files.writeString(dir.resolve("three.csv"), THREE_CLASSES);
        Path cfg = Files.writeString(dir.resolve("run.json"), """
                {"data": {"train": "three.csv", "labels": "classes"},
                 "layers": [{"type": "dense", "units": 4}, {"type": "tanh"}, {"type": "dense", "units": 3}],
                 "loss": "sparse-categorical-cross-entropy-logits", "optimizer": "adam",
                 "training": {"batchSize": 6, "maxEpochs": 3, "seed": 7}}
                """);
        CliTest.Run r = CliTest.nn("train", "--quiet", "--config", cfg.toString(), "--out", dir.resolve("run").toString());
        assertThat(r.code()).as(r.err()).isZero();
        return dir.resolve("run/model");
    }

    private static void edit(Path model, String from, String to) throws IOException {
        Path json = model.resolve("model.json");
        String text = Files.readString(json);
        assertThat(text).contains(from);
        Files.writeString(json, text.replace(from, to));
    }

    @Test
    @DisplayName("a 120M×16 layer over an 844-byte-class weights file: exit 4 at once in a 256 MB heap, no OutOfMemoryError")
    void hugeClaimSmallFile() throws Exception {
        Path model = trained();
        edit(model, "\"inputShape\" : [ 2 ]", "\"inputShape\" : [ 16 ]");
        edit(model, "\"features\" : [ \"x1\", \"x2\" ]", "\"features\" : [ ]");
        edit(model, "\"units\" : 4", "\"units\" : 120000000");
        List<String> command = new ArrayList<>(CliProcessTest.command("predict", "--model", model.toString(), "--data",
                dir.resolve("three.csv").toString()));
        command.add(1, "-Xmx256m");
        long start = System.nanoTime();
        CliProcessTest.Result r = new CliProcessTest().runIn(dir, command);
        assertThat(r.code()).as(r.err()).isEqualTo(4);
        assertThat(r.err()).contains("model.safetensors", "tensor '0.weight'", "[120000000, 16]", "7680000000 bytes")
                .doesNotContain("OutOfMemoryError").doesNotContain("out of memory").doesNotContain("\tat ");
        assertThat(System.nanoTime() - start).as("refused at once").isLessThan(60_000_000_000L);
    }

    @Test
    @DisplayName("2 class names for 3 outputs: exit 4 naming both counts, nothing on stdout")
    void fewerClassNamesThanOutputs() throws IOException {
        Path model = trained();
        edit(model, "\"classes\" : [ \"a\", \"b\", \"c\" ]", "\"classes\" : [ \"a\", \"b\" ]");
        CliTest.Run r = CliTest.nn("predict", "--model", model.toString(), "--data", dir.resolve("three.csv").toString());
        assertThat(r.code()).isEqualTo(4);
        assertThat(r.err()).contains("model.json at /labels/classes: 2 class names for 3 outputs");
        assertThat(r.out()).isEmpty();
    }

    @Test
    @DisplayName("a regression model with 3 outputs writes prediction_0 … prediction_2 with a value under each")
    void multiOutputRegressionHasAColumnEach() throws IOException {
        Path model = trained();
        edit(model, "\"classes\" : [ \"a\", \"b\", \"c\" ]", "\"classes\" : [ ]");
        Files.writeString(dir.resolve("x.csv"), "x1,x2\n0,0\n1,2\n");
        CliTest.Run r = CliTest.nn("predict", "--model", model.toString(), "--data", dir.resolve("x.csv").toString());
        assertThat(r.code()).as(r.err()).isZero();
        List<String> lines = r.out().lines().toList();
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0)).isEqualTo("prediction_0,prediction_1,prediction_2");
        assertThat(lines.get(1).split(",")).hasSize(3);
        assertThat(lines.get(2).split(",")).hasSize(3);
    }

    @Test
    @DisplayName("evaluate on a regression model with 3 outputs: exit 4 naming the model, not scores of the first output")
    void multiOutputRegressionIsNotScoredByItsFirstColumn() throws IOException {
        Path model = trained();
        edit(model, "\"classes\" : [ \"a\", \"b\", \"c\" ]", "\"classes\" : [ ]");
        Files.writeString(dir.resolve("y.csv"), "x1,x2,kind\n0,0,1\n1,2,2\n");
        CliTest.Run r = CliTest.nn("evaluate", "--model", model.toString(), "--data", dir.resolve("y.csv").toString());
        assertThat(r.code()).as(r.err()).isEqualTo(4);
        assertThat(r.err()).contains("at /labels/classes: the model has 3 outputs and no class names");
        assertThat(r.out()).doesNotContain("MSE");
    }
}
