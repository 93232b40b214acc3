package dev.nnkit.core.kernel;

import dev.nnkit.api.tensor.Float32Tensor;
import dev.nnkit.api.tensor.Tensor;

/**
 * Tiny float32 layers on feature-major buffers: [width × stride], one row per unit holding the
 * whole batch, stride = the batch rounded up to a multiple of 16. A tiny layer's dot products have
 * one to four terms, so on row-major data every loop is scalar; feature-major, each operation
 * covers a vector of batch rows (the seeds' 2-4-3-1 network at batch 32: two vectors per unit).
 * Used when the Vector API kernels are: the network copies the batch in and the output back out
 * (a transpose of a few hundred floats). Forward and input gradient give the row-major loops' bits;
 * the weight gradient sums the batch in another fixed order (see {@link VectorFeatureMajor}).
 */
public final class FeatureMajor {
    /** Buffers' rows are padded to a multiple of this, which every vector width divides. */
    static final int STRIDE_MULTIPLE = 16;
    /** Below this many rows most lanes would be padding: the row-major loops stay. */
    private static final int MIN_ROWS = 16;

    private FeatureMajor() {
    }

    /** Whether a batch of {@code rows} can run feature-major in this JVM (Vector API kernels, rows ≥ 16). */
    public static boolean available(int rows) {
        return Float32Kernels.FEATURE_MAJOR != null && rows >= MIN_ROWS;
    }

    /** Columns of a feature-major buffer for {@code rows} batch rows. */
    public static int stride(int rows) {
        return (rows + STRIDE_MULTIPLE - 1) / STRIDE_MULTIPLE * STRIDE_MULTIPLE;
    }

    /** Whether a dense layer's products at this batch size are tiny (plain loops, no threads). */
    public static boolean tiny(int rows, int in, int out) {
        return DenseKernels.isTiny((long) rows * in * out);
    }

    /** fm[c][i] = rows[i][c] for the batch's {@code n} rows of {@code cols} values. */
    public static void fromRowMajor(Tensor rowMajor, Tensor featureMajor) {
        transpose(rowMajor, featureMajor, true);
    }

    /** rows[i][c] = fm[c][i]: the inverse of {@link #fromRowMajor}. */
    public static void toRowMajor(Tensor featureMajor, Tensor rowMajor) {
        transpose(rowMajor, featureMajor, false);
    }

    private static void transpose(Tensor rowMajor, Tensor featureMajor, boolean intoFeatureMajor) {
        float[] rows = data(rowMajor);
        float[] fm = data(featureMajor);
        int n = rowMajor.shape().rows();
        int cols = rowMajor.shape().cols();
        int stride = featureMajor.shape().cols();
        if (cols == 1) { // one row of either is the other
            System.arraycopy(intoFeatureMajor ? rows : fm, 0, intoFeatureMajor ? fm : rows, 0, n);
        } else if (intoFeatureMajor) {
            for (int c = 0; c < cols; c++) {
                for (int i = 0, row = c * stride; i < n; i++) {
                    fm[row + i] = rows[i * cols + c];
                }
            }
        } else {
            for (int c = 0; c < cols; c++) {
                for (int i = 0; i < n; i++) {
                    rows[i * cols + c] = fm[c * stride + i];
                }
            }
        }
    }

    /** z = W·x + b (when {@code hasBias}); x [in × stride], z [out × stride]. */
    public static void forward(Tensor x, Tensor w, Tensor bias, boolean hasBias, Tensor z) {
        Float32Kernels.FEATURE_MAJOR.forward(data(x), data(w), hasBias ? data(bias) : null, data(z),
                x.shape().cols(), x.shape().rows(), z.shape().rows());
    }

    /** dW = δ·xᵀ, and db = Σ δ when {@code hasBias}, over the first {@code rows} columns. */
    public static void weightGradient(Tensor delta, Tensor x, Tensor dw, Tensor db, boolean hasBias, int rows) {
        Float32Kernels.FEATURE_MAJOR.weightGradient(data(delta), data(x), data(dw), hasBias ? data(db) : null, rows,
                x.shape().cols(), x.shape().rows(), delta.shape().rows());
    }

    /** dx = Wᵀ·δ; δ [out × stride], dx [in × stride]. */
    public static void inputGradient(Tensor delta, Tensor w, Tensor dx) {
        Float32Kernels.FEATURE_MAJOR.inputGradient(data(delta), data(w), data(dx), dx.shape().cols(),
                dx.shape().rows(), delta.shape().rows());
    }

    private static float[] data(Tensor t) {
        return ((Float32Tensor) t).data();
    }
}
