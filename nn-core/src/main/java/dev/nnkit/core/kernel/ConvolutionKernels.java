package dev.nnkit.core.kernel;

/**
 * Float32 loops of a direct convolution at stride 1 ({@link Float32Convolution}) on the Vector API
 * (see {@link Float32Kernels}; {@link #available()} says whether this JVM has them).
 * Single-threaded: the layer gives each thread whole samples.
 */
public final class ConvolutionKernels {
    /** The Vector API loops, or null on the portable path (where convolutions use patch-matrix products). */
    private static final Float32Convolution CHOSEN = Float32Kernels.CHOSEN instanceof AxpyProducts
            ? null : Float32Kernels.load("VectorConvolution", Float32Convolution.class).orElse(null);

    private ConvolutionKernels() {
    }

    /** See {@link Float32Convolution#direct}. */
    public static void direct(float[] x, int xBase, int[] taps, float[] w, int outC, float[] bias, float[] out,
                              int outBase, int outPlane, int length) {
        CHOSEN.direct(x, xBase, taps, w, outC, bias, out, outBase, outPlane, length);
    }

    /** See {@link Float32Convolution#weightSums}. */
    public static void weightSums(float[] g, int gBase, int gPlane, int outC, float[] x, int xBase, int[] taps,
                                  float[] dw, int length, float[] stage) {
        CHOSEN.weightSums(g, gBase, gPlane, outC, x, xBase, taps, dw, length, stage);
    }

    /** See {@link Float32Convolution#copyRows}. */
    public static void copyRows(float[] src, int srcAt, int srcStride, float[] dst, int dstAt, int width, int rows,
                                int dstLimit) {
        CHOSEN.copyRows(src, srcAt, srcStride, dst, dstAt, width, rows, dstLimit);
    }

    /** See {@link Float32Convolution#sums}. */
    public static void sums(float[] g, int gBase, int gPlane, int outC, float[] sums, int length, float[] stage) {
        CHOSEN.sums(g, gBase, gPlane, outC, sums, length, stage);
    }

    /**
     * Whether these loops are available: only on the Vector API. In plain loops the weight
     * gradient's sums stay scalar (Java may not reorder a float sum), and the patch-matrix
     * products, axpy loops C2 vectorizes, were faster (25.9 against 57.8 s per epoch of the CNN
     * example), so the portable path keeps those.
     */
    public static boolean available() {
        return CHOSEN != null;
    }

    /** The pixels computed at once: planes and lengths are rounded up to a multiple of it. */
    public static int lanes() {
        return CHOSEN.lanes();
    }
}
