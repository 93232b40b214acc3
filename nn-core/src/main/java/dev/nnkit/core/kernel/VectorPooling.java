package dev.nnkit.core.kernel;

import jdk.incubator.vector.FloatVector;
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

    @Override
    public int pairsScratch(int inH, int inW) {
        return Math.max(1, (2 * (inH / 2) - 1) * inW);
    }
}
