package dev.nnkit.verification;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nnkit.api.tensor.DType;
import dev.nnkit.api.tensor.Shape;
import dev.nnkit.api.tensor.Tensor;
import dev.nnkit.core.network.NamedParameter;
import dev.nnkit.core.train.Trainer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * nn explain on the seeds' networks: its numbers equal PyTorch's (golden.json), its JSON gradients
 * equal the trainer's own bit for bit, and the committed docs/explain/*.md are what it writes now.
 */
@DisplayName("nn explain")
class ExplainTest {
    static final Path ROOT = Path.of("").toAbsolutePath().getParent();
    static final Path DOCS = ROOT.resolve("docs/explain");

    /** doc name, seed files, golden case, input, target, optimizer args. */
    static Stream<Arguments> seeds() {
        return Stream.of(
                Arguments.of("seed-003", "seed-003", "seed003", "2,3,-1", "1", List.of()),
                Arguments.of("seed-003-adam", "seed-003", "seed003", "2,3,-1", "1", List.of("--optimizer", "adam", "--lr", "0.1")),
                Arguments.of("seed-000", "seed-000", "seed000-sample0", "0.5,-1.2", "1", List.of()),
                Arguments.of("seed-004", "seed-004", "seed004", "0.35,0.9,-0.4", "0.5,0.1,0.9", List.of()));
    }

    static CliTest.Run explain(String seed, String input, String target, List<String> extra, String format) {
        List<String> args = new java.util.ArrayList<>(List.of("explain", "--config", DOCS.resolve(seed + ".json").toString(),
                "--weights", DOCS.resolve(seed + ".safetensors").toString(), "--input", input, "--target", target,
                "--format", format));
        args.addAll(extra);
        CliTest.Run r = CliTest.nn(args.toArray(String[]::new));
        assertThat(r.code()).as(r.err()).isZero();
        return r;
    }

    @ParameterizedTest(name = "{0}: forward, loss, δ, gradients and update equal PyTorch's")
    @MethodSource("seeds")
    void matchesPyTorch(String doc, String seed, String golden, String input, String target, List<String> extra)
            throws IOException {
        JsonNode e = JsonMapper.builder().build().readTree(explain(seed, input, target, extra, "json").out());
        GoldenCase c = GoldenCase.all().stream().filter(g -> g.name().equals(golden)).findFirst().orElseThrow();
        JsonNode expected = c.expected(DType.FLOAT64);
        JsonNode outs = expected.get("stage_outputs");
        int stage = 0;
        for (JsonNode layer : e.get("layers")) {
            close(doc + " z", GoldenCase.flatten(layer.get("z")), GoldenCase.flatten(outs.get(stage)));
            close(doc + " a", GoldenCase.flatten(layer.get("a")), GoldenCase.flatten(outs.get(stage + 1)));
            close(doc + " ∂C/∂W", GoldenCase.flatten(layer.get("weightGradient")),
                    GoldenCase.flatten(expected.get("gradients").get(layer.get("weightName").asString())));
            stage += 2;
        }
        close(doc + " C", new double[] {e.get("lossValue").asDouble()}, new double[] {expected.get("loss").asDouble()});
        String after = extra.isEmpty() ? "after_sgd" : "after_adam_1";
        for (var p : e.get("update").get("after").properties()) {
            close(doc + " " + p.getKey() + " after the update", GoldenCase.flatten(p.getValue()),
                    GoldenCase.flatten(expected.get(after).get(p.getKey())));
        }
    }

    @Test
    @DisplayName("the JSON gradients are exactly the trainer's own")
    void gradientsAreTheTrainers() throws IOException {
        JsonNode e = JsonMapper.builder().build().readTree(explain("seed-000", "0.5,-1.2", "1", List.of(), "json").out());
        GoldenCase c = GoldenCase.all().stream().filter(g -> g.name().equals("seed000-sample0")).findFirst().orElseThrow();
        Trainer t = c.trainer(DType.FLOAT64, dev.nnkit.core.plugin.PluginSpec.of("sgd", "learningRate", 0.5));
        t.computeGradients(Tensor.of(DType.FLOAT64, Shape.of(1, 2), 0.5, -1.2), Tensor.of(DType.FLOAT64, Shape.of(1, 1), 1));
        for (JsonNode layer : e.get("layers")) {
            NamedParameter w = t.network().parameters().stream()
                    .filter(p -> p.name().equals(layer.get("weightName").asString())).findFirst().orElseThrow();
            double[] fromJson = GoldenCase.flatten(layer.get("weightGradient"));
            double[] trainers = w.parameter().gradient().toDoubleArray();
            assertThat(fromJson).hasSameSizeAs(trainers);
            for (int i = 0; i < trainers.length; i++) {
                assertThat(Double.doubleToLongBits(fromJson[i])).as("%s[%d]", w.name(), i)
                        .isEqualTo(Double.doubleToLongBits(trainers[i]));
            }
        }
    }

    @ParameterizedTest(name = "docs/explain/{0}.md is what nn explain writes")
    @MethodSource("seeds")
    void docsAreCurrent(String doc, String seed, String golden, String input, String target, List<String> extra)
            throws IOException {
        String markdown = explain(seed, input, target, extra, "markdown").out();
        assertThat(Files.readString(DOCS.resolve(doc + ".md"))).as("regenerate with docs/explain/generate.sh")
                .isEqualTo(Files.readString(DOCS.resolve(doc + ".note.md")) + markdown);
    }

    @Test
    @DisplayName("text output summarises large layers to --neurons K")
    void summarises() {
        String text = explain("seed-000", "0.5,-1.2", "1", List.of("--neurons", "2"), "text").out();
        assertThat(text).contains("z₁⁽¹⁾ = ").contains("z₂⁽¹⁾ = ").doesNotContain("z₃⁽¹⁾ = ")
                .contains("… 2 more neurons not shown (raise --neurons).");
    }

    @Test
    @DisplayName("names an activation's settings beside its formula (gelu's tanh approximation is not the exact one)")
    void namesActivationSettings(@org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
        Path config = dir.resolve("gelu.json");
        Files.writeString(config, """
                {"data": {"train": "unused.csv", "target": "y"},
                 "layers": [{"type": "dense", "units": 2}, {"type": "gelu", "approximate": "tanh"}, {"type": "dense", "units": 1}],
                 "loss": "mse", "optimizer": "sgd", "training": {"seed": 1}}
                """);
        CliTest.Run r = CliTest.nn("explain", "--config", config.toString(), "--input", "0.5,-1", "--target", "0.3");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("activation gelu (Gaussian error linear unit").contains("; approximate = tanh).");
    }

    private static void close(String what, double[] actual, double[] expected) {
        assertThat(actual).as(what).hasSameSizeAs(expected);
        for (int i = 0; i < expected.length; i++) {
            assertThat(Math.abs(actual[i] - expected[i])).as("%s[%d]: nnkit %s, PyTorch %s", what, i, actual[i], expected[i])
                    .isLessThanOrEqualTo(1e-9);
        }
    }
}
