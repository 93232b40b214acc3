package dev.nnkit.core.kernel;

/**
 * A tiny dense layer's three products on feature-major float32 buffers (see {@link FeatureMajor}):
 * x [in × stride], z and δ [out × stride], the batch along each row; W [out × in] as everywhere.
 */
interface FeatureMajorProducts {
    /** z = W·x + b (b may be null), each element summed in k order as the row-major loops do. */
    void forward(float[] x, float[] w, float[] b, float[] z, int stride, int in, int out);

    /** dW = δ·xᵀ and db = Σ δ (db may be null) over the first {@code rows} columns. */
    void weightGradient(float[] d, float[] x, float[] dw, float[] db, int rows, int stride, int in, int out);

    /** dx = Wᵀ·δ, each element summed in o order from zero as the row-major loops do. */
    void inputGradient(float[] d, float[] w, float[] dx, int stride, int in, int out);
}
