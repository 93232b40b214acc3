package dev.nnkit.core.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * A 16×16 float transpose in 512-bit registers, for packing Wᵀ in the forward pass and δᵀ in the
 * weight gradient: the scalar transpose ran at about one element per cycle, a sixth of the first
 * layer's forward; this one is about twice as fast (measured on the 784×256 weights). Four butterfly stages: at distance
 * s = 8, 4, 2, 1, rows i and i + s swap their off-diagonal s-wide blocks, with one lane permutation
 * and one blend per row. Vectors stay in locals: in an array they would be boxed.
 */
final class VectorTranspose16 {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_512;
    /** Per stage: lanes moved right by s, lanes moved left by s, and the lanes with bit s set. */
    private static final VectorShuffle<Float>[] RIGHT = shuffles(-1);
    private static final VectorShuffle<Float>[] LEFT = shuffles(1);
    private static final VectorMask<Float>[] HIGH = masks();

    private VectorTranspose16() {
    }

    @SuppressWarnings("unchecked")
    private static VectorShuffle<Float>[] shuffles(int direction) {
        VectorShuffle<Float>[] result = new VectorShuffle[4];
        for (int stage = 0; stage < 4; stage++) {
            int s = 8 >> stage;
            int[] lanes = new int[16];
            for (int k = 0; k < 16; k++) {
                lanes[k] = (k + direction * s) & 15;
            }
            result[stage] = VectorShuffle.fromArray(S, lanes, 0);
        }
        return result;
    }

    @SuppressWarnings("unchecked")
    private static VectorMask<Float>[] masks() {
        VectorMask<Float>[] result = new VectorMask[4];
        for (int stage = 0; stage < 4; stage++) {
            boolean[] high = new boolean[16];
            for (int k = 0; k < 16; k++) {
                high[k] = (k & (8 >> stage)) != 0;
            }
            result[stage] = VectorMask.fromArray(S, high, 0);
        }
        return result;
    }

