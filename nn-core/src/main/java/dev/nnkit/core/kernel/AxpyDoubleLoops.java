package dev.nnkit.core.kernel;

/**
 * The float64 loops of {@link AxpyDoubleProducts}: row "axpy"s, acc[j] += s·src[j], over arrays that both
 * start at index 0 (the shape HotSpot's C2 vectorizes), and the transpose of W into row arrays.
 */
final class AxpyDoubleLoops {
    /** Whether Math.fma is an instruction here, else a BigDecimal computation ({@link HardwareFma}). */
    static final boolean FMA = HardwareFma.AVAILABLE;

    private AxpyDoubleLoops() {
    }

    /**
     * Wᵀ as rows, wt[k][o] = W[o][k] (W is out×in): for 32 units at a time, eight rows of Wᵀ per
     * pass, each unit's eight consecutive weights read together (about twice as fast as one row of
     * Wᵀ per pass, whose strided index kept a bounds check on every load).
     */
    static void transpose(double[] w, double[][] wt, int in, int out) {
        for (int o0 = 0; o0 < out; o0 += 32) {
            int o1 = Math.min(out, o0 + 32);
            int k = 0;
            for (; k + 8 <= in; k += 8) {
                double[] r0 = wt[k];
                double[] r1 = wt[k + 1];
                double[] r2 = wt[k + 2];
                double[] r3 = wt[k + 3];
                double[] r4 = wt[k + 4];
                double[] r5 = wt[k + 5];
                double[] r6 = wt[k + 6];
                double[] r7 = wt[k + 7];
                for (int o = o0, at = o0 * in + k; o < o1; o++, at += in) {
                    r0[o] = w[at];
                    r1[o] = w[at + 1];
                    r2[o] = w[at + 2];
                    r3[o] = w[at + 3];
                    r4[o] = w[at + 4];
                    r5[o] = w[at + 5];
                    r6[o] = w[at + 6];
                    r7[o] = w[at + 7];
                }
            }
            for (; k < in; k++) {
                double[] row = wt[k];
                for (int o = o0; o < o1; o++) {
                    row[o] = w[o * in + k];
                }
            }
        }
    }

    /**
     * acc[j] += s0·a[j] + s1·b[j] + s2·c[j] + s3·e[j]: four multiply-adds per load and store of acc,
     * which is what bounds these loops.
     */
    static void axpy4(double[] acc, double s0, double[] a, double s1, double[] b, double s2, double[] c, double s3,
                              double[] e, int len) {
        for (int j = 0; j < len; j++) {
            acc[j] += s0 * a[j] + s1 * b[j] + s2 * c[j] + s3 * e[j];
        }
    }

    /**
     * acc[j] = s5·g[j] + (… + (s0·a[j] + acc[j])), six fused multiply-adds per load and store of acc:
     * the most sources C2 still vectorizes (its default unrolling limit counts the loop's nodes, and
     * six multiplies and adds are too many). Used only where {@link HardwareFma} says Math.fma is an
     * instruction.
     */
    static void fma6(double[] acc, double s0, double[] a, double s1, double[] b, double s2, double[] c, double s3,
                             double[] e, double s4, double[] f, double s5, double[] g, int len) {
        for (int j = 0; j < len; j++) {
            acc[j] = Math.fma(s5, g[j], Math.fma(s4, f[j], Math.fma(s3, e[j], Math.fma(s2, c[j], Math.fma(s1, b[j],
                    Math.fma(s0, a[j], acc[j]))))));
        }
    }

    /**
     * Four accumulator rows from two sources, acc[r][j] = fma(s_r1, b[j], fma(s_r0, a[j], acc[r][j])):
     * each source load feeds four rows. Eight fused multiply-adds is as big as C2's default unrolling
     * takes (four rows from three sources runs scalar). On one core, against {@link #fma6} on each
     * row, 128×784×256 in float64: forward 36 → 39–43 GFLOP/s, weight gradient 39 → 57, input
     * gradient 35 → 53. Same rounding as fma6: one fused multiply-add per source,
     * in source order.
     */
    static void fma4Rows2(double[][] acc, double[] s, int at, int rowStep, int sourceStep, double[] a, double[] b,
                                  int len) {
        // Row r's scalar for source q (a is 0, b is 1) is s[at + r·rowStep + q·sourceStep].
        double s00 = s[at];
        double s01 = s[at + sourceStep];
        double s10 = s[at + rowStep];
        double s11 = s[at + rowStep + sourceStep];
        double s20 = s[at + 2 * rowStep];
        double s21 = s[at + 2 * rowStep + sourceStep];
        double s30 = s[at + 3 * rowStep];
        double s31 = s[at + 3 * rowStep + sourceStep];
        double[] p = acc[0];
        double[] q = acc[1];
        double[] r = acc[2];
        double[] t = acc[3];
        for (int j = 0; j < len; j++) {
            double aj = a[j];
            double bj = b[j];
            p[j] = Math.fma(s01, bj, Math.fma(s00, aj, p[j]));
            q[j] = Math.fma(s11, bj, Math.fma(s10, aj, q[j]));
            r[j] = Math.fma(s21, bj, Math.fma(s20, aj, r[j]));
            t[j] = Math.fma(s31, bj, Math.fma(s30, aj, t[j]));
        }
    }

    /** One source left over: fused like the loops above where they run, so every row rounds alike. */
    static void axpyOnce(double[] acc, double s, double[] src, int len) {
        if (FMA) {
            for (int j = 0; j < len; j++) {
                acc[j] = Math.fma(s, src[j], acc[j]);
            }
        } else {
            axpy(acc, s, src, len);
        }
    }

    /** acc[j] += s · src[j] for j &lt; len: both arrays from index 0, the loop C2 vectorizes. */
    static void axpy(double[] acc, double s, double[] src, int len) {
        for (int j = 0; j < len; j++) {
            acc[j] += s * src[j];
        }
    }
}
