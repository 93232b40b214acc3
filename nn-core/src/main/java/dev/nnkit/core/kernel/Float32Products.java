package dev.nnkit.core.kernel;

/**
 * The float32 matrix products of a dense layer above the tiny-network size, on row-major arrays
 * (shapes as in {@link DenseKernels}). Implementations must sum every output element in an order
 * that depends only on the shapes, never on how the work is split across threads.
 */
interface Float32Products {
    /** Z = X·Wᵀ (+ b when {@code b} is not null). */
    void forward(float[] x, float[] w, float[] b, float[] z, int n, int in, int out);

    /** dW = δᵀ·X, and db = Σ_rows δ when {@code db} is not null. */
    void weightGradient(float[] d, float[] x, float[] dw, float[] db, int n, int in, int out);

    /** dX = δ·W. */
    void inputGradient(float[] d, float[] w, float[] dx, int n, int in, int out);

    /** Names the implementation for logs and benchmark reports. */
    String description();
}
