package dev.nnkit.onnx;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nnkit.api.tensor.DType;
import dev.nnkit.api.tensor.Shape;
import dev.nnkit.api.tensor.Tensor;
import dev.nnkit.core.network.Network;
import dev.nnkit.core.network.NetworkSpec;
import dev.nnkit.core.plugin.PluginSpec;
import dev.nnkit.core.train.Metrics;
import dev.nnkit.io.data.MinMaxScaler;
import dev.nnkit.io.data.PixelScale;
import dev.nnkit.io.data.Standardizer;
import dev.nnkit.io.model.Model;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every exported graph run by ONNX Runtime gives nnkit's predictions: within 1e-5 in float32 and
 * 1e-12 in float64 (relative to values above 1).
 */
class RuntimeAgreementTest {
    private static final OnnxExporter EXPORTER = OnnxExporter.discover(Models.REGISTRY);

    static Stream<Arguments> activations() {
        List<PluginSpec> specs = List.of(PluginSpec.of("identity"), PluginSpec.of("sigmoid"), PluginSpec.of("tanh"),
                PluginSpec.of("relu"), PluginSpec.of("leaky-relu"), PluginSpec.of("leaky-relu", "negativeSlope", 0.3),
                PluginSpec.of("softmax"), PluginSpec.of("gelu"), PluginSpec.of("gelu", "approximate", "tanh"),
                PluginSpec.of("silu"), PluginSpec.of("elu"), PluginSpec.of("elu", "alpha", 0.7), PluginSpec.of("selu"),
                PluginSpec.of("softplus"), PluginSpec.of("softplus", "beta", 2.0, "threshold", 3.0));
        return Stream.of(DType.values()).flatMap(d -> specs.stream().map(s -> Arguments.of(d, s)));
    }

    @ParameterizedTest(name = "{1} in {0}")
    @MethodSource("activations")
    void everyBuiltInActivationAsAStage(DType dtype, PluginSpec activation) throws Exception {
        Network n = Models.network(NetworkSpec.builder(4).dense(16).stage(activation).dense(3).dtype(dtype).build(), 7);
        Model m = Models.model(n, "identity", List.of(), Optional.empty());
        // ONNX Runtime's CPU provider has no float64 Erf: the exact GELU's float64 model runs exported as float32
        boolean noFloat64Kernel = activation.type().equals("gelu") && !"tanh".equals(activation.params().get("approximate"));
        assertAgrees(m, Models.inputs(dtype, Shape.of(64, 4), 3, 4), noFloat64Kernel ? DType.FLOAT32 : dtype);
    }

    /**
     * ONNX Runtime's CPU provider has no float64 {@code Conv}: a float64 CNN is exported computing
     * in float32, and then agrees with nnkit's float64 predictions to float32's precision.
     */
    @ParameterizedTest
    @EnumSource(DType.class)
    void aConvolutionalNetworkWithEveryImageLayer(DType dtype) throws Exception {
        NetworkSpec spec = NetworkSpec.builder(Shape.of(2, 11, 10)).dtype(dtype)
                .stage(PluginSpec.of("conv2d", "filters", 4, "kernel", List.of(3), "padding", "same"))
                .stage(PluginSpec.of("batch-norm"))
                .stage(PluginSpec.of("relu"))
                .stage(PluginSpec.of("max-pool2d", "kernel", List.of(2), "padding", List.of(1)))
                .stage(PluginSpec.of("conv2d", "filters", 6, "kernel", List.of(2, 3), "stride", List.of(1, 2), "dilation",
                        List.of(2, 1), "groups", 2, "padding", List.of(1, 0)))
                .stage(PluginSpec.of("avg-pool2d", "kernel", List.of(2), "stride", List.of(1), "padding", List.of(1),
                        "countIncludePad", false))
                .stage(PluginSpec.of("avg-pool2d", "kernel", List.of(3), "padding", List.of(1)))
                .stage(PluginSpec.of("dropout", "p", 0.5))
                .stage(PluginSpec.of("conv2d", "filters", 3, "kernel", List.of(1), "bias", false))
                .stage(PluginSpec.of("dense", "units", 8)) // straight after image stages: flatten + linear
                .stage(PluginSpec.of("batch-norm", "affine", false))
                .stage(PluginSpec.of("tanh"))
                .stage(PluginSpec.of("dense", "units", 4, "bias", false))
                .build();
        Model m = Models.model(Models.network(spec, 11), "softmax", List.of("a", "b", "c", "d"), Optional.empty());
        assertAgrees(m, Models.inputs(dtype, Shape.of(16, 2, 11, 10), 5, 2), DType.FLOAT32);

        NetworkSpec global = NetworkSpec.builder(Shape.of(3, 6, 6)).dtype(dtype)
                .stage(PluginSpec.of("conv2d", "filters", 5, "kernel", List.of(3)))
                .stage(PluginSpec.of("global-avg-pool2d"))
                .stage(PluginSpec.of("flatten"))
                .stage(PluginSpec.of("softmax"))
                .dense(3).build();
        Model g = Models.model(Models.network(global, 12), "softmax", List.of("x", "y", "z"), Optional.empty());
        assertAgrees(g, Models.inputs(dtype, Shape.of(9, 3, 6, 6), 6, 3), DType.FLOAT32);
    }