    /**
     * packed[dst0 + c·ld + r] = b[(row0 + r)·colStride + kk0 + c] for r, c &lt; 16: sixteen rows of b
     * loaded as vectors, transposed in registers, stored as sixteen rows of packed.
     */
    static void block(float[] b, int colStride, int row0, int kk0, float[] packed, int dst0, int ld) {
        FloatVector m0 = FloatVector.fromArray(S, b, row0 * colStride + kk0);
        FloatVector m1 = FloatVector.fromArray(S, b, (row0 + 1) * colStride + kk0);
        FloatVector m2 = FloatVector.fromArray(S, b, (row0 + 2) * colStride + kk0);
        FloatVector m3 = FloatVector.fromArray(S, b, (row0 + 3) * colStride + kk0);
        FloatVector m4 = FloatVector.fromArray(S, b, (row0 + 4) * colStride + kk0);
        FloatVector m5 = FloatVector.fromArray(S, b, (row0 + 5) * colStride + kk0);
        FloatVector m6 = FloatVector.fromArray(S, b, (row0 + 6) * colStride + kk0);
        FloatVector m7 = FloatVector.fromArray(S, b, (row0 + 7) * colStride + kk0);
        FloatVector m8 = FloatVector.fromArray(S, b, (row0 + 8) * colStride + kk0);
        FloatVector m9 = FloatVector.fromArray(S, b, (row0 + 9) * colStride + kk0);
        FloatVector m10 = FloatVector.fromArray(S, b, (row0 + 10) * colStride + kk0);
        FloatVector m11 = FloatVector.fromArray(S, b, (row0 + 11) * colStride + kk0);
        FloatVector m12 = FloatVector.fromArray(S, b, (row0 + 12) * colStride + kk0);
        FloatVector m13 = FloatVector.fromArray(S, b, (row0 + 13) * colStride + kk0);
        FloatVector m14 = FloatVector.fromArray(S, b, (row0 + 14) * colStride + kk0);
        FloatVector m15 = FloatVector.fromArray(S, b, (row0 + 15) * colStride + kk0);
        FloatVector t;
        // s = 8: rows (i, i + 8)
        VectorShuffle<Float> right = RIGHT[0];
        VectorShuffle<Float> left = LEFT[0];
        VectorMask<Float> high = HIGH[0];
        t = m0.blend(m8.rearrange(right), high);
        m8 = m0.rearrange(left).blend(m8, high);
        m0 = t;
        t = m1.blend(m9.rearrange(right), high);
        m9 = m1.rearrange(left).blend(m9, high);
        m1 = t;
        t = m2.blend(m10.rearrange(right), high);
        m10 = m2.rearrange(left).blend(m10, high);
        m2 = t;
        t = m3.blend(m11.rearrange(right), high);
        m11 = m3.rearrange(left).blend(m11, high);
        m3 = t;
        t = m4.blend(m12.rearrange(right), high);
        m12 = m4.rearrange(left).blend(m12, high);
        m4 = t;
        t = m5.blend(m13.rearrange(right), high);
        m13 = m5.rearrange(left).blend(m13, high);
        m5 = t;
        t = m6.blend(m14.rearrange(right), high);
        m14 = m6.rearrange(left).blend(m14, high);
        m6 = t;
        t = m7.blend(m15.rearrange(right), high);
        m15 = m7.rearrange(left).blend(m15, high);
        m7 = t;
        // s = 4
        right = RIGHT[1];
        left = LEFT[1];
        high = HIGH[1];
        t = m0.blend(m4.rearrange(right), high);
        m4 = m0.rearrange(left).blend(m4, high);
        m0 = t;
        t = m1.blend(m5.rearrange(right), high);
        m5 = m1.rearrange(left).blend(m5, high);
        m1 = t;
        t = m2.blend(m6.rearrange(right), high);
        m6 = m2.rearrange(left).blend(m6, high);
        m2 = t;
        t = m3.blend(m7.rearrange(right), high);
        m7 = m3.rearrange(left).blend(m7, high);
        m3 = t;
        t = m8.blend(m12.rearrange(right), high);
        m12 = m8.rearrange(left).blend(m12, high);
        m8 = t;
        t = m9.blend(m13.rearrange(right), high);
        m13 = m9.rearrange(left).blend(m13, high);
        m9 = t;
        t = m10.blend(m14.rearrange(right), high);
        m14 = m10.rearrange(left).blend(m14, high);
        m10 = t;
        t = m11.blend(m15.rearrange(right), high);
        m15 = m11.rearrange(left).blend(m15, high);
        m11 = t;
        // s = 2
        right = RIGHT[2];
        left = LEFT[2];
        high = HIGH[2];
        t = m0.blend(m2.rearrange(right), high);
        m2 = m0.rearrange(left).blend(m2, high);
        m0 = t;
        t = m1.blend(m3.rearrange(right), high);
        m3 = m1.rearrange(left).blend(m3, high);
        m1 = t;
        t = m4.blend(m6.rearrange(right), high);
        m6 = m4.rearrange(left).blend(m6, high);
        m4 = t;
        t = m5.blend(m7.rearrange(right), high);
        m7 = m5.rearrange(left).blend(m7, high);
        m5 = t;
        t = m8.blend(m10.rearrange(right), high);
        m10 = m8.rearrange(left).blend(m10, high);
        m8 = t;
        t = m9.blend(m11.rearrange(right), high);
        m11 = m9.rearrange(left).blend(m11, high);
        m9 = t;
        t = m12.blend(m14.rearrange(right), high);
        m14 = m12.rearrange(left).blend(m14, high);
        m12 = t;
        t = m13.blend(m15.rearrange(right), high);
        m15 = m13.rearrange(left).blend(m15, high);
        m13 = t;
        // s = 1
        right = RIGHT[3];
        left = LEFT[3];
        high = HIGH[3];
        t = m0.blend(m1.rearrange(right), high);
        m1 = m0.rearrange(left).blend(m1, high);
        m0 = t;
        t = m2.blend(m3.rearrange(right), high);
        m3 = m2.rearrange(left).blend(m3, high);
        m2 = t;
        t = m4.blend(m5.rearrange(right), high);
        m5 = m4.rearrange(left).blend(m5, high);
        m4 = t;
        t = m6.blend(m7.rearrange(right), high);
        m7 = m6.rearrange(left).blend(m7, high);
        m6 = t;
        t = m8.blend(m9.rearrange(right), high);
        m9 = m8.rearrange(left).blend(m9, high);
        m8 = t;
        t = m10.blend(m11.rearrange(right), high);
        m11 = m10.rearrange(left).blend(m11, high);
        m10 = t;
        t = m12.blend(m13.rearrange(right), high);
        m13 = m12.rearrange(left).blend(m13, high);
        m12 = t;
        t = m14.blend(m15.rearrange(right), high);
        m15 = m14.rearrange(left).blend(m15, high);
        m14 = t;
        m0.intoArray(packed, dst0);
        m1.intoArray(packed, dst0 + ld);
        m2.intoArray(packed, dst0 + 2 * ld);
        m3.intoArray(packed, dst0 + 3 * ld);
        m4.intoArray(packed, dst0 + 4 * ld);
        m5.intoArray(packed, dst0 + 5 * ld);
        m6.intoArray(packed, dst0 + 6 * ld);
        m7.intoArray(packed, dst0 + 7 * ld);
        m8.intoArray(packed, dst0 + 8 * ld);
        m9.intoArray(packed, dst0 + 9 * ld);
        m10.intoArray(packed, dst0 + 10 * ld);
        m11.intoArray(packed, dst0 + 11 * ld);
        m12.intoArray(packed, dst0 + 12 * ld);
        m13.intoArray(packed, dst0 + 13 * ld);
        m14.intoArray(packed, dst0 + 14 * ld);
        m15.intoArray(packed, dst0 + 15 * ld);
    }

    /**
     * The same for doubles, by scalar loops: a 512-bit register holds 8 doubles, so the float64
     * kernels (generated from the float32 ones) take this path only on wider vectors.
     */
    static void block(double[] b, int colStride, int row0, int kk0, double[] packed, int dst0, int ld) {
        for (int r = 0; r < 16; r++) {
            for (int c = 0; c < 16; c++) {
                packed[dst0 + c * ld + r] = b[(row0 + r) * colStride + kk0 + c];
            }
        }
    }
}
