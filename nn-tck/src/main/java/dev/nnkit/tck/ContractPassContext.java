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
 * a random stream that {@link #replay()} puts back at its seed, so a layer that draws (dropout)
 * draws the same numbers in every forward pass of a gradient check.
 */
final class ContractPassContext implements PassContext {
    private final Mode mode;
    private final DType dtype;
    private final long seed;
    private SplittableRandom random;
    private final Map<String, Tensor> scratch = new HashMap<>();
    private final Map<String, int[]> ints = new HashMap<>();

    ContractPassContext(Mode mode, DType dtype, long seed) {
        this.mode = mode;
        this.dtype = dtype;
        this.seed = seed;
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
