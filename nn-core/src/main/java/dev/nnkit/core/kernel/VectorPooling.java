package dev.nnkit.core.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link Float32Pooling} on the Vector API. The plane is treated as one flat run: the maximum of
 * the 2×2 block whose top-left is q is max(x[q], x[q + 1], x[q + W], x[q + W + 1]), four shifted
 * loads and three max per vector of q, computed for every q (three in four are not window
 * corners and are dropped) and then picked out one per window. Rows of 28 or 14 pixels do not
 * fill vectors of 16, and the scalar window loop paid three compares per output.
 */
final class VectorPooling implements Float32Pooling {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /** Lane j takes lane j / 2: a window's value for both of its columns. */
    private static final VectorShuffle<Float> HALF = VectorShuffle.fromOp(S, j -> j / 2);
    /** Lane j takes lane j ^ 1: the other column of the same window. */
    private static final VectorShuffle<Float> OTHER = VectorShuffle.fromOp(S, j -> j ^ 1);
    private static final VectorMask<Float> LEFT = VectorMask.fromLong(S, 0x5555_5555_5555_5555L);
    private static final FloatVector ZERO = FloatVector.zero(S);
    private static final FloatVector ONE = FloatVector.broadcast(S, 1f);

    @Override
    public void maxPairs(float[] in, int inAt, int inH, int inW, float[] out, int outAt, float[] tmp) {
        int outH = inH / 2;
        int outW = inW / 2;
        int n = (2 * outH - 1) * inW - 1; // corners q < n: the last is (2·outH − 2)·inW + inW − 2
        int q = 0;
        for (int end = S.loopBound(n); q < end; q += S.length()) {
            int at = inAt + q;
            FloatVector.fromArray(S, in, at).max(FloatVector.fromArray(S, in, at + 1))
                    .max(FloatVector.fromArray(S, in, at + inW).max(FloatVector.fromArray(S, in, at + inW + 1)))
                    .intoArray(tmp, q);
        }
        for (; q < n; q++) {
            int at = inAt + q;
            tmp[q] = Math.max(Math.max(in[at], in[at + 1]), Math.max(in[at + inW], in[at + inW + 1]));
        }
        for (int oy = 0, o = outAt; oy < outH; oy++) {
            int row = 2 * oy * inW;
            for (int ox = 0; ox < outW; ox++, o++) {
                out[o] = tmp[row + 2 * ox];
            }
        }
    }

    /**
     * Row pair by row pair, a vector of columns at a time (the last one overlapping the one before
     * when the width is not a multiple of the vector): the window values and δ spread to both of
     * their columns, the top and bottom inputs compared with them, and each column told whether
     * its neighbour in the window matched, which settles the first match without a branch. A
     * vector with a NaN window, or too close to the end of the outputs to load a whole vector of
     * them, goes through {@link #windows}.
     */
    @Override
    public void maxPairsGradient(float[] in, int inAt, int inH, int inW, float[] out, float[] delta, int outAt,
                                 float[] dx) {
        int outW = inW / 2;
        for (int oy = 0; oy < inH / 2; oy++) {
            int top = inAt + 2 * oy * inW;
            int o = outAt + oy * outW;
            for (int x = 0; x < inW; x += L) {
                int x0 = Math.min(x, inW - L);
                if (o + x0 / 2 + L > out.length || !vector(in, top + x0, inW, out, delta, o + x0 / 2, dx)) {
                    windows(in, top + x0, inW, out, delta, o + x0 / 2, dx, L / 2);
                }
            }
        }
    }

    /** One vector of columns from {@code at} (its top row) for windows from output o; false for a NaN window. */
    private static boolean vector(float[] in, int at, int inW, float[] out, float[] delta, int o, float[] dx) {
        FloatVector best = FloatVector.fromArray(S, out, o).rearrange(HALF);
        // NaN is the one value not equal to itself: one comparison. test(IS_NAN) views the lanes
        // as ints and casts the mask back, through VectorSupport.convert, a call site every
        // conversion shares and where C2 was seen to deoptimize.
        if (best.compare(VectorOperators.NE, best).anyTrue()) {
            return false;
        }
        FloatVector d = FloatVector.fromArray(S, delta, o).rearrange(HALF);
        VectorMask<Float> top = FloatVector.fromArray(S, in, at).compare(VectorOperators.EQ, best);
        VectorMask<Float> bottom = FloatVector.fromArray(S, in, at + inW).compare(VectorOperators.EQ, best);
        VectorMask<Float> otherTop = ZERO.blend(ONE, top).rearrange(OTHER).compare(VectorOperators.NE, 0f);
        VectorMask<Float> otherBottom = ZERO.blend(ONE, bottom).rearrange(OTHER).compare(VectorOperators.NE, 0f);
        // Order: top-left, top-right, bottom-left, bottom-right.
        VectorMask<Float> topWins = top.and(LEFT.or(otherTop.not()));
        VectorMask<Float> bottomWins = top.or(otherTop).not().and(LEFT.and(bottom).or(LEFT.not().and(otherBottom.not())));
        ZERO.blend(d, topWins).intoArray(dx, at);
        ZERO.blend(d, bottomWins).intoArray(dx, at + inW);
        return true;
    }

    /** {@code count} windows from top-left {@code at} and output o, one at a time. */
    private static void windows(float[] in, int at, int inW, float[] out, float[] delta, int o, float[] dx, int count) {
        for (int k = 0; k < count; k++, at += 2, o++) {
            float best = out[o];
            dx[at] = dx[at + 1] = dx[at + inW] = dx[at + inW + 1] = 0f;
            int found = at + inW + 1;
            if (best != best) { // the last NaN
                found = in[at] != in[at] ? at : found;
                found = in[at + 1] != in[at + 1] ? at + 1 : found;
                found = in[at + inW] != in[at + inW] ? at + inW : found;
                found = in[at + inW + 1] != in[at + inW + 1] ? at + inW + 1 : found;
            } else { // the first maximum
                found = in[at + inW] == best ? at + inW : found;
                found = in[at + 1] == best ? at + 1 : found;
                found = in[at] == best ? at : found;
            }
            dx[found] = delta[o];
        }
    }

    @Override
    public int lanes() {
        return L;
    }

    @Override
    public int pairsScratch(int inH, int inW) {
        return Math.max(1, (2 * (inH / 2) - 1) * inW);
    }
}
