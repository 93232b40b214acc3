package dev.nnkit.core.kernel;

/** Float32 loops of the built-in activations, on the fastest path this JVM has (see {@link Float32Kernels}). */
public final class ActivationKernels {
    private ActivationKernels() {
    }

    /** a = z where z &gt; 0, else slope·z, over the first n elements. */
    public static void leakyRelu(float[] z, float[] a, int n, float slope) {
        if (2L * n < Parallel.MIN_PARALLEL_WORK) { // one thread: skip the split's bookkeeping (tiny networks)
            Float32Kernels.ELEMENTWISE.leakyRelu(z, a, 0, n, slope);
        } else {
            SPLITS.get().run(z, null, a, n, slope);
        }
    }

    /** ∂L/∂z = ∂L/∂a where z &gt; 0, else slope·∂L/∂a. */
    public static void leakyReluBackward(float[] z, float[] g, float[] out, int n, float slope) {
        if (2L * n < Parallel.MIN_PARALLEL_WORK) {
            Float32Kernels.ELEMENTWISE.leakyReluBackward(z, g, out, 0, n, slope);
        } else {
            SPLITS.get().run(z, g, out, n, slope);
        }
    }

    /** Values per chunk of a split element-wise loop: a multiple of every vector length. */
    private static final int CHUNK = 64;

    /**
     * A (leaky) ReLU over a range, split across nnkit's threads when it is large (a convolution's
     * activations: 1.6 million values a batch in the CNN example, which one thread walked while
     * the other core waited). Each value is computed alone, so the split changes no bit. One per
     * calling thread, so that nothing is allocated per call.
     */
    private static final ThreadLocal<LeakyReluSplit> SPLITS = ThreadLocal.withInitial(LeakyReluSplit::new);

    private static final class LeakyReluSplit implements Parallel.Rows {
        private float[] z;
        private float[] g;
        private float[] out;
        private int n;
        private float slope;

        /** out = leakyRelu(z), or its backward when g is given, over [0, n). */
        void run(float[] z, float[] g, float[] out, int n, float slope) {
            this.z = z;
            this.g = g;
            this.out = out;
            this.n = n;
            this.slope = slope;
            try {
                Parallel.rows((n + CHUNK - 1) / CHUNK, 1, 2L * n, this);
            } finally {
                this.z = this.g = this.out = null;
            }
        }

        @Override
        public void run(int part, int from, int to) {
            int start = from * CHUNK;
            int end = Math.min(n, to * CHUNK);
            if (g == null) {
                Float32Kernels.ELEMENTWISE.leakyRelu(z, out, start, end, slope);
            } else {
                Float32Kernels.ELEMENTWISE.leakyReluBackward(z, g, out, start, end, slope);
            }
        }
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
