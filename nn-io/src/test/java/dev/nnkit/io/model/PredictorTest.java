package dev.nnkit.io.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nnkit.api.loss.Reduction;
import dev.nnkit.api.tensor.DType;
import dev.nnkit.api.tensor.Shape;
import dev.nnkit.api.tensor.Tensor;
import dev.nnkit.inject.Trainers;
import dev.nnkit.core.network.NetworkSpec;
import dev.nnkit.core.plugin.PluginKind;
import dev.nnkit.core.plugin.PluginSpec;
import dev.nnkit.core.train.TrainingOptions;
import dev.nnkit.core.train.TrainingSpec;
import dev.nnkit.io.InvalidFileException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The application's predictor: loading, the ways to give rows, named results, errors, threads. */
@DisplayName("Predictor")
class PredictorTest {
    @TempDir
    Path dir;
    Model model;
    Path saved;

    @BeforeEach
    void save() throws IOException {
        model = TestModels.classifier(DType.FLOAT32);
        saved = dir.resolve("model");
        ModelFiles.save(model, saved, TestModels.REGISTRY);
    }

    @Test
    @DisplayName("a loaded model's class and probabilities are the model's outputs, by class name, bit for bit")
    void classifies() throws IOException {
        Predictor p = Predictor.load(saved);
        Tensor x = TestModels.inputs(DType.FLOAT32, 20, 3);
        Tensor expected = model.predict(x);
        List<Prediction> got = p.predict(x);
        assertThat(got).hasSize(20);
        assertThat(p.classes()).containsExactly("cat", "dog", "eel");
        assertThat(p.features()).containsExactly("a", "b", "c");
        for (int r = 0; r < 20; r++) {
            Prediction one = got.get(r);
            int best = 0;
            for (int c = 0; c < 3; c++) {
                assertThat(one.probability(p.classes().get(c))).isEqualTo(expected.get(r * 3 + c));
                best = expected.get(r * 3 + c) > expected.get(r * 3 + best) ? c : best;
            }
            assertThat(one.classIndex()).isEqualTo(best);
            assertThat(one.label()).isEqualTo(p.classes().get(best));
            assertThat(one.probability()).isEqualTo(expected.get(r * 3 + best));
            assertThat(one.probabilities().keySet()).containsExactly("cat", "dog", "eel");
        }
    }

    @Test
    @DisplayName("one row as values, as named values, and as a row of a batch give the same prediction")
    void rowForms() throws IOException {
        Predictor p = Predictor.load(saved);
        Prediction values = p.predict(1.5, -2.0, 7.25);
        assertThat(p.predict(Map.of("c", 7.25, "a", 1.5, "b", -2))).isEqualTo(values);
        assertThat(p.predict(new double[][] {{0, 0, 0}, {1.5, -2.0, 7.25}}).get(1)).isEqualTo(values);
        assertThat(p.predict(Tensor.of(DType.FLOAT64, Shape.of(1, 3), 1.5, -2.0, 7.25)).get(0)).isEqualTo(values);
    }

    @Test
    @DisplayName("a CSV's columns are read by name: in any order, others ignored; a missing one is refused naming it")
    void csv() throws IOException {
        Predictor p = Predictor.load(saved);
        Path csv = Files.writeString(dir.resolve("rows.csv"), "a,b,c,kind\n1.5,-2.0,7.25,dog\n0,0,0,\n");
        assertThat(p.predictCsv(csv)).containsExactly(p.predict(1.5, -2.0, 7.25), p.predict(0, 0, 0));
        Path reordered = Files.writeString(dir.resolve("reordered.csv"), "id,c,b,a,note\nr1,7.25,-2.0,1.5,words\n");
        assertThat(p.predictCsv(reordered)).containsExactly(p.predict(1.5, -2.0, 7.25));
        // Columns are checked before any cell is read: "x" holds words, and the error is about the columns.
        Path other = Files.writeString(dir.resolve("other.csv"), "a,b,x\n1,2,three\n");
        assertThatThrownBy(() -> p.predictCsv(other)).isInstanceOf(InvalidFileException.class)
                .hasMessageEndingWith("other.csv at line 1: no column 'c' ('x' is there: renamed?), which the model reads; it needs 'a', 'b', 'c'"
                        + " (in any order; other columns are ignored).");
        assertThatThrownBy(() -> p.predictCsv(dir.resolve("absent.csv"))).isInstanceOf(IOException.class)
                .hasMessageContaining("absent.csv");
    }

