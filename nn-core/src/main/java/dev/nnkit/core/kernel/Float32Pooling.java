package dev.nnkit.core.kernel;

/** Pooling loops that need the Vector API to beat plain code (see {@link PoolingKernels}). */
interface Float32Pooling {
    /**
     * 2×2 max pooling at stride 2 of one plane of {@code inH × inW} values (inW even) at
     * in[inAt…]: out[outAt + oy·(inW/2) + ox] for oy &lt; inH/2, with Math.max's rules (a NaN wins).
     * {@code tmp} holds at least {@link #pairsScratch} values.
     */
    void maxPairs(float[] in, int inAt, int inH, int inW, float[] out, int outAt, float[] tmp);

    /** The scratch {@link #maxPairs} needs for a plane of that size. */
    int pairsScratch(int inH, int inW);
}
