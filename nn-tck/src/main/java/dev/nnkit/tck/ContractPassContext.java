package dev.nnkit.tck;

import dev.nnkit.api.layer.Mode;
import dev.nnkit.api.layer.PassContext;
import dev.nnkit.api.tensor.DType;
import dev.nnkit.api.tensor.Shape;
import dev.nnkit.api.tensor.Tensor;
import java.util.HashMap;
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

    ContractPassContext(Mode mode, DType dtype, long seed, int rows) {
        this.mode = mode;
        this.dtype = dtype;
        this.seed = seed;
        this.rows = rows;
        replay();
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
        return random;
    }

    @Override
    public double uniform(int row, long index) {
        random(); // the same refusal in inference
        // A pure function of the seed, the row and the index: the same draws in every replay.
        return new SplittableRandom(seed + row * 0x9e3779b97f4a7c15L + index * 0xc2b2ae3d27d4eb4fL).nextDouble();
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

    /** The whole batch's sums are this pass's: nothing to add. */
    @Override
    public void sumOverBatch(double[] sums) {
        random(); // training only, as the engine's
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