    /** "same" padding with an even kernel and dilation pads unevenly: the extra pixel bottom and right, as PyTorch. */
    @ParameterizedTest
    @EnumSource(DType.class)
    void samePaddingWithEvenKernelsAndDilation(DType dtype) throws Exception {
        NetworkSpec spec = NetworkSpec.builder(Shape.of(2, 7, 9)).dtype(dtype)
                .stage(PluginSpec.of("conv2d", "filters", 3, "kernel", List.of(2, 4), "dilation", List.of(1, 2),
                        "padding", "same"))
                .stage(PluginSpec.of("max-pool2d", "kernel", List.of(3, 2), "stride", List.of(2, 1)))
                .stage(PluginSpec.of("flatten")).dense(2).build();
        Model m = Models.model(Models.network(spec, 21), "identity", List.of(), Optional.empty());
        assertAgrees(m, Models.inputs(dtype, Shape.of(5, 2, 7, 9), 8, 2), DType.FLOAT32);
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void aBinaryClassifierOnStandardizedInputsGivesNnPredictsTwoColumnsAndItsLabels(DType dtype) throws Exception {
        Tensor raw = Models.inputs(dtype, Shape.of(200, 3), 9, 1);
        for (int i = 0; i < raw.size(); i++) { // features of other scales and offsets, as real columns have
            raw.set(i, raw.get(i) * (i % 3 == 0 ? 1000 : 0.01) + (i % 3) * 50);
        }
        Network n = Models.network(NetworkSpec.builder(3).dense(5).activation("relu").dense(1).dtype(dtype).build(), 3);
        Model m = Models.model(n, "sigmoid", List.of("no", "yes"), Optional.of(Standardizer.fit(raw)));
        Ort.Run run = assertAgrees(m, raw);
        assertThat(run.values()).hasSize(400);
        assertThat(run.metadata()).containsEntry("classes", "[\"no\",\"yes\"]").containsEntry("dtype", dtype.id());
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void aRegressionOnStandardizedTargetsIsInTheTargetsUnits(DType dtype) throws Exception {
        Tensor raw = Models.inputs(dtype, Shape.of(50, 3), 4, 20);
        Network n = Models.network(NetworkSpec.builder(3).dense(6).activation("tanh").dense(2).dtype(dtype).build(), 4);
        Model m = new Model(n, PluginSpec.of("mse"), "identity", Models.REGISTRY.activation(PluginSpec.of("identity")),
                Optional.of(MinMaxScaler.fit(raw)), new Model.Labels(List.of("a", "b", "c"), "y", List.of()), Map.of(),
                Optional.empty(), Optional.of(new Standardizer(List.of(150.0, -3.0), List.of(70.0, 0.25))), Optional.empty());
        Ort.Run run = assertAgrees(m, raw);
        assertThat(run.metadata()).containsEntry("features", "[\"a\",\"b\",\"c\"]").containsEntry("target", "y");
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void imagesTrainedFromIdxTakeRawPixels(DType dtype) throws Exception {
        Network n = Models.network(NetworkSpec.builder(Shape.of(1, 5, 5)).dtype(dtype)
                .stage(PluginSpec.of("conv2d", "filters", 2, "kernel", List.of(3))).activation("relu").dense(3).build(), 8);
        Model m = new Model(n, PluginSpec.of("mse"), "softmax", Models.REGISTRY.activation(PluginSpec.of("softmax")),
                Optional.empty(), new Model.Labels(List.of(), "", List.of("t", "u", "v")), Map.of(),
                Optional.of(PixelScale.UBYTE));
        Tensor pixels = Models.inputs(dtype, Shape.of(6, 1, 5, 5), 2, 1);
        for (int i = 0; i < pixels.size(); i++) {
            pixels.set(i, Math.floor((pixels.get(i) + 1) * 127.9));
        }
        Tensor divided = pixels.copy();
        PixelScale.UBYTE.apply(divided, List.of(), java.nio.file.Path.of("test"));
        Ort.Run run = Ort.run(EXPORTER.toBytes(m, DType.FLOAT32), converted(pixels, DType.FLOAT32));
        assertClose(run.values(), m.predict(divided), DType.FLOAT32);
    }

    static Ort.Run assertAgrees(Model m, Tensor raw) throws Exception {
        return assertAgrees(m, raw, m.network().dtype());
    }

    /**
     * ONNX Runtime's predictions for {@code raw}, from the model exported to compute in
     * {@code exportAs}, equal nnkit's to that dtype's precision, and so do its labels.
     */
    static Ort.Run assertAgrees(Model m, Tensor raw, DType exportAs) throws Exception {
        Ort.Run run = Ort.run(EXPORTER.toBytes(m, exportAs), converted(raw, exportAs));
        Tensor expected = m.predict(raw);
        int rows = raw.shape().dim(0);
        int k = expected.size() / rows;
        if (m.labels().classes().isEmpty()) {
            assertClose(run.values(), expected, exportAs);
            return run;
        }
        Tensor probabilities = expected;
        if (k == 1) { // nn predict --probabilities prints 1 − p and p
            probabilities = Tensor.zeros(raw.dtype(), Shape.of(rows, 2));
            for (int r = 0; r < rows; r++) {
                probabilities.set(2 * r, 1 - expected.get(r));
                probabilities.set(2 * r + 1, expected.get(r));
            }
        }
        assertClose(run.values(), probabilities, exportAs);
        for (int r = 0; r < rows; r++) {
            assertThat(run.labels()[r]).as("label of row %d", r).isEqualTo(Metrics.predictedClass(expected, r, k));
        }
        return run;
    }

    static Tensor converted(Tensor x, DType dtype) {
        Tensor t = Tensor.zeros(dtype, x.shape());
        for (int i = 0; i < x.size(); i++) {
            t.set(i, x.get(i));
        }
        return t;
    }

    static void assertClose(double[] actual, Tensor expected, DType dtype) {
        double tolerance = dtype == DType.FLOAT32 ? 1e-5 : 1e-12;
        assertThat(actual).hasSize(expected.size());
        double worst = 0;
        for (int i = 0; i < actual.length; i++) {
            double e = expected.get(i);
            worst = Math.max(worst, Math.abs(actual[i] - e) / Math.max(1, Math.abs(e)));
        }
        assertThat(worst).as("largest difference from nnkit's predictions").isLessThanOrEqualTo(tolerance);
        assertThat(expected.get(0)).as("a prediction that is not trivially 0").isNotZero();
    }
}
