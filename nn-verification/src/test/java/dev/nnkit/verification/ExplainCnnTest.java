package dev.nnkit.verification;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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
 * nn explain on the convolutional examples of docs/explain (conv2d, pooling-dropout, batch-norm):
 * every stage's output, every gradient passed back, every parameter gradient, the running
 * statistics, the loss and the update equal PyTorch's (golden/explain-cnn.json, written by
 * generate_explain_golden.py), and the committed English and Chinese docs are what nn explain writes.
 */
@DisplayName("nn explain: convolution, pooling, dropout and batch norm")
class ExplainCnnTest {
    static final Path DOCS = ExplainTest.DOCS;
    static final JsonNode GOLDEN = golden();

    private static JsonNode golden() {
        try {
            return JsonMapper.builder().build().readTree(Files.readString(ExplainTest.ROOT.resolve(
                    "nn-verification/src/test/resources/golden/explain-cnn.json")));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The docs' cases: name and --neurons (as generate.sh gives them). */
    static Stream<Arguments> cases() {
        return Stream.of(Arguments.of("conv2d", 24), Arguments.of("pooling-dropout", 32), Arguments.of("batch-norm", 24));
    }

    /** nn explain's arguments for a case: its batch and targets from the golden file. */
    static List<String> args(String name, List<String> extra) {
        JsonNode c = GOLDEN.get(name);
        List<String> args = new ArrayList<>(List.of("explain", "--config", DOCS.resolve(name + ".json").toString(),
                "--weights", DOCS.resolve(name + ".safetensors").toString()));
        for (JsonNode sample : c.get("inputs")) {
            List<String> values = new ArrayList<>();
            sample.forEach(v -> values.add(String.valueOf(v.asDouble())));
            args.addAll(List.of("--input", String.join(",", values)));
        }
        c.get("targets").forEach(t -> args.addAll(List.of("--target", t.asString())));
        args.addAll(extra);
        return args;
    }

    static CliTest.Run explain(String name, String... extra) {
        CliTest.Run r = CliTest.nn(args(name, List.of(extra)).toArray(String[]::new));
        assertThat(r.code()).as(r.err()).isZero();
        return r;
    }

    @ParameterizedTest(name = "{0}: every stage, gradient, running statistic and update equals PyTorch's")
    @MethodSource("cases")
    void matchesPyTorch(String name, int neurons) throws IOException {
        JsonNode t = JsonMapper.builder().build().readTree(explain(name, "--format", "json").out());
        JsonNode expected = GOLDEN.get(name);
        JsonNode stages = t.get("stages");
        assertThat(stages.size()).isEqualTo(expected.get("stage_outputs").size());
        for (int s = 0; s < stages.size(); s++) {
            JsonNode stage = stages.get(s);
            String what = name + " stage " + s + " (" + stage.get("type").asString() + ")";
            close(what + " output", stage.get("output"), expected.get("stage_outputs").get(s));
            close(what + " gradient passed back", stage.get("inputGradient"), expected.get("stage_input_gradients").get(s));
            for (JsonNode p : stage.get("parameters")) {
                close(what + " ∂C/∂" + p.get("name").asString(), p.get("gradient"),
                        expected.get("gradients").get(p.get("name").asString()));
            }
            for (JsonNode b : stage.get("buffers")) {
                close(what + " " + b.get("name").asString() + " after the step", b.get("after"),
                        expected.get("buffers_after").get(b.get("name").asString()));
            }
            if (stage.get("type").asString().equals("dropout")) { // the mask PyTorch was given is the one nnkit draws
                close(what + " mask (regenerate the golden file if the stream changed)", stage.get("internals").get("mask"),
                        expected.get("mask"));
            }
        }
        close(name + " C", List.of(t.get("lossValue").asDouble()), List.of(expected.get("loss").asDouble()));
        for (var p : t.get("update").get("after").properties()) {
            close(name + " " + p.getKey() + " after the update", p.getValue(), expected.get("after_sgd").get(p.getKey()));
        }
        if (!expected.get("loss_after").isNull()) {
            close(name + " C after", List.of(t.get("lossAfter").asDouble()), List.of(expected.get("loss_after").asDouble()));
        }
    }

    @ParameterizedTest(name = "docs/explain/{0}.md and zh/{0}.md are what nn explain writes")
    @MethodSource("cases")
    void docsAreCurrent(String name, int neurons) throws IOException {
        for (String lang : List.of("en", "zh")) {
            Path dir = lang.equals("en") ? DOCS : DOCS.resolve("zh");
            String markdown = explain(name, "--format", "markdown", "--neurons", String.valueOf(neurons), "--lang", lang).out();
            assertThat(Files.readString(dir.resolve(name + ".md"))).as("regenerate with docs/explain/generate.sh")
                    .isEqualTo(Files.readString(dir.resolve(name + ".note.md")) + markdown);
        }
    }

    @Test
    @DisplayName("the docs write every value of the example out: no stage is cut short")
    void docsShowEverything() throws IOException {
        for (String name : List.of("conv2d", "pooling-dropout", "batch-norm")) {
            assertThat(Files.readString(DOCS.resolve(name + ".md"))).as(name).doesNotContain("raise --neurons")
                    .doesNotContain("more}");
        }
    }

    @Test
    @DisplayName("max pooling sends each window's gradient to its winner only; dropout shows its mask")
    void poolingAndDropoutInText() {
        String text = explain("pooling-dropout", "--neurons", "32").out();
        assertThat(text).contains("a⁽³⁾[0, 0, 0, 0] = max(0.144, 0.175, 0, 0.026) = 0.175")
                .contains("a⁽⁴⁾[0, 0, 0, 1] = 0.401·2 = 0.802   (kept)")
                .contains("a⁽⁴⁾[0, 0, 0, 0] = 0.175·0 = 0   (dropped)")
                .contains("Stage 5: avg-pool2d, 2×2 windows");
    }

    @Test
    @DisplayName("--lang zh writes the same numbers in Chinese")
    void chinese() {
        String en = explain("batch-norm", "--neurons", "24").out();
        String zh = explain("batch-norm", "--neurons", "24", "--lang", "zh").out();
        assertThat(zh).contains("前向传播").contains("反向传播").contains("批归一化").doesNotContain("Forward pass")
                .doesNotContain("Stage ");
        assertThat(numbers(zh)).isEqualTo(numbers(en));
    }

    @Test
    @DisplayName("--lang fr, and one --target for two --input: exit 2 saying what to give")
    void refusals() {
        CliTest.Run r = CliTest.nn(args("conv2d", List.of("--lang", "fr")).toArray(String[]::new));
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("--lang: unknown language 'fr'; use en or zh.");
        List<String> twoInputs = new ArrayList<>(args("conv2d", List.of()));
        twoInputs.addAll(List.of("--input", twoInputs.get(twoInputs.indexOf("--input") + 1)));
        r = CliTest.nn(twoInputs.toArray(String[]::new));
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("give one --target per --input: got 2 inputs and 1 target.");
        r = CliTest.nn("explain", "--config", DOCS.resolve("conv2d.json").toString(), "--input", "1,2,3,4,5", "--target", "0");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("--input has 5 values per sample; the config's data.inputShape [1, 4, 4] takes 16.");
    }

    /** Every number in a text, in order (the language changes the words, not the numbers). */
    private static List<String> numbers(String text) {
        List<String> out = new ArrayList<>();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("-?\\d+(\\.\\d+)?(e-?\\d+)?").matcher(text);
        while (m.find()) {
            out.add(m.group());
        }
        return out;
    }

    private static void close(String what, JsonNode actual, JsonNode expected) {
        close(what, values(actual), values(expected));
    }

    private static List<Double> values(JsonNode n) {
        List<Double> v = new ArrayList<>();
        n.forEach(x -> v.add(x.asDouble()));
        return v;
    }

    private static void close(String what, List<Double> actual, List<Double> expected) {
        assertThat(actual).as(what).hasSameSizeAs(expected);
        for (int i = 0; i < expected.size(); i++) {
            assertThat(Math.abs(actual.get(i) - expected.get(i))).as("%s[%d]: nnkit %s, PyTorch %s", what, i,
                    actual.get(i), expected.get(i)).isLessThanOrEqualTo(1e-9);
        }
    }
}
