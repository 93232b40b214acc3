package dev.nnkit.core.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.nnkit.api.tensor.DType;
import dev.nnkit.api.tensor.Shape;
import dev.nnkit.api.tensor.Tensor;
import dev.nnkit.core.kernel.Parallel;
import dev.nnkit.core.network.NamedBuffer;
import dev.nnkit.core.network.NamedParameter;
import dev.nnkit.core.network.Network;
import dev.nnkit.core.network.NetworkFactory;
import dev.nnkit.core.network.NetworkSpec;
import dev.nnkit.core.plugin.PluginRegistry;
import dev.nnkit.core.plugin.PluginSpec;
import dev.nnkit.core.random.RandomPlan;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.DisplayName;

/**
 * The image layers split their loops by plane across the kernel threads; a CNN's training passes
 * (outputs, every gradient, the running statistics) give the same bits at 1, 2, 3 or 4 parts, what
 * makes training on one core and on two give identical bytes.
 */
@DisplayName("Image layers do not depend on how the work is split")
class ImageLayersSplitTest {

    @ParameterizedTest(name = "{0}")
    @EnumSource(DType.class)
    @DisplayName("forward, backward and buffers are bit-identical at 1 to 4 parts")
    void sameBitsAtEverySplit(DType dtype) {
        List<double[]> reference = null;
        for (int parts = 1; parts <= 4; parts++) {
            List<double[]> results = new ArrayList<>();
            Parallel.runWithParts(parts, () -> results.addAll(twoSteps(dtype)));
            if (reference != null) {
                for (int i = 0; i < reference.size(); i++) {
                    assertArrayEquals(reference.get(i), results.get(i), "result " + i + " at " + parts + " parts vs 1");
                }
            }
            reference = results;
        }
    }

    /** Two training passes of a CNN with every image layer, then one inference pass: all it computed. */
    private static List<double[]> twoSteps(DType dtype) {
        NetworkSpec spec = NetworkSpec.builder(Shape.of(3, 12, 12)).dtype(dtype)
                .stage(PluginSpec.of("conv2d", "filters", 8, "kernel", 3, "padding", 1))
                .stage(PluginSpec.of("batch-norm")).activation("relu")
                .stage(PluginSpec.of("max-pool2d", "kernel", 2))
                .stage(PluginSpec.of("conv2d", "filters", 6, "kernel", 3, "stride", 2, "groups", 2, "padding", "valid"))
                .stage(PluginSpec.of("max-pool2d", "kernel", 2, "stride", 1, "padding", 1))
                .stage(PluginSpec.of("avg-pool2d", "kernel", 2))
                .stage(PluginSpec.of("dropout", "p", 0.2)).stage(PluginSpec.of("flatten")).dense(4).build();
        Network net = new NetworkFactory(PluginRegistry.discover()).build(spec, new RandomPlan(3, spec.stages().size()));
        List<double[]> out = new ArrayList<>();
        SplittableRandom r = new SplittableRandom(9);
        for (int step = 0; step < 2; step++) {
            Tensor x = Tensor.zeros(dtype, Shape.of(10, 3, 12, 12));
            for (int i = 0; i < x.size(); i++) {
                x.set(i, r.nextDouble(-1, 1));
            }
            Tensor y = net.forward(x);
            out.add(y.toDoubleArray());
            Tensor g = Tensor.zeros(dtype, y.shape());
            for (int i = 0; i < g.size(); i++) {
                g.set(i, r.nextDouble(-1, 1));
            }
            net.backward(g);
            for (int s = 0; s < spec.stages().size() - 1; s++) {
                out.add(net.stageOutputGradient(s).toDoubleArray());
            }
            for (NamedParameter p : net.parameters()) {
                out.add(p.parameter().gradient().toDoubleArray());
            }
        }
        for (NamedBuffer b : net.buffers()) {
            out.add(b.buffer().value().toDoubleArray());
        }
        Tensor x = Tensor.zeros(dtype, Shape.of(5, 3, 12, 12));
        for (int i = 0; i < x.size(); i++) {
            x.set(i, r.nextDouble(-1, 1));
        }
        out.add(net.infer(x).toDoubleArray());
        return out;
    }
}
