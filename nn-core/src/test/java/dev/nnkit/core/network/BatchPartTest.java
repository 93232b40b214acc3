package dev.nnkit.core.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nnkit.api.layer.Mode;
import dev.nnkit.api.tensor.DType;
import dev.nnkit.api.tensor.Shape;
import dev.nnkit.api.tensor.Tensor;
import dev.nnkit.core.plugin.PluginRegistry;
import dev.nnkit.core.plugin.PluginSpec;
import dev.nnkit.core.random.RandomPlan;
import dev.nnkit.core.random.RandomStreams;
import dev.nnkit.core.random.RowDraws;
import java.util.SplittableRandom;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * A batch split over machines (nn-spark's synchronous training) trains as the whole batch does:
 * each row of a part draws the dropout mask it draws in the whole batch, and the driver's streams
 * advance as a local pass's do.
 */
@DisplayName("Training passes over parts of a batch")
class BatchPartTest {
    private static final int ROWS = 7;
    private static final int IN = 5;
    private static final BatchPart.Sums NO_SUMS = sums -> {
        throw new AssertionError("no layer here sums over the batch");
    };

    private static Network network() {
        NetworkSpec spec = NetworkSpec.builder(IN).dtype(DType.FLOAT64).dense(40).activation("tanh")
                .stage(PluginSpec.of("dropout", "p", 0.5)).dense(3).build();
        return new NetworkFactory(PluginRegistry.discover()).build(spec, new RandomPlan(11, spec.stages().size()));
    }

    private static Tensor batch() {
        SplittableRandom r = new SplittableRandom(5);
        double[] x = new double[ROWS * IN];
        for (int i = 0; i < x.length; i++) {
            x[i] = r.nextDouble(-1, 1);
        }
        return Tensor.of(DType.FLOAT64, Shape.of(ROWS, IN), x);
    }

    @Test
    @DisplayName("each part's rows come out as in the whole batch's pass, masks included, and the streams agree")
    void partsEqualTheWhole() {
        Network local = network();
        Tensor x = batch();
        local.forward(x); // a first pass, so the keys compared below are not the first ones drawn
        double[] whole = local.forward(x).toDoubleArray();
        double[] mask = local.stageContext(2).scratch("mask", Shape.of(ROWS, 40)).toDoubleArray();

        Network split = network();
        split.drawPassKeys();
        long[] keys = split.drawPassKeys();
        int[][] parts = {{1, 4, 6}, {0, 2, 3, 5}};
        for (int[] places : parts) {
            double[] rows = new double[places.length * IN];
            for (int r = 0; r < places.length; r++) {
                System.arraycopy(x.toDoubleArray(), places[r] * IN, rows, r * IN, IN);
            }
            Tensor part = Tensor.of(DType.FLOAT64, Shape.of(places.length, IN), rows);
            double[] out = split.forward(part, new BatchPart(places, keys, ROWS, NO_SUMS)).toDoubleArray();
            double[] partMask = split.stageContext(2).scratch("mask", Shape.of(places.length, 40)).toDoubleArray();
            for (int r = 0; r < places.length; r++) {
                for (int j = 0; j < 3; j++) {
                    assertThat(out[r * 3 + j]).isEqualTo(whole[places[r] * 3 + j]);
                }
                for (int j = 0; j < 40; j++) {
                    assertThat(partMask[r * 40 + j]).isEqualTo(mask[places[r] * 40 + j]);
                }
            }
        }
        for (int i = 0; i < 4; i++) {
            assertThat(split.stageRandom(i).saveState()).isEqualTo(local.stageRandom(i).saveState());
        }
        // The masks drop about half (not nothing, not everything), and each pass draws anew.
        long dropped = java.util.Arrays.stream(mask).filter(m -> m == 0).count();
        assertThat(dropped).isBetween(100L, 180L);
        local.forward(x);
        assertThat(local.stageContext(2).scratch("mask", Shape.of(ROWS, 40)).toDoubleArray()).isNotEqualTo(mask);
    }

    @Test
    @DisplayName("a part that does not fit the input or the network is refused")
    void misfitRefused() {
        Network net = network();
        long[] keys = net.drawPassKeys();
        assertThatThrownBy(() -> net.forward(batch(), new BatchPart(new int[3], keys, ROWS, NO_SUMS)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("places 3 rows of 7")
                .hasMessageContaining("the input has 7 rows");
        assertThatThrownBy(() -> net.forward(batch(), new BatchPart(new int[ROWS], new long[2], ROWS, NO_SUMS)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("keys 2 stages");
    }

    @Test
    @DisplayName("random() in a part pass and any draw in inference are refused, naming the stage")
    void sequentialDrawsRefused() {
        StageContext training = new StageContext(Mode.TRAINING, new RandomStreams(1).next(), DType.FLOAT32,
                "Stage 3 ('noise')", 2);
        training.beginPass(42, null);
        training.random().nextLong(); // a whole batch may draw in sequence
        training.beginPass(42, new BatchPart(new int[] {3, 4}, new long[4], 6, NO_SUMS));
        assertThat(training.uniform(0, 9)).isEqualTo(RowDraws.uniform(42, 3, 9));
        assertThatThrownBy(training::random).isInstanceOf(SplitBatchException.class)
                .hasMessageContaining("Stage 3 ('noise')").hasMessageContaining("context.uniform(row, index)");
        StageContext inference = new StageContext(Mode.INFERENCE, null, DType.FLOAT32, "Stage 1 ('dropout')", 2);
        assertThatThrownBy(() -> inference.uniform(0, 0)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("inference mode");
    }

    @Test
    @DisplayName("row-addressed draws are uniform and independent between neighbouring rows and values")
    void rowDrawsAreUniform() {
        int rows = 1000;
        int perRow = 1000;
        int bins = 16;
        long[] counts = new long[bins];
        double sum = 0;
        double neighbours = 0; // Σ (u − ½)(u' − ½) over the next row's value at the same index
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < perRow; j++) {
                double u = RowDraws.uniform(99, r, j);
                assertThat(u).isGreaterThanOrEqualTo(0).isLessThan(1);
                counts[(int) (u * bins)]++;
                sum += u;
                neighbours += (u - 0.5) * (RowDraws.uniform(99, r + 1, j) - 0.5);
            }
        }
        double n = (double) rows * perRow;
        double chiSquare = 0;
        for (long c : counts) {
            chiSquare += (c - n / bins) * (c - n / bins) / (n / bins);
        }
        // 15 degrees of freedom: P(χ² > 44.3) = 1e-4. The mean's standard error is √(1/12/n) ≈ 2.9e-4,
        // the neighbours' correlation's 1/√n = 1e-3: both held to 5 of them.
        assertThat(chiSquare).isLessThan(44.3);
        assertThat(Math.abs(sum / n - 0.5)).isLessThan(5 * Math.sqrt(1 / 12.0 / n));
        assertThat(Math.abs(neighbours / n * 12)).isLessThan(5 / Math.sqrt(n));
        // The same address gives the same draw; another key, row or index another one.
        assertThat(RowDraws.uniform(99, 3, 4)).isEqualTo(RowDraws.uniform(99, 3, 4))
                .isNotEqualTo(RowDraws.uniform(98, 3, 4)).isNotEqualTo(RowDraws.uniform(99, 4, 4))
                .isNotEqualTo(RowDraws.uniform(99, 3, 5));
    }
}
