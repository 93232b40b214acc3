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
    /** DOWN[h] moves lane j + h to lane j, for h = 1, 2, 4, ... &lt; L. */
    private static final VectorShuffle<Float>[] DOWN = down();

    @SuppressWarnings("unchecked")
    private static VectorShuffle<Float>[] down() {
        VectorShuffle<Float>[] result = new VectorShuffle[L];
        for (int h = 1; h < L; h <<= 1) {
            result[h] = VectorShuffle.iota(S, h, 1, true);
        }
        return result;
    }

    VectorFeatureMajor() {
        if (FeatureMajor.STRIDE_MULTIPLE % L != 0) { // not on x86 or ARM: their vectors hold 4 to 16 floats
            throw new IllegalStateException(L + " float lanes do not divide the stride multiple");
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
        for (int h = L >> 1; h > 0; h >>= 1) {
            v = v.add(v.rearrange(DOWN[h]));
        }
        return v.lane(0);
    }

    private static void zeroPadding(float[] a, int rows, int stride, int width) {
        if (rows < stride) {
            for (int r = 0; r < width; r++) {
                Arrays.fill(a, r * stride + rows, (r + 1) * stride, 0f);
            }
        }
    }
}
