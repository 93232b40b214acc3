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

    /** ∂L/∂z = ∂L/∂a·(1 − a)·a in float (PyTorch's order), over the first n elements. */
    public static void sigmoidBackward(float[] a, float[] g, float[] out, int n) {
        Float32Kernels.ELEMENTWISE.sigmoidBackward(a, g, out, n);
    }

    /** a = tanh(z) over the first n elements. */
    public static void tanh(float[] z, float[] a, int n) {
        Float32Kernels.ELEMENTWISE.tanh(z, a, n);
    }

    /** ∂L/∂z = ∂L/∂a·(1 − a²), over the first n elements. */
    public static void tanhBackward(float[] a, float[] g, float[] out, int n) {
        Float32Kernels.ELEMENTWISE.tanhBackward(a, g, out, n);
    }

    /**
     * tanh(z) in double, accurate enough to round to the float nearest tanh(z) (a few 1e-12 relative
     * at worst): Math.tanh is StrictMath's on JDK 17, about 20 ns, this one about 6. With t = e^2|z|,
     * 1 − 2/(t + 1) loses at most about 3e-16 to cancellation; below 2^−13, z − z³/3 is exact to
     * double precision.
     */
    static double tanhToFloat(double z) {
        double az = Math.abs(z);
        double magnitude = az < 0x1p-13 ? az - az * az * az / 3 : 1 - 2 / (Math.exp(2 * az) + 1);
        return Math.copySign(magnitude, z);
    }

    /**
     * σ(z) in double, with t = e^−|z| ≤ 1 so exp never overflows: 1 / (1 + t) for z ≥ 0, t / (1 + t)
     * below. Only the numerator depends on the sign, a select rather than a branch that random
     * inputs mispredict half the time.
     */
    public static double sigmoid(double z) {
        double t = Math.exp(-Math.abs(z));
        return (z >= 0 ? 1 : t) / (1 + t);
    }
}
