package dev.nnkit.tck;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nnkit.api.layer.Mode;
import dev.nnkit.api.layer.PassContext;
import dev.nnkit.api.tensor.DType;
import dev.nnkit.api.tensor.Shape;
import dev.nnkit.api.tensor.Tensor;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * The engine's side of a {@link PassContext}, as the contracts need it: scratch kept by name, and
 * a random stream that {@link #replay()} puts back at its seed, so a layer that draws draws the
 * same numbers in every forward pass of a gradient check, and row-addressed draws that are a pure
 * function of the seed, row and index.
 */
final class ContractPassContext implements PassContext {
    private final Mode mode;
    private final DType dtype;
    private final long seed;
    /** The batch's rows; -1 when the implementor's own test did not say. */
    private final int rows;
    private SplittableRandom random;
    private final Map<String, Tensor> scratch = new HashMap<>();
    private final Map<String, int[]> ints = new HashMap<>();
    /** For a part of a split batch: each row's place in the whole batch, and the whole-batch sums known so far. */
    private int[] places;
    private List<double[]> known;
    private int nextSum;

    ContractPassContext(Mode mode, DType dtype, long seed, int rows) {
        this.mode = mode;
        this.dtype = dtype;
        this.seed = seed;
        this.rows = rows;
        replay();
    }

    /**
     * A pass over the rows {@code places} of a batch of {@code rows}, split as nn-spark splits it:
     * {@link #uniform} draws by each row's place, {@link #sumOverBatch} answers from {@code known}
     * and throws {@link SumNeeded} at the first sum not yet known, and {@link #random()} is refused.
     */
    static ContractPassContext part(long seed, int rows, int[] places, List<double[]> known) {
        ContractPassContext c = new ContractPassContext(Mode.TRAINING, DType.FLOAT64, seed, rows);
        c.places = places;
        c.known = known;
        return c;
    }

    /** A split pass stopped at a whole-batch sum not yet known, with this part's contribution. */
    static final class SumNeeded extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final double[] contribution;

        SumNeeded(double[] contribution) {
            super("a whole-batch sum is needed", null, false, false);
            this.contribution = contribution;
        }
    }

    /** Puts the random stream back at its seed. */
    ContractPassContext replay() {
        random = new SplittableRandom(seed);
        return this;
    }

    @Override
    public Mode mode() {
        return mode;
    }

    @Override
    public RandomGenerator random() {
        if (mode == Mode.INFERENCE) {
            throw new IllegalStateException("random() in inference mode: inference must be deterministic.");
        }
        if (places != null) {
            throw new IllegalStateException("random() in a pass over part of a split batch: its draws would follow the"
                    + " rows one machine holds. Draw per row with uniform(row, index).");
        }
        return random;
    }

    @Override
    public double uniform(int row, long index) {
        if (mode == Mode.INFERENCE) {
            throw new IllegalStateException("uniform() in inference mode: inference must be deterministic.");
        }
        // A pure function of the seed, the row and the index: the same draws in every replay.
        long place = places == null ? row : places[row];
        return new SplittableRandom(seed + place * 0x9e3779b97f4a7c15L + index * 0xc2b2ae3d27d4eb4fL).nextDouble();
    }

    /** The pass holds its whole batch, as in local training. */
    @Override
    public int batchRows() {
        if (rows < 0) {
            throw new IllegalStateException("This pass context was made without its batch's rows: make it with"
                    + " passContext(mode, dtype, seed, rows).");
        }
        return rows;
    }

    /** A whole batch's sums are this pass's: nothing to add. A part's come from the sums known so far. */
    @Override
    public void sumOverBatch(double[] sums) {
        if (mode == Mode.INFERENCE) {
            throw new IllegalStateException("sumOverBatch in inference mode: inference takes no batch statistics.");
        }
        if (places == null) {
            return;
        }
        if (nextSum == known.size()) {
            throw new SumNeeded(sums.clone());
        }
        double[] total = known.get(nextSum++);
        assertThat(total.length).as("values of whole-batch sum %d, the same in every part's pass", nextSum)
                .isEqualTo(sums.length);
        System.arraycopy(total, 0, sums, 0, sums.length);
    }

    @Override
    public Tensor scratch(String name, Shape shape) {
        Tensor t = scratch.get(name);
        if (t == null || !t.shape().equals(shape)) {
            t = Tensor.zeros(dtype, shape);
            scratch.put(name, t);
        }
        return t;
    }

    @Override
    public int[] intScratch(String name, int length) {
        int[] a = ints.get(name);
        if (a == null || a.length != length) {
            a = new int[length];
            ints.put(name, a);
        }
        return a;
    }
}