    @Test
    @DisplayName("a row of the wrong length, a missing or unknown name, or a value that is not a finite number is refused by row and feature")
    void badRows() throws IOException {
        Predictor p = Predictor.load(saved);
        assertThatThrownBy(() -> p.predict(1, 2)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Row 1 has 2 values; the model takes 3 features: ['a', 'b', 'c'].");
        assertThatThrownBy(() -> p.predict(new double[][] {{1, 2, 3}, {1, Double.NaN, 3}}))
                .hasMessage("Row 2, feature 2 ('b'): NaN is not a number the model can take; give a finite value.");
        assertThatThrownBy(() -> p.predict(Map.of("a", 1, "b", 2, "z", 3)))
                .hasMessage("Missing features [c]. Unknown features [z]. The model's features are [a, b, c].");
        assertThat(p.predict(new double[0][])).isEmpty();
        assertThatThrownBy(() -> p.predict(Tensor.zeros(DType.FLOAT32, Shape.of(2, 4))))
                .hasMessageContaining("rows of shape [2, 4] do not fit: the model takes [rows, 3]");
    }

    @Test
    @DisplayName("a value beyond the model's float32 is refused by row and feature, not predicted from infinity")
    void beyondFloat32() throws IOException {
        Predictor p = Predictor.load(saved);
        assertThatThrownBy(() -> p.predict(1, 1e300, 3)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Row 1, feature 2 ('b'): 1.0E300 is beyond the range of the model's float32 values; give a"
                        + " finite value within it.");
    }

    @Test
    @DisplayName("a regression's values are named by its target; a classifier's accessors say what to use instead")
    void regression() {
        Predictor p = Predictor.of(untrained(1, "identity", List.of(), "price"));
        Prediction one = p.predict(1, 2, 3);
        assertThat(p.isClassifier()).isFalse();
        assertThat(p.outputNames()).containsExactly("price");
        assertThat(one.values()).containsOnlyKeys("price").containsEntry("price", one.value());
        assertThatThrownBy(one::label).hasMessage("label() is a classifier's; this model is a regression: use value().");
        Prediction two = Predictor.of(untrained(2, "identity", List.of(), "")).predict(1, 2, 3);
        assertThat(two.values()).containsOnlyKeys("prediction_0", "prediction_1");
        assertThatThrownBy(two::value).hasMessage("This model predicts 2 values: use values(), by name [prediction_0,"
                + " prediction_1].");
    }

    @Test
    @DisplayName("one sigmoid output names both classes: the second's probability is the output, the first's its complement")
    void binary() {
        Model m = untrained(1, "sigmoid", List.of("no", "yes"), "y");
        double out = m.predict(Tensor.of(DType.FLOAT32, Shape.of(1, 3), 1, 2, 3)).get(0);
        Prediction one = Predictor.of(m).predict(1, 2, 3);
        assertThat(one.probabilities()).containsExactly(Map.entry("no", 1 - out), Map.entry("yes", out));
        assertThat(one.label()).isEqualTo(out >= 0.5 ? "yes" : "no");
    }

    @Test
    @DisplayName("one predictor shared by 8 threads gives every thread the bits of a single thread")
    void threads() throws Exception {
        Predictor p = Predictor.load(saved);
        Tensor x = TestModels.inputs(DType.FLOAT32, 300, 5);
        List<Prediction> alone = p.predict(x);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<List<Prediction>>> all = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                all.add(pool.submit(() -> {
                    List<Prediction> last = null;
                    for (int i = 0; i < 50; i++) {
                        last = p.predict(x);
                    }
                    return last;
                }));
            }
            for (Future<List<Prediction>> f : all) {
                assertThat(f.get()).isEqualTo(alone);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    @DisplayName("a model needing a plugin no jar provides, or written by a newer nnkit, fails with its own exception type")
    void refusedModels() throws IOException {
        Path json = saved.resolve(ModelFiles.DESCRIPTION);
        String text = Files.readString(json);
        Files.writeString(json, text.replace("\"relu\"", "\"swishy\""));
        assertThatThrownBy(() -> Predictor.load(saved)).isInstanceOfSatisfying(ModelNeedsPluginException.class, e -> {
            assertThat(e.kind()).isEqualTo(PluginKind.LAYER); // a stage no activation claims is looked for among layers
            assertThat(e.id()).isEqualTo("swishy");
        }).hasMessageContaining("The model needs this plugin");
        Files.writeString(json, text.replace("\"formatVersion\" : 2", "\"formatVersion\" : 7"));
        assertThatThrownBy(() -> Predictor.load(saved)).isInstanceOfSatisfying(NewerModelFormatException.class, e -> {
            assertThat(e.version()).isEqualTo(7);
            assertThat(e.newestReadable()).isEqualTo(ModelJson.FORMAT_VERSION);
        }).hasMessageContaining("Upgrade nnkit");
    }

    /** A 3-input model with {@code outputs} outputs and random weights, its outputs through {@code activation}. */
    private static Model untrained(int outputs, String activation, List<String> classes, String target) {
        var t = Trainers.create(new TrainingSpec(NetworkSpec.builder(3).dense(4).activation("tanh").dense(outputs).build(),
                PluginSpec.of("mse"), Reduction.MEAN, PluginSpec.of("sgd", "learningRate", 0.1), TrainingOptions.defaults()),
                TestModels.REGISTRY);
        return new Model(t.network(), PluginSpec.of("mse"), activation, TestModels.REGISTRY.activation(PluginSpec.of(activation)),
                Optional.empty(), new Model.Labels(List.of("a", "b", "c"), target, classes), Map.of());
    }
}
