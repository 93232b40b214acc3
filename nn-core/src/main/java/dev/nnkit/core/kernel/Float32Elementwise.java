package dev.nnkit.core.kernel;

/** Element-wise float32 loops that C2 cannot vectorize on its own (they branch on the data, or call exp). */
interface Float32Elementwise {
    /**
     * a = z where z &gt; 0, else slope·z, at indices [from, to); for slope 0 (ReLU) a = max(z, 0), so
     * that −∞ gives 0 as in PyTorch.
     */
    void leakyRelu(float[] z, float[] a, int from, int to, float slope);

    /** out = g where z &gt; 0, else slope·g, at indices [from, to). */
    void leakyReluBackward(float[] z, float[] g, float[] out, int from, int to, float slope);

    /** a = σ(z) = 1 / (1 + e^−z), without overflow for any z. */
    void sigmoid(float[] z, float[] a, int n);

    /**
     * out = g·(1 − a)·a in float, PyTorch's formula and order. (In double and rounded once, the
     * scalar loop chained its float/double conversions on JDK 17, 3 ns an element.)
     */
    void sigmoidBackward(float[] a, float[] g, float[] out, int n);

    /** a = tanh(z). */
    void tanh(float[] z, float[] a, int n);

    /** out = g·(1 − a²), where PyTorch rounds 1 − a² once (a fused multiply-add). */
    void tanhBackward(float[] a, float[] g, float[] out, int n);
}
