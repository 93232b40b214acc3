package dev.nnkit.core.explain;

/**
 * Writes one kind of stage out: its forward pass (what each output is, with the numbers
 * substituted) and its backward pass (its parameters' gradients and the gradient it passes to the
 * stage before). Every result written is the engine's own value from the {@link Trace}; the
 * writer supplies the formula and the terms.
 */
interface StageWriter {
    /** The forward pass of stage {@code t} (l = t.index() + 1: it maps a⁽ˡ⁻¹⁾ to a⁽ˡ⁾). */
    void forward(Trace.StageTrace t, Page p);

    /** Its parameters' gradients and, unless it is the first stage, ∂C/∂a⁽ˡ⁻¹⁾. */
    void backward(Trace.StageTrace t, Page p);

    /** The writer for a plugin id: the built-in layers' own, element-wise for activations, values only otherwise. */
    static StageWriter of(String type, boolean activation) {
        return switch (type) {
            case "dense" -> new DenseWriter();
            case "conv2d" -> new ConvWriter();
            case "max-pool2d", "avg-pool2d", "global-avg-pool2d" -> new PoolWriter();
            case "batch-norm" -> new BatchNormWriter();
            case "dropout" -> new DropoutWriter();
            case "flatten" -> new FlattenWriter();
            default -> activation ? new ActivationWriter() : new ValuesWriter();
        };
    }

    /** The batch's layout: flat index ↔ [n, c, y, x] (or [n, i]). */
    record Layout(int[] sample) {
        int size() {
            int s = 1;
            for (int d : sample) {
                s *= d;
            }
            return s;
        }

        int[] unravel(int flat) {
            int[] idx = new int[sample.length + 1];
            idx[0] = flat / size();
            int rest = flat % size();
            for (int d = sample.length - 1; d >= 0; d--) {
                idx[d + 1] = rest % sample[d];
                rest /= sample[d];
            }
            return idx;
        }

        int flat(int n, int... index) {
            int f = 0;
            for (int d = 0; d < sample.length; d++) {
                f = f * sample[d] + index[d];
            }
            return n * size() + f;
        }
    }

    static int layer(Trace.StageTrace t) {
        return t.index() + 1;
    }
}
