package dev.nnkit.core.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnkit.api.layer.Layer;
import dev.nnkit.api.tensor.DType;
import dev.nnkit.api.tensor.Shape;
import dev.nnkit.api.tensor.Tensor;
import dev.nnkit.core.plugin.PluginRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.random.RandomGeneratorFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Tiny networks run feature-major (nn-core's tests have the Vector API) and give what their own
 * layers give row-major, stage by stage: the same bits for every stage output and every ∂L/∂a
 * (the products add the same terms in the same order), and parameter gradients within float32
 * summation's error bound (the batch is summed in another order). Stage outputs and gradients are
 * read through the network's accessors, which copy them out of the feature-major buffers.
 */
class FeatureMajorPassTest {
    private static final NetworkFactory FACTORY = new NetworkFactory(PluginRegistry.discover());

    static Network seed000() {
        return build(NetworkSpec.builder(2).dense(4).activation("sigmoid").dense(3).activation("sigmoid").dense(1)
                .activation("sigmoid").build());
    }

    static Network mixed() {
        return build(NetworkSpec.builder(3).denseNoBias(5).activation("relu").dense(4).activation("leaky-relu")
                .dense(2).activation("tanh").build());
    }

    @ParameterizedTest(name = "batch {0}")
    @ValueSource(ints = {16, 20, 32, 33, 64})
    void matchesTheRowMajorLayers(int rows) {
        for (Network net : List.of(seed000(), mixed())) {
            assertTrue(net.runsFeatureMajor(rows), "feature-major at " + rows + " rows");
            Tensor x = random(rows, net.inputSize(), rows);
            Tensor g = random(rows, net.outputSize(), rows + 1);
            net.forward(x);
            net.backward(g);
            checkAgainstRowMajor(net, x, g);
        }
    }

    @Test
    void otherNetworksAndSmallBatchesStayRowMajor() {
        assertFalse(seed000().runsFeatureMajor(15), "15 rows");
        assertTrue(seed000().runsFeatureMajor(16), "16 rows");
        assertFalse(build(NetworkSpec.builder(2).dense(4).activation("softmax").build()).runsFeatureMajor(32),
                "softmax is not element-wise");
        assertFalse(build(NetworkSpec.builder(2).dense(4).activation("sigmoid").dtype(DType.FLOAT64).build())
                .runsFeatureMajor(32), "float64");
        assertFalse(build(NetworkSpec.builder(2).dense(64).activation("sigmoid").dense(1).build()).runsFeatureMajor(32),
                "2·64·32 = 4,096 multiply-adds is above the tiny size");
    }

    private static void checkAgainstRowMajor(Network net, Tensor x, Tensor g) {
        List<Stage> stages = net.stages();
        int rows = x.shape().rows();
        List<Tensor> outputs = new ArrayList<>();
        Tensor in = x;
        for (int s = 0; s < stages.size(); s++) {
            Tensor out = Tensor.zeros(DType.FLOAT32, stages.get(s).layer().outputShape().withBatch(rows));
            stages.get(s).layer().forward(in, out, net.stageContext(s));
            assertBits("stage " + s + " output", out, net.stageOutput(s));
            outputs.add(out);
            in = out;
        }
        Tensor delta = g;
        for (int s = stages.size() - 1; s >= 0; s--) {
            Layer layer = stages.get(s).layer();
            Tensor input = s == 0 ? x : outputs.get(s - 1);
            for (var p : layer.parameters()) {
                checkGradient(net, s, p.name(), p.gradient().copy(), input, delta);
            }
            if (s > 0) {
                Tensor next = Tensor.zeros(DType.FLOAT32, input.shape());
                layer.inputGradient(input, outputs.get(s), delta, next, net.stageContext(s));
                assertBits("∂L/∂(output of stage " + (s - 1) + ")", next, net.stageOutputGradient(s - 1));
                delta = next;
            }
        }
    }

    /** A dense layer's dW = δᵀ·a or db = Σ δ, against the exact sum: within n·2⁻²⁴·Σ|terms|. */
    private static void checkGradient(Network net, int stage, String name, Tensor actual, Tensor a, Tensor delta) {
        int rows = a.shape().rows();
        int in = a.shape().cols();
        int out = delta.shape().cols();
        boolean weight = name.equals("weight");
        for (int o = 0; o < out; o++) {
            for (int k = 0; k < (weight ? in : 1); k++) {
                double exact = 0;
                double magnitude = 0;
                for (int i = 0; i < rows; i++) {
                    double term = delta.get(i * out + o) * (weight ? a.get(i * in + k) : 1);
                    exact += term;
                    magnitude += Math.abs(term);
                }
                assertEquals(exact, actual.get(weight ? o * in + k : o), rows * 0x1p-24 * magnitude,
                        "stage " + stage + " " + name + "[" + o + "][" + k + "]");
            }
        }
    }

    private static void assertBits(String what, Tensor expected, Tensor actual) {
        assertEquals(expected.shape(), actual.shape(), what);
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(Double.doubleToRawLongBits(expected.get(i)), Double.doubleToRawLongBits(actual.get(i)),
                    what + "[" + i + "]: " + expected.get(i) + " vs " + actual.get(i));
        }
    }

    private static Network build(NetworkSpec spec) {
        return FACTORY.build(spec, RandomGeneratorFactory.of("L64X128MixRandom").create(7));
    }

    private static Tensor random(int rows, int cols, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        Tensor t = Tensor.zeros(DType.FLOAT32, Shape.of(rows, cols));
        for (int i = 0; i < t.size(); i++) {
            t.set(i, random.nextDouble() * 4 - 2);
        }
        return t;
    }
}
