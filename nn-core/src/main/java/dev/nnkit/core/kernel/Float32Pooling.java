package dev.nnkit.core.kernel;

/** Pooling loops that need the Vector API to beat plain code (see {@link PoolingKernels}). */
interface Float32Pooling {
    /**
     * 2×2 max pooling at stride 2 of one plane of {@code inH × inW} values (inW even) at
     * in[inAt…]: out[outAt + oy·(inW/2) + ox] for oy &lt; inH/2, with Math.max's rules (a NaN wins).
     * {@code tmp} holds at least {@link #pairsScratch} values.
     */
    void maxPairs(float[] in, int inAt, int inH, int inW, float[] out, int outAt, float[] tmp);

    /**
     * The input gradient of {@link #maxPairs} for one plane: dx at each 2×2 window's first maximum
     * in row-major order (or its last NaN) is δ of the window, every other input of a window 0;
     * inputs in no window (an odd last row) are left alone. inW must be even and at least
     * {@link #lanes()}.
     */
    void maxPairsGradient(float[] in, int inAt, int inH, int inW, float[] out, float[] delta, int outAt, float[] dx);

    /** Values per vector. */
    int lanes();

    /** The scratch {@link #maxPairs} needs for a plane of that size. */
    int pairsScratch(int inH, int inW);
}
