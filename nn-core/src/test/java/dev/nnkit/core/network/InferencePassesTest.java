package dev.nnkit.core.network;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nnkit.api.tensor.DType;
import dev.nnkit.api.tensor.Shape;
import dev.nnkit.api.tensor.Tensor;
import dev.nnkit.core.kernel.Parallel;
import dev.nnkit.core.plugin.PluginRegistry;
import dev.nnkit.core.plugin.PluginSpec;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Large predictions run in passes of bounded memory, and give what one pass over every row gives. */
@DisplayName("Inference in passes")
class InferencePassesTest {
    private static final PluginRegistry REGISTRY = PluginRegistry.discover();

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = DType.class)
    @DisplayName("rows predicted in three passes equal the same rows run through the network at once, bit for bit")
    void passesEqualOneRun(DType dtype) {
        Network net = new NetworkFactory(REGISTRY).build(NetworkSpec.builder(Shape.of(1, 28, 28)).stage(
                PluginSpec.of("flatten")).dense(256).activation("relu").dense(10).dtype(dtype)
                .build(), new SplittableRandom(5));
        int n = 2 * net.inferenceRows() + 500; // three passes
        Tensor x = Tensor.zeros(dtype, Shape.of(n, 1, 28, 28));
        SplittableRandom r = new SplittableRandom(9);
        for (int i = 0; i < x.size(); i++) {
            x.set(i, r.nextDouble(-1, 1));
        }
        double[] inPasses = net.infer(x).toDoubleArray();
        double[] atOnce = net.forward(x).toDoubleArray(); // dense and relu act alike in both modes
        assertThat(inPasses).hasSize(n * 10).containsExactly(atOnce);
    }

    @Test
    @DisplayName("a very wide layer predicts a few rows at a time: every stage's output of a pass stays within 8 MB")
    void wideLayersTakeFewRows() {
        Network net = new NetworkFactory(REGISTRY).build(NetworkSpec.builder(4).dense(1_000_000).activation("tanh")
                .dense(3).build(), new SplittableRandom(1));
        assertThat(net.inferenceRows()).isEqualTo((int) (Network.INFERENCE_BYTES / ((4 + 2_000_000 + 3) * 4L)));
        Tensor x = Tensor.zeros(DType.FLOAT32, Shape.of(50, 4));
        assertThat(net.infer(x).shape()).isEqualTo(Shape.of(50, 3));
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = DType.class)
    @DisplayName("a CNN's passes, run side by side on 1 to 4 threads, give the bits of one forward pass over every image")
    void passesOnThreadsEqualOneRun(DType dtype) {
        Network net = new NetworkFactory(REGISTRY).build(NetworkSpec.builder(Shape.of(1, 28, 28))
                .stage(PluginSpec.of("conv2d", "filters", 8, "kernel", 3, "padding", 1)).activation("relu")
                .stage(PluginSpec.of("max-pool2d", "kernel", 2)).stage(PluginSpec.of("flatten")).dense(10).dtype(dtype)
                .build(), new SplittableRandom(5));
        int n = 3 * net.inferenceRows() + 7; // four passes of unequal rows
        Tensor x = Tensor.zeros(dtype, Shape.of(n, 1, 28, 28));
        SplittableRandom r = new SplittableRandom(9);
        for (int i = 0; i < x.size(); i++) {
            x.set(i, r.nextDouble(-1, 1));
        }
        double[] atOnce = net.forward(x).toDoubleArray(); // no stage acts differently in inference
        for (int parts = 1; parts <= 4; parts++) {
            double[][] inPasses = new double[1][];
            Parallel.runWithParts(parts, () -> inPasses[0] = net.infer(x).toDoubleArray());
            assertThat(inPasses[0]).as("%d threads", parts).hasSize(n * 10).containsExactly(atOnce);
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = DType.class)
    @DisplayName("the output of a batch's first rows, predicted in place, equals the output of a copy of those rows")
    void firstRowsEqualACopyOfThem(DType dtype) {
        Network net = new NetworkFactory(REGISTRY).build(NetworkSpec.builder(20).dense(64).activation("relu").dense(3)
                .dtype(dtype).build(), new SplittableRandom(5));
        int n = 3 * net.inferenceRows();
        Tensor x = Tensor.zeros(dtype, Shape.of(n, 20));
        SplittableRandom r = new SplittableRandom(9);
        for (int i = 0; i < x.size(); i++) {
            x.set(i, r.nextDouble(-1, 1));
        }
        for (int rows : new int[] {1, 7, net.inferenceRows(), 2 * net.inferenceRows() + 1, n}) {
            Tensor head = Tensor.zeros(dtype, Shape.of(rows, 20));
            for (int i = 0; i < head.size(); i++) {
                head.set(i, x.get(i));
            }
            assertThat(net.infer(x, rows).toDoubleArray()).as("%d rows", rows).containsExactly(
                    net.infer(head).toDoubleArray());
        }
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> net.infer(x, n + 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(n + 1 + " rows of a batch of " + n);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> net.infer(x, 0))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
