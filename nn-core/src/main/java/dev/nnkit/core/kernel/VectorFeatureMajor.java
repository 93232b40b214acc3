package dev.nnkit.core.kernel;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link FeatureMajorProducts} on the Vector API: every operation covers a vector of batch rows.
 * Forward and input gradient give the row-major loops' bits (the same multiplies and adds in the
 * same order, one row per lane). The weight gradient's sums over the batch keep one partial sum
 * per lane (rows i, i + L, i + 2L, ... for L lanes) and add the lanes in a fixed tree — lanes j and
 * j + L/2, then j and j + L/4, and so on — with lane-wise adds only, so the result depends on the
 * shapes and the vector width, never on the JIT (the Vector API's reduceLanes does not promise an
 * order for floats).
 */
final class VectorFeatureMajor implements FeatureMajorProducts {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    /** Lanes per vector: the number of partial sums in the weight gradient (tests emulate its order). */
    static final int L = S.length();
    /**
     * DOWNh moves lane j + h to lane j. One constant each: taken from an array, the shuffles were
     * not constants to the JIT (a 2-4 layer's weight gradient at batch 32: 83 instead of 67 ns).
     */
    private static final VectorShuffle<Float> DOWN8 = VectorShuffle.iota(S, 8, 1, true);
    private static final VectorShuffle<Float> DOWN4 = VectorShuffle.iota(S, 4, 1, true);
    private static final VectorShuffle<Float> DOWN2 = VectorShuffle.iota(S, 2, 1, true);
    private static final VectorShuffle<Float> DOWN1 = VectorShuffle.iota(S, 1, 1, true);

    VectorFeatureMajor() {
        if (FeatureMajor.STRIDE_MULTIPLE % L != 0 || L < 4) { // not on x86 or ARM: 4 to 16 floats
            throw new IllegalStateException(L + " float lanes: not 4, 8 or 16");
        }
    }

    @Override
    public void forward(float[] x, float[] w, float[] b, float[] z, int stride, int in, int out) {
        for (int c = 0; c < stride; c += L) {
            for (int o = 0; o < out; o++) {
                FloatVector acc = b != null ? FloatVector.broadcast(S, b[o]) : FloatVector.zero(S);
                for (int k = 0; k < in; k++) {
                    acc = acc.add(FloatVector.fromArray(S, x, k * stride + c).mul(w[o * in + k]));
                }
                acc.intoArray(z, o * stride + c);
            }
        }
    }

    @Override
    public void weightGradient(float[] d, float[] x, float[] dw, float[] db, int rows, int stride, int in, int out) {
        // Lanes past the batch hold whatever the activations made of the padding: zero them, so
        // they add exact zeros (0·0) to the partial sums.
        zeroPadding(d, rows, stride, out);
        zeroPadding(x, rows, stride, in);
        for (int o = 0; o < out; o++) {
            int dRow = o * stride;
            for (int k = 0; k < in; k++) {
                FloatVector acc = FloatVector.zero(S);
                for (int c = 0; c < stride; c += L) {
                    acc = FloatVector.fromArray(S, d, dRow + c).fma(FloatVector.fromArray(S, x, k * stride + c), acc);
                }
                dw[o * in + k] = sumLanes(acc);
            }
            if (db != null) {
                FloatVector acc = FloatVector.zero(S);
                for (int c = 0; c < stride; c += L) {
                    acc = acc.add(FloatVector.fromArray(S, d, dRow + c));
                }
                db[o] = sumLanes(acc);
            }
        }
    }

    @Override
    public void inputGradient(float[] d, float[] w, float[] dx, int stride, int in, int out) {
        for (int c = 0; c < stride; c += L) {
            for (int k = 0; k < in; k++) {
                FloatVector acc = FloatVector.zero(S);
                for (int o = 0; o < out; o++) {
                    acc = acc.add(FloatVector.fromArray(S, d, o * stride + c).mul(w[o * in + k]));
                }
                acc.intoArray(dx, k * stride + c);
            }
        }
    }

    /** The lanes' sum in the fixed tree order described above. */
    private static float sumLanes(FloatVector v) {
        FloatVector q = v;
        if (L == 16) {
            q = q.add(q.rearrange(DOWN8));
        }
        if (L >= 8) {
            q = q.add(q.rearrange(DOWN4));
        }
        q = q.add(q.rearrange(DOWN2));
        return q.add(q.rearrange(DOWN1)).lane(0);
    }

    private static void zeroPadding(float[] a, int rows, int stride, int width) {
        if (rows < stride) {
            for (int r = 0; r < width; r++) {
                Arrays.fill(a, r * stride + rows, (r + 1) * stride, 0f);
            }
        }
    }
}
