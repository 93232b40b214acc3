package dev.nnkit.core.kernel;

/**
 * The loops of a direct convolution at stride 1 on "wide" planes: an image zero-padded to
 * Hp × Wp and stored row after row, so that output pixel p = oy·Wp + ox reads input p + offset(tap)
 * for every tap (the Wp − OW columns past each output row are garbage, never read back). Each
 * output value is summed in a fixed order (channel, then tap; vector lanes are pixels), so results
 * do not depend on threads.
 */
interface Float32Convolution {
    /**
     * out[outBase + o·outPlane + p] = bias[o] (0 without) + Σ_j w[o·J + j]·x[xBase + taps[j] + p] for
     * o &lt; outC and p &lt; length rounded up to {@link #lanes()}, where j runs over every (input
     * channel, tap) pair, J = taps.length and taps[j] is where that channel's plane and tap start: the
     * caller leaves room in {@code out}'s planes and {@link #lanes()} values of slack after x.
     */
    void direct(float[] x, int xBase, int[] taps, float[] w, int outC, float[] bias, float[] out, int outBase,
                int outPlane, int length);

    /**
     * dw[o·J + j] += Σ_p g[gBase + o·gPlane + p]·x[xBase + taps[j] + p] over p &lt; length rounded up to
     * {@link #lanes()} (g is 0 on garbage pixels and past length); {@code stage} is the caller's
     * scratch of at least (taps.length + 12)·{@link #lanes()} values.
     */
    void weightSums(float[] g, int gBase, int gPlane, int outC, float[] x, int xBase, int[] taps, float[] dw,
                    int length, float[] stage);

    /**
     * sums[o] += Σ_p g[gBase + o·gPlane + p] over p &lt; length rounded up to {@link #lanes()} (the bias
     * gradient), o &lt; outC; {@code stage} as in {@link #weightSums}.
     */
    void sums(float[] g, int gBase, int gPlane, int outC, float[] sums, int length, float[] stage);

    /**
     * Copies {@code rows} rows of {@code width} values, src rows {@code srcStride} apart from srcAt,
     * into consecutive rows of dst from dstAt (a wide plane's rows into an image's). It may write past
     * a row's end into the next row, which it overwrites later, but never at or past
     * {@code dstLimit}.
     */
    void copyRows(float[] src, int srcAt, int srcStride, float[] dst, int dstAt, int width, int rows, int dstLimit);

    /** The pixels computed at once; lengths are rounded up to a multiple of it. */
    int lanes();
}
