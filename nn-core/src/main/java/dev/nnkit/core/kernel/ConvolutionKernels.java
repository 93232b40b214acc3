package dev.nnkit.core.kernel;

/**
 * Float32 loops of a direct convolution at stride 1 ({@link Float32Convolution}), on the fastest
 * path this JVM has (see {@link Float32Kernels}). Single-threaded: the layer gives each thread
 * whole samples.
 */
public final class ConvolutionKernels {
    private static final Float32Convolution CHOSEN = Float32Kernels.CHOSEN instanceof AxpyProducts
            ? new PortableConvolution() : Float32Kernels.load("VectorConvolution", Float32Convolution.class)
                    .orElseGet(PortableConvolution::new);

    private ConvolutionKernels() {
    }

    /** See {@link Float32Convolution#direct}. */
    public static void direct(float[] x, int xBase, int[] taps, float[] w, int outC, float[] bias, float[] out,
                              int outBase, int outPlane, int length) {
        CHOSEN.direct(x, xBase, taps, w, outC, bias, out, outBase, outPlane, length);
    }

    /** See {@link Float32Convolution#weightSums}. */
    public static void weightSums(float[] g, int gBase, int gPlane, int outC, float[] x, int xBase, int[] taps,
                                  float[] dw, int length) {
        CHOSEN.weightSums(g, gBase, gPlane, outC, x, xBase, taps, dw, length);
    }

    /** The pixels computed at once: planes and lengths are rounded up to a multiple of it. */
    public static int lanes() {
        return CHOSEN.lanes();
    }
}
