package dev.nnkit.core.train;

import dev.nnkit.api.tensor.DType;
import dev.nnkit.api.tensor.Tensor;

/**
 * Copies a mini-batch's examples, in the epoch's order, into buffers kept per batch size (an epoch
 * has at most two: full and last), so a step allocates nothing. Batches keep the examples' shape,
 * [batch, ...sample shape]. Not thread-safe.
 */
final class BatchLoader {
    private static final double[] NO_WEIGHTS = new double[0];
    private final DType dtype;
    /** Looked up by int: a map keyed by Integer boxed every batch size above 127, an allocation per step. */
    private final int[] bufferSizes = {-1, -1, -1, -1};
    private final Tensor[][] batchBuffers = new Tensor[4][];
    private final double[][] weightBuffers = new double[4][];
    private int nextBuffer;

    BatchLoader(DType dtype) {
        this.dtype = dtype;
    }

    /** Rows {@code order[from..from+size)} of the features and targets, in this size's buffers. */
    Tensor[] gather(Dataset data, int[] order, int from, int size) {
        int slot = bufferSlot(size);
        Tensor[] buf = batchBuffers[slot];
        if (buf == null || buf[0].shape().cols() != data.features().shape().cols()
                || buf[1].shape().cols() != data.targets().shape().cols()) {
            buf = new Tensor[] {Tensor.zeros(dtype, data.features().shape().sample().withBatch(size)),
                Tensor.zeros(dtype, data.targets().shape().sample().withBatch(size))};
            batchBuffers[slot] = buf;
        }
        copyRows(data.features(), order, from, buf[0]);
        copyRows(data.targets(), order, from, buf[1]);
        return buf;
    }

    /** The buffer slot of a batch size, taking over the oldest slot for a new size. */
    private int bufferSlot(int size) {
        for (int i = 0; i < bufferSizes.length; i++) {
            if (bufferSizes[i] == size) {
                return i;
            }
        }
        int slot = nextBuffer;
        nextBuffer = (nextBuffer + 1) % bufferSizes.length;
        bufferSizes[slot] = size;
        batchBuffers[slot] = null;
        weightBuffers[slot] = null;
        return slot;
    }

    /** The sample weights of those rows, or an empty array for unweighted data. */
    double[] weights(Dataset data, int[] order, int from, int size) {
        if (!data.weighted()) {
            return NO_WEIGHTS;
        }
        int slot = bufferSlot(size);
        if (weightBuffers[slot] == null) {
            weightBuffers[slot] = new double[size];
        }
        double[] w = weightBuffers[slot];
        for (int r = 0; r < size; r++) {
            w[r] = data.weights()[order[from + r]];
        }
        return w;
    }

    private static void copyRows(Tensor src, int[] order, int from, Tensor dst) {
        int cols = src.shape().cols();
        if (src instanceof dev.nnkit.api.tensor.Float32Tensor s && dst instanceof dev.nnkit.api.tensor.Float32Tensor d) {
            for (int r = 0; r < d.shape().rows(); r++) {
                System.arraycopy(s.data(), order[from + r] * cols, d.data(), r * cols, cols);
            }
            return;
        }
        for (int r = 0; r < dst.shape().rows(); r++) {
            int s = order[from + r] * cols;
            int d = r * cols;
            for (int c = 0; c < cols; c++) {
                dst.set(d + c, src.get(s + c));
            }
        }
    }
}
