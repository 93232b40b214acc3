package dev.nnkit.core.kernel;

/**
 * The float32 loops of {@link AxpyProducts}: row "axpy"s, acc[j] += s·src[j], over arrays that both
 * start at index 0 (the shape HotSpot's C2 vectorizes), and the transpose of W into row arrays.
 *
 * <p>The float64 twin (the same class name with Double) is generated from this file when nn-core
 * builds (nn-core/pom.xml, {@code kernel-twins}): edit this one, never the generated file.
 */
final class AxpyLoops {
    /** Whether Math.fma is an instruction here, else a BigDecimal computation ({@link HardwareFma}). */
    static final boolean FMA = HardwareFma.AVAILABLE;

    private AxpyLoops() {
    }

    /**
     * Wᵀ as rows, wt[k][o] = W[o][k] (W is out×in): for 32 units at a time, eight rows of Wᵀ per
     * pass, each unit's eight consecutive weights read together (about twice as fast as one row of
     * Wᵀ per pass, whose strided index kept a bounds check on every load).
     */
    static void transpose(float[] w, float[][] wt, int in, int out) {
        for (int o0 = 0; o0 < out; o0 += 32) {
            int o1 = Math.min(out, o0 + 32);
            int k = 0;
            for (; k + 8 <= in; k += 8) {
                float[] r0 = wt[k];
                float[] r1 = wt[k + 1];
                float[] r2 = wt[k + 2];
                float[] r3 = wt[k + 3];
                float[] r4 = wt[k + 4];
                float[] r5 = wt[k + 5];
                float[] r6 = wt[k + 6];
                float[] r7 = wt[k + 7];
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
                float[] row = wt[k];
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
    static void axpy4(float[] acc, float s0, float[] a, float s1, float[] b, float s2, float[] c, float s3,
                              float[] e, int len) {
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
    static void fma6(float[] acc, float s0, float[] a, float s1, float[] b, float s2, float[] c, float s3,
                             float[] e, float s4, float[] f, float s5, float[] g, int len) {
        for (int j = 0; j < len; j++) {
            acc[j] = Math.fma(s5, g[j], Math.fma(s4, f[j], Math.fma(s3, e[j], Math.fma(s2, c[j], Math.fma(s1, b[j],
                    Math.fma(s0, a[j], acc[j]))))));
        }
    }

    /**
     * Four accumulator rows from two sources, acc[r][j] = fma(s_r1, b[j], fma(s_r0, a[j], acc[r][j])):
     * each source load feeds four rows. Eight fused multiply-adds is as big as C2's default unrolling
     * takes (four rows from three sources runs scalar). On one core, against {@link #fma6} on each
     * row: 128×784×256 forward 59 → 77 GFLOP/s, weight gradient 74 → 111, input gradient 72 → 108;
     * 128×256×128 forward 50 → 68. Same rounding as fma6: one fused multiply-add per source,
     * in source order.
     */
    static void fma4Rows2(float[][] acc, float[] s, int at, int rowStep, int sourceStep, float[] a, float[] b,
                                  int len) {
        // Row r's scalar for source q (a is 0, b is 1) is s[at + r·rowStep + q·sourceStep].
        float s00 = s[at];
        float s01 = s[at + sourceStep];
        float s10 = s[at + rowStep];
        float s11 = s[at + rowStep + sourceStep];
        float s20 = s[at + 2 * rowStep];
        float s21 = s[at + 2 * rowStep + sourceStep];
        float s30 = s[at + 3 * rowStep];
        float s31 = s[at + 3 * rowStep + sourceStep];
        float[] p = acc[0];
        float[] q = acc[1];
        float[] r = acc[2];
        float[] t = acc[3];
        for (int j = 0; j < len; j++) {
            float aj = a[j];
            float bj = b[j];
            p[j] = Math.fma(s01, bj, Math.fma(s00, aj, p[j]));
            q[j] = Math.fma(s11, bj, Math.fma(s10, aj, q[j]));
            r[j] = Math.fma(s21, bj, Math.fma(s20, aj, r[j]));
            t[j] = Math.fma(s31, bj, Math.fma(s30, aj, t[j]));
        }
    }

    /** One source left over: fused like the loops above where they run, so every row rounds alike. */
    static void axpyOnce(float[] acc, float s, float[] src, int len) {
        if (FMA) {
            for (int j = 0; j < len; j++) {
                acc[j] = Math.fma(s, src[j], acc[j]);
            }
        } else {
            axpy(acc, s, src, len);
        }
    }

    /** acc[j] += s · src[j] for j &lt; len: both arrays from index 0, the loop C2 vectorizes. */
    static void axpy(float[] acc, float s, float[] src, int len) {
        for (int j = 0; j < len; j++) {
            acc[j] += s * src[j];
        }
    }
}
