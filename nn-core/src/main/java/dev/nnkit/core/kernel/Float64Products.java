package dev.nnkit.core.kernel;

/**
 * The float64 matrix products of a dense layer above the tiny-network size: {@link Float32Products}
 * for {@code double}, with the same contract (an order of summation that depends only on the
 * shapes, never on how the work is split across threads).
 */
interface Float64Products {
    /** Z = X·Wᵀ (+ b when {@code b} is not null). */
    void forward(double[] x, double[] w, double[] b, double[] z, int n, int in, int out);

    /** dW = δᵀ·X, and db = Σ_rows δ when {@code db} is not null. */
    void weightGradient(double[] d, double[] x, double[] dw, double[] db, int n, int in, int out);

    /** dX = δ·W. */
    void inputGradient(double[] d, double[] w, double[] dx, int n, int in, int out);

    /** Names the implementation for logs and benchmark reports. */
    String description();
}
