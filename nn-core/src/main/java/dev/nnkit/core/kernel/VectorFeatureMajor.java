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
        // Unit o's sums: k < in its weights, k = in its bias (Σ δ alone). All vector code stays in
        // this method: a helper taking a vector, if C2 compiled it on its own and then did not
        // inline it, would box every vector passed (see VectorSigmoid).
        int sums = db != null ? in + 1 : in;
        for (int o = 0; o < out; o++) {
            int dRow = o * stride;
            for (int k = 0; k < sums; k++) {
                FloatVector q = FloatVector.zero(S);
                for (int c = 0; c < stride; c += L) {
                    FloatVector dv = FloatVector.fromArray(S, d, dRow + c);
                    q = k == in ? q.add(dv) : dv.fma(FloatVector.fromArray(S, x, k * stride + c), q);
                }
                // The lanes' sum in the fixed tree order described above.
                if (L == 16) {
                    q = q.add(q.rearrange(DOWN8));
                }
                if (L >= 8) {
                    q = q.add(q.rearrange(DOWN4));
                }
                q = q.add(q.rearrange(DOWN2));
                float sum = q.add(q.rearrange(DOWN1)).lane(0);
                if (k == in) {
                    db[o] = sum;
                } else {
                    dw[o * in + k] = sum;
                }
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

    private static void zeroPadding(float[] a, int rows, int stride, int width) {
        if (rows < stride) {
            for (int r = 0; r < width; r++) {
                Arrays.fill(a, r * stride + rows, (r + 1) * stride, 0f);
            }
        }
    }
}
