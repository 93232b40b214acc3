package dev.nnkit.core.network;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nnkit.api.tensor.DType;
import dev.nnkit.api.tensor.Shape;
import dev.nnkit.api.tensor.Tensor;
import dev.nnkit.core.plugin.PluginRegistry;
import dev.nnkit.core.plugin.PluginSpec;
import dev.nnkit.core.random.RandomPlan;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Batch norm over a batch split in parts, in rounds as nn-spark runs them ({@link KnownSums}): each
 * part's pass stops at the first whole-batch sum not yet known, the parts' contributions are added
 * and the passes run again. The parts' outputs, summed parameter gradients and running statistics
 * equal the whole batch's pass (to rounding: the parts' sums are added in another order).
 */
@DisplayName("Batch norm over a split batch")
class SplitBatchNormTest {
    private static final int ROWS = 9;
    private static final Shape INPUT = Shape.of(2, 5, 5);
    private static final int[][] PARTS = {{0, 3, 4, 8}, {1, 2, 5, 6, 7}};

    private static Network network(DType dtype) {
        NetworkSpec spec = NetworkSpec.builder(INPUT).dtype(dtype)
                .stage(PluginSpec.of("conv2d", "filters", 3, "kernel", 3, "padding", 1))
                .stage(PluginSpec.of("batch-norm")).activation("relu").stage(PluginSpec.of("flatten"))
                .dense(6).stage(PluginSpec.of("batch-norm", "affine", false)).stage(PluginSpec.of("dropout", "p", 0.3))
                .activation("tanh").dense(3).build();
        return new NetworkFactory(PluginRegistry.discover()).build(spec, new RandomPlan(4, spec.stages().size()));
    }

    private static double[] random(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = r.nextDouble(-2, 2) + 0.5;
        }
        return v;
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(DType.class)
    @DisplayName("outputs, summed gradients and running statistics equal the whole batch's")
    void partsEqualTheWhole(DType dtype) {
        double tolerance = dtype == DType.FLOAT64 ? 1e-12 : 2e-5;
        double[] x = random(ROWS * INPUT.size(), 1);
        double[] r = random(ROWS * 3, 2); // ∂L/∂output of the objective Σ output ⊙ r

        Network whole = network(dtype);
        double[] out = whole.forward(Tensor.of(dtype, INPUT.withBatch(ROWS), x)).toDoubleArray();
        whole.stageOutputGradient(whole.stages().size() - 1).copyFrom(Tensor.of(dtype, Shape.of(ROWS, 3), r));
        whole.backward(whole.stageOutputGradient(whole.stages().size() - 1));

        Network driver = network(dtype);
        long[] keys = driver.drawPassKeys();
        List<Network> workers = List.of(network(dtype), network(dtype));
        List<double[]> known = new ArrayList<>();
        int rounds = 0;
        double[][] partOut = new double[PARTS.length][];
        while (true) {
            rounds++;
            double[] pending = null;
            for (int p = 0; p < PARTS.length; p++) {
                Network w = workers.get(p);
                copyState(driver, w); // every round starts from the driver's weights and buffers
                try {
                    partOut[p] = pass(w, dtype, PARTS[p], x, r, new BatchPart(PARTS[p], keys, ROWS, new KnownSums(known)));
                } catch (KnownSums.Needed needed) {
                    double[] c = needed.contribution();
                    pending = pending == null ? c : add(pending, c);
                }
            }
            if (pending == null) {
                break;
            }
            known.add(pending);
        }
        // Two batch norms (3 channels, then 6 features): Σx and Σ(x − μ)² each forward, Σδ and Σδ·x̂
        // each backward, then the pass that completes.
        assertThat(rounds).isEqualTo(7);
        assertThat(known).extracting(k -> k.length).containsExactly(3, 3, 6, 6, 12, 6);

        double worst = 0;
        for (int p = 0; p < PARTS.length; p++) {
            for (int i = 0; i < PARTS[p].length; i++) {
                for (int j = 0; j < 3; j++) {
                    worst = Math.max(worst, Math.abs(partOut[p][i * 3 + j] - out[PARTS[p][i] * 3 + j]));
                }
            }
        }
        assertThat(worst).as("outputs").isLessThanOrEqualTo(tolerance);
        // Relative to the largest gradient: the conv's bias, before a batch norm, has a gradient of 0
        // up to rounding, which no relative measure of its own can hold.
        double scale = 0;
        for (NamedParameter p : whole.parameters()) {
            for (int i = 0; i < p.parameter().gradient().size(); i++) {
                scale = Math.max(scale, Math.abs(p.parameter().gradient().get(i)));
            }
        }
        for (int k = 0; k < whole.parameters().size(); k++) {
            Tensor expected = whole.parameters().get(k).parameter().gradient();
            double diff = 0;
            for (int i = 0; i < expected.size(); i++) {
                double sum = 0;
                for (Network w : workers) {
                    sum += w.parameters().get(k).parameter().gradient().get(i);
                }
                diff = Math.max(diff, Math.abs(sum - expected.get(i)));
            }
            assertThat(diff / scale).as("gradient of %s", whole.parameters().get(k).name()).isLessThanOrEqualTo(tolerance);
        }
        assertThat(scale).isGreaterThan(0.1);
        for (int k = 0; k < whole.buffers().size(); k++) {
            Tensor expected = whole.buffers().get(k).buffer().value();
            for (Network w : workers) {
                Tensor actual = w.buffers().get(k).buffer().value();
                for (int i = 0; i < expected.size(); i++) {
                    assertThat(actual.get(i)).as("%s[%d]", whole.buffers().get(k).name(), i)
                            .isCloseTo(expected.get(i), org.assertj.core.data.Offset.offset(tolerance * Math.max(1, Math.abs(expected.get(i)))));
                }
            }
            // Every part computes them from the same whole-batch sums: the same bits.
            assertThat(workers.get(0).buffers().get(k).buffer().value().toDoubleArray())
                    .isEqualTo(workers.get(1).buffers().get(k).buffer().value().toDoubleArray());
        }
    }

    /** A training pass and backward over the rows {@code places} of the batch; the part's output. */
    private static double[] pass(Network w, DType dtype, int[] places, double[] x, double[] r, BatchPart part) {
        double[] xs = new double[places.length * INPUT.size()];
        double[] rs = new double[places.length * 3];
        for (int i = 0; i < places.length; i++) {
            System.arraycopy(x, places[i] * INPUT.size(), xs, i * INPUT.size(), INPUT.size());
            System.arraycopy(r, places[i] * 3, rs, i * 3, 3);
        }
        double[] out = w.forward(Tensor.of(dtype, INPUT.withBatch(places.length), xs), part).toDoubleArray();
        Tensor g = w.stageOutputGradient(w.stages().size() - 1);
        g.copyFrom(Tensor.of(dtype, Shape.of(places.length, 3), rs));
        w.backward(g);
        return out;
    }

    private static void copyState(Network from, Network to) {
        for (int k = 0; k < from.parameters().size(); k++) {
            to.parameters().get(k).parameter().value().copyFrom(from.parameters().get(k).parameter().value());
        }
        for (int k = 0; k < from.buffers().size(); k++) {
            to.buffers().get(k).buffer().value().copyFrom(from.buffers().get(k).buffer().value());
        }
    }

    private static double[] add(double[] a, double[] b) {
        double[] s = a.clone();
        for (int i = 0; i < s.length; i++) {
            s[i] += b[i];
        }
        return s;
    }
}
