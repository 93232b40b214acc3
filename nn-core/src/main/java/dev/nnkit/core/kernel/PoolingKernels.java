package dev.nnkit.core.kernel;

/**
 * Float32 pooling loops on the Vector API ({@link Float32Pooling}); {@link #available()} says
 * whether this JVM has them (the pooling layers keep their plain loops otherwise).
 */
public final class PoolingKernels {
    private static final Float32Pooling CHOSEN = Float32Kernels.CHOSEN instanceof AxpyProducts
            ? null : Float32Kernels.load("VectorPooling", Float32Pooling.class).orElse(null);

    private PoolingKernels() {
    }

    /** Whether the Vector API loops are available. */
    public static boolean available() {
        return CHOSEN != null;
    }

    /** See {@link Float32Pooling#maxPairs}. */
    public static void maxPairs(float[] in, int inAt, int inH, int inW, float[] out, int outAt, float[] tmp) {
        CHOSEN.maxPairs(in, inAt, inH, inW, out, outAt, tmp);
    }

    /** See {@link Float32Pooling#maxPairsGradient}. */
    public static void maxPairsGradient(float[] in, int inAt, int inH, int inW, float[] out, float[] delta, int outAt,
                                        float[] dx) {
        CHOSEN.maxPairsGradient(in, inAt, inH, inW, out, delta, outAt, dx);
    }

    /** See {@link Float32Pooling#lanes}. */
    public static int lanes() {
        return CHOSEN.lanes();
    }

    /** See {@link Float32Pooling#pairsScratch}. */
    public static int pairsScratch(int inH, int inW) {
        return CHOSEN.pairsScratch(inH, inW);
    }
}
