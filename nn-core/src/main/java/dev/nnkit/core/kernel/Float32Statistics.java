package dev.nnkit.core.kernel;

/**
 * Batch norm's sums over a run of float32 values, accumulated in double precision (a channel
 * holds batch·pixels values, 100,000 in the CNN example; float sums of that many lose digits).
 */
interface Float32Statistics {
    /** Σ a[at + i], i &lt; n. */
    double sum(float[] a, int at, int n);

    /** Σ (a[at + i] − shift)², i &lt; n. */
    double sumOfSquares(float[] a, int at, int n, double shift);

    /** Adds Σ a[aAt + i] to sums[0] and Σ a[aAt + i]·(b[bAt + i] − shift) to sums[1], i &lt; n, in one pass. */
    void sumAndProducts(float[] a, int aAt, float[] b, int bAt, int n, double shift, double[] sums);
}
