package dev.nnkit.core.layers;

import dev.nnkit.api.tensor.Float32Tensor;
import dev.nnkit.api.tensor.Float64Tensor;
import dev.nnkit.api.tensor.Tensor;
import dev.nnkit.core.kernel.StatisticsKernels;
import java.util.Arrays;

/**
 * Operations on runs of consecutive values of a tensor's backing array, for either dtype: the
 * image layers move whole rows of pixels at a time, so one branch on the array's type per run,
 * not a virtual call per value.
 */
final class Runs {
    private Runs() {
    }

    /** The tensor's backing array: a {@code float[]} or a {@code double[]}. */
    static Object array(Tensor t) {
        return t instanceof Float32Tensor f ? f.data() : ((Float64Tensor) t).data();
    }

    /** Sets {@code length} values from {@code at} to zero. */
    static void zero(Object a, int at, int length) {
        if (a instanceof float[] f) {
            Arrays.fill(f, at, at + length, 0f);
        } else {
            Arrays.fill((double[]) a, at, at + length, 0d);
        }
    }

    /** dst[dstAt + i] = src[srcAt + i·srcStep] for i &lt; length. */
    static void gather(Object src, int srcAt, int srcStep, Object dst, int dstAt, int length) {
        if (srcStep == 1) {
            System.arraycopy(src, srcAt, dst, dstAt, length);
        } else if (src instanceof float[] s) {
            float[] d = (float[]) dst;
            for (int i = 0; i < length; i++) {
                d[dstAt + i] = s[srcAt + i * srcStep];
            }
        } else {
            double[] s = (double[]) src;
            double[] d = (double[]) dst;
            for (int i = 0; i < length; i++) {
                d[dstAt + i] = s[srcAt + i * srcStep];
            }
        }
    }

    /** dst[dstAt + i·dstStep] += src[srcAt + i] for i &lt; length. */
    static void scatterAdd(Object src, int srcAt, Object dst, int dstAt, int dstStep, int length) {
        if (src instanceof float[] s) {
            float[] d = (float[]) dst;
            for (int i = 0; i < length; i++) {
                d[dstAt + i * dstStep] += s[srcAt + i];
            }
        } else {
            double[] s = (double[]) src;
            double[] d = (double[]) dst;
            for (int i = 0; i < length; i++) {
                d[dstAt + i * dstStep] += s[srcAt + i];
            }
        }
    }

    /** a[at + i] += value for i &lt; length. */
    static void add(Object a, int at, int length, double value) {
        if (a instanceof float[] f) {
            float v = (float) value;
            for (int i = at; i < at + length; i++) {
                f[i] += v;
            }
        } else {
            double[] d = (double[]) a;
            for (int i = at; i < at + length; i++) {
                d[i] += value;
            }
        }
    }

    /** The sum of a[at], …, a[at + length − 1] in double precision (float32: {@link StatisticsKernels}). */
    static double sum(Object a, int at, int length) {
        if (a instanceof float[] f) {
            return StatisticsKernels.sum(f, at, length);
        }
        double[] d = (double[]) a;
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int i = at;
        int end = at + length;
        for (; i + 3 < end; i += 4) { // four chains: independent additions run in parallel in the CPU
            s0 += d[i];
            s1 += d[i + 1];
            s2 += d[i + 2];
            s3 += d[i + 3];
        }
        for (; i < end; i++) {
            s0 += d[i];
        }
        return (s0 + s1) + (s2 + s3);
    }

    /**
     * Adds Σ a[aAt + i] to {@code sums[0]} and Σ a[aAt + i]·(b[bAt + i] − shift) to {@code sums[1]},
     * i &lt; length, in one pass in double precision (batch norm's two sums over δ; one pass instead
     * of two over memory that does not fit the cache).
     */
    static void sumAndProducts(Object a, int aAt, Object b, int bAt, int length, double shift, double[] sums) {
        if (a instanceof float[] fa) {
            StatisticsKernels.sumAndProducts(fa, aAt, (float[]) b, bAt, length, shift, sums);
            return;
        }
        double[] da = (double[]) a;
        double[] db = (double[]) b;
        double s0 = 0;
        double s1 = 0;
        double p0 = 0;
        double p1 = 0;
        int i = 0;
        for (; i + 1 < length; i += 2) {
            double a0 = da[aAt + i];
            double a1 = da[aAt + i + 1];
            s0 += a0;
            s1 += a1;
            p0 += a0 * (db[bAt + i] - shift);
            p1 += a1 * (db[bAt + i + 1] - shift);
        }
        for (; i < length; i++) {
            s0 += da[aAt + i];
            p0 += da[aAt + i] * (db[bAt + i] - shift);
        }
        sums[0] += s0 + s1;
        sums[1] += p0 + p1;
    }

    /** Σ (a[at + i] − shift)² for i &lt; length, in double precision, in interleaved partial sums as {@link #sum}. */
    static double sumOfSquares(Object a, int at, int length, double shift) {
        if (a instanceof float[] f) {
            return StatisticsKernels.sumOfSquares(f, at, length, shift);
        }
        double[] d = (double[]) a;
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int i = at;
        int end = at + length;
        for (; i + 3 < end; i += 4) {
            double v0 = d[i] - shift;
            double v1 = d[i + 1] - shift;
            double v2 = d[i + 2] - shift;
            double v3 = d[i + 3] - shift;
            s0 += v0 * v0;
            s1 += v1 * v1;
            s2 += v2 * v2;
            s3 += v3 * v3;
        }
        for (; i < end; i++) {
            double v = d[i] - shift;
            s0 += v * v;
        }
        return (s0 + s1) + (s2 + s3);
    }

    /** dst[dstAt + i] = src[srcAt + i]·scale + offset for i &lt; length, in the arrays' precision. */
    static void scaleShift(Object src, int srcAt, Object dst, int dstAt, int length, double scale, double offset) {
        if (src instanceof float[] s) {
            float[] d = (float[]) dst;
            float k = (float) scale;
            float b = (float) offset;
            for (int i = 0; i < length; i++) {
                d[dstAt + i] = s[srcAt + i] * k + b;
            }
        } else {
            double[] s = (double[]) src;
            double[] d = (double[]) dst;
            for (int i = 0; i < length; i++) {
                d[dstAt + i] = s[srcAt + i] * scale + offset;
            }
        }
    }

    /**
     * dst[at + i] = ((a[at + i] − aShift) − (b[at + i] − bShift)·q)·p for i &lt; length, in the
     * arrays' precision: batch norm's input gradient, both terms centred before they meet (written
     * as one linear form in a and b, they cancel to a few digits in float32 at small batches).
     */
    static void combine(Object a, Object b, Object dst, int at, int length, double aShift, double bShift, double q,
                        double p) {
        if (a instanceof float[] fa) {
            float[] fb = (float[]) b;
            float[] d = (float[]) dst;
            float as = (float) aShift;
            float bs = (float) bShift;
            float qf = (float) q;
            float pf = (float) p;
            for (int i = at; i < at + length; i++) {
                d[i] = ((fa[i] - as) - (fb[i] - bs) * qf) * pf;
            }
        } else {
            double[] da = (double[]) a;
            double[] db = (double[]) b;
            double[] d = (double[]) dst;
            for (int i = at; i < at + length; i++) {
                d[i] = ((da[i] - aShift) - (db[i] - bShift) * q) * p;
            }
        }
    }
}
