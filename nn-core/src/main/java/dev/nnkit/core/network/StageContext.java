package dev.nnkit.core.network;

import dev.nnkit.api.layer.Mode;
import dev.nnkit.api.layer.PassContext;
import dev.nnkit.api.tensor.DType;
import dev.nnkit.api.tensor.Shape;
import dev.nnkit.api.tensor.Tensor;
import dev.nnkit.core.random.RowDraws;
import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * The {@link PassContext} of one stage in one workspace (one batch size, one mode, one thread at a
 * time). Scratch is looked up by name in small arrays: after the first batch nothing is allocated.
 */
final class StageContext implements PassContext {
    private final Mode mode;
    private final RandomGenerator random;
    private final DType dtype;
    private final String stageName;
    private String[] names = new String[0];
    private Tensor[] tensors = new Tensor[0];
    private String[] intNames = new String[0];
    private int[][] ints = new int[0][];
    /** The rows of this context's batch size. */
    private final int rows;
    /** The current training pass's key, and the part of a split batch it holds (see {@link #beginPass}). */
    private long passKey;
    private BatchPart part;

    /** @param random the stage's stream in training, null in inference */
    StageContext(Mode mode, RandomGenerator random, DType dtype, String stageName, int rows) {
        this.mode = mode;
        this.rows = rows;
        this.random = random;
        this.dtype = dtype;
        this.stageName = stageName;
    }

    @Override
    public Mode mode() {
        return mode;
    }

    @Override
    public RandomGenerator random() {
        checkTraining();
        if (part != null) {
            throw new SplitBatchException(stageName + " draws from random(), whose values follow the rows one"
                    + " machine holds in order, in a pass over part of a batch split over machines (nn-spark's"
                    + " synchronous training), where it would silently draw other values than local training: draw"
                    + " with context.uniform(row, index), or train with parameter averaging.");
        }
        return random;
    }

    @Override
    public double uniform(int row, long index) {
        checkTraining();
        return RowDraws.uniform(passKey, part == null ? row : part.places()[row], index);
    }

    @Override
    public int batchRows() {
        return part == null ? rows : part.wholeRows();
    }

    @Override
    public void sumOverBatch(double[] sums) {
        checkTraining();
        if (part != null) {
            part.sums().sumOverBatch(sums);
        }
    }

    /**
     * Starts a training pass: {@code key} addresses its {@link #uniform} draws, and {@code part}
     * says which rows of a split batch it holds ({@code null}: the whole batch).
     */
    void beginPass(long key, BatchPart part) {
        this.passKey = key;
        this.part = part;
    }

    private void checkTraining() {
        if (random == null) {
            throw new IllegalStateException(stageName + " asked for random numbers in inference mode; inference must"
                    + " be deterministic: draw only when context.mode() is TRAINING.");
        }
    }

    @Override
    public Tensor scratch(String name, Shape shape) {
        for (int i = 0; i < names.length; i++) {
            if (names[i].equals(name)) {
                if (!tensors[i].shape().equals(shape)) {
                    tensors[i] = Tensor.zeros(dtype, shape);
                }
                return tensors[i];
            }
        }
        names = Arrays.copyOf(names, names.length + 1);
        tensors = Arrays.copyOf(tensors, tensors.length + 1);
        names[names.length - 1] = name;
        tensors[tensors.length - 1] = Tensor.zeros(dtype, shape);
        return tensors[tensors.length - 1];
    }

    @Override
    public int[] intScratch(String name, int length) {
        for (int i = 0; i < intNames.length; i++) {
            if (intNames[i].equals(name)) {
                if (ints[i].length != length) {
                    ints[i] = new int[length];
                }
                return ints[i];
            }
        }
        intNames = Arrays.copyOf(intNames, intNames.length + 1);
        ints = Arrays.copyOf(ints, ints.length + 1);
        intNames[intNames.length - 1] = name;
        ints[ints.length - 1] = new int[length];
        return ints[ints.length - 1];
    }
}
