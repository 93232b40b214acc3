package dev.nnkit.core.kernel;

/** Float32 loops of the built-in activations, on the fastest path this JVM has (see {@link Float32Kernels}). */
public final class ActivationKernels {
    private ActivationKernels() {
    }

    /** a = z where z &gt; 0, else slope·z, over the first n elements. */
    public static void leakyRelu(float[] z, float[] a, int n, float slope) {
        Float32Kernels.ELEMENTWISE.leakyRelu(z, a, n, slope);
    }

    /** ∂L/∂z = ∂L/∂a where z &gt; 0, else slope·∂L/∂a. */
    public static void leakyReluBackward(float[] z, float[] g, float[] out, int n, float slope) {
        Float32Kernels.ELEMENTWISE.leakyReluBackward(z, g, out, n, slope);
    }

    /** a = σ(z) over the first n elements. */
    public static void sigmoid(float[] z, float[] a, int n) {
        Float32Kernels.ELEMENTWISE.sigmoid(z, a, n);
    }

    /** σ(z) in double: two branches so exp never overflows (σ(z) = e^z / (1 + e^z) for z &lt; 0). */
    public static double sigmoid(double z) {
        if (z >= 0) {
            return 1 / (1 + Math.exp(-z));
        }
        double e = Math.exp(z);
        return e / (1 + e);
    }
}
