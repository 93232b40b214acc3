package dev.nnkit.core.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link Float32Convolution} on the Vector API: a vector of pixels at a time, 8 output channels
 * kept in registers while every input channel and tap is added in (one load of the input, then a
 * broadcast weight and a fused multiply-add per output channel). Each vector loop is its own small
 * method, called per vector of pixels, so C2 compiles it whole and no vector is ever boxed (see
 * docs/performance.md, "Vector API rules").
 */
final class VectorConvolution implements Float32Convolution {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    @Override
    public void direct(float[] x, int xBase, int[] taps, float[] w, int outC, float[] bias, float[] out, int outBase,
                       int outPlane, int length) {
        int o = 0;
        for (; o + 8 <= outC; o += 8) {
            int p = 0;
            if (WIDE) {
                for (; p + L < length; p += 2 * L) {
                    eightWide(x, xBase + p, taps, w, o, bias, out, outBase + o * outPlane + p, outPlane);
                }
            }
            for (; p < length; p += L) {
                eight(x, xBase + p, taps, w, o, bias, out, outBase + o * outPlane + p, outPlane);
            }
        }
        for (; o < outC; o++) {
            int p = 0;
            for (; p + 4 * L <= roundUp(length); p += 4 * L) {
                oneWide(x, xBase + p, taps, w, o, bias, out, outBase + o * outPlane + p);
            }
            for (; p < length; p += L) {
                one(x, xBase + p, taps, w, o, bias, out, outBase + o * outPlane + p);
            }
        }
    }

    /**
     * Whether the kernels may keep 16 accumulators and their operands in registers: AVX-512 has
     * 32 vector registers (AVX2 16, where they would spill to memory).
     */
    private static final boolean WIDE = L >= 16;

    private static int roundUp(int n) {
        return (n + L - 1) / L * L;
    }

    /**
     * Output channel o at four vectors of pixels: four independent sums, so that a layer with few
     * output channels (a gradient passed back to one input channel) is not one long chain of
     * dependent multiply-adds.
     */
    private static void oneWide(float[] x, int x0, int[] taps, float[] w, int o, float[] bias, float[] out, int at) {
        int n = taps.length;
        FloatVector a0 = FloatVector.broadcast(S, bias == null ? 0f : bias[o]);
        FloatVector a1 = a0;
        FloatVector a2 = a0;
        FloatVector a3 = a0;
        for (int j = 0; j < n; j++) {
            FloatVector wj = FloatVector.broadcast(S, w[o * n + j]);
            int from = x0 + taps[j];
            a0 = FloatVector.fromArray(S, x, from).fma(wj, a0);
            a1 = FloatVector.fromArray(S, x, from + L).fma(wj, a1);
            a2 = FloatVector.fromArray(S, x, from + 2 * L).fma(wj, a2);
            a3 = FloatVector.fromArray(S, x, from + 3 * L).fma(wj, a3);
        }
        a0.intoArray(out, at);
        a1.intoArray(out, at + L);
        a2.intoArray(out, at + 2 * L);
        a3.intoArray(out, at + 3 * L);
    }

    /**
     * Output channels o..o+7 at one vector of pixels. One loop over every (input channel, tap): with
     * the accumulators carried through two nested loops, C2 (JDK 17) kept boxing them.
     */
    private static void eight(float[] x, int x0, int[] taps, float[] w, int o, float[] bias, float[] out, int at,
                              int outPlane) {
        int n = taps.length;
        FloatVector a0 = FloatVector.broadcast(S, bias == null ? 0f : bias[o]);
        FloatVector a1 = FloatVector.broadcast(S, bias == null ? 0f : bias[o + 1]);
        FloatVector a2 = FloatVector.broadcast(S, bias == null ? 0f : bias[o + 2]);
        FloatVector a3 = FloatVector.broadcast(S, bias == null ? 0f : bias[o + 3]);
        FloatVector a4 = FloatVector.broadcast(S, bias == null ? 0f : bias[o + 4]);
        FloatVector a5 = FloatVector.broadcast(S, bias == null ? 0f : bias[o + 5]);
        FloatVector a6 = FloatVector.broadcast(S, bias == null ? 0f : bias[o + 6]);
        FloatVector a7 = FloatVector.broadcast(S, bias == null ? 0f : bias[o + 7]);
        int k = o * n;
        for (int j = 0; j < n; j++, k++) {
            FloatVector v = FloatVector.fromArray(S, x, x0 + taps[j]);
            a0 = v.fma(FloatVector.broadcast(S, w[k]), a0);
            a1 = v.fma(FloatVector.broadcast(S, w[k + n]), a1);
            a2 = v.fma(FloatVector.broadcast(S, w[k + 2 * n]), a2);
            a3 = v.fma(FloatVector.broadcast(S, w[k + 3 * n]), a3);
            a4 = v.fma(FloatVector.broadcast(S, w[k + 4 * n]), a4);
            a5 = v.fma(FloatVector.broadcast(S, w[k + 5 * n]), a5);
            a6 = v.fma(FloatVector.broadcast(S, w[k + 6 * n]), a6);
            a7 = v.fma(FloatVector.broadcast(S, w[k + 7 * n]), a7);
        }
        a0.intoArray(out, at);
        a1.intoArray(out, at + outPlane);
        a2.intoArray(out, at + 2 * outPlane);
        a3.intoArray(out, at + 3 * outPlane);
        a4.intoArray(out, at + 4 * outPlane);
        a5.intoArray(out, at + 5 * outPlane);
        a6.intoArray(out, at + 6 * outPlane);
        a7.intoArray(out, at + 7 * outPlane);
    }

    /**
     * Output channels o..o+7 at two vectors of pixels: 16 sums, each broadcast weight used twice,
     * so 10 loads feed 16 multiply-adds (9 feed 8 in {@link #eight}).
     */
    private static void eightWide(float[] x, int x0, int[] taps, float[] w, int o, float[] bias, float[] out, int at,
                                  int outPlane) {
        int n = taps.length;
        FloatVector a0 = FloatVector.broadcast(S, bias == null ? 0f : bias[o]);
        FloatVector a1 = FloatVector.broadcast(S, bias == null ? 0f : bias[o + 1]);
        FloatVector a2 = FloatVector.broadcast(S, bias == null ? 0f : bias[o + 2]);
        FloatVector a3 = FloatVector.broadcast(S, bias == null ? 0f : bias[o + 3]);
        FloatVector a4 = FloatVector.broadcast(S, bias == null ? 0f : bias[o + 4]);
        FloatVector a5 = FloatVector.broadcast(S, bias == null ? 0f : bias[o + 5]);
        FloatVector a6 = FloatVector.broadcast(S, bias == null ? 0f : bias[o + 6]);
        FloatVector a7 = FloatVector.broadcast(S, bias == null ? 0f : bias[o + 7]);
        FloatVector b0 = a0;
        FloatVector b1 = a1;
        FloatVector b2 = a2;
        FloatVector b3 = a3;
        FloatVector b4 = a4;
        FloatVector b5 = a5;
        FloatVector b6 = a6;
        FloatVector b7 = a7;
        int k = o * n;
        for (int j = 0; j < n; j++, k++) {
            FloatVector u = FloatVector.fromArray(S, x, x0 + taps[j]);
            FloatVector v = FloatVector.fromArray(S, x, x0 + taps[j] + L);
            FloatVector c = FloatVector.broadcast(S, w[k]);
            a0 = u.fma(c, a0);
            b0 = v.fma(c, b0);
            c = FloatVector.broadcast(S, w[k + n]);
            a1 = u.fma(c, a1);
            b1 = v.fma(c, b1);
            c = FloatVector.broadcast(S, w[k + 2 * n]);
            a2 = u.fma(c, a2);
            b2 = v.fma(c, b2);
            c = FloatVector.broadcast(S, w[k + 3 * n]);
            a3 = u.fma(c, a3);
            b3 = v.fma(c, b3);
            c = FloatVector.broadcast(S, w[k + 4 * n]);
            a4 = u.fma(c, a4);
            b4 = v.fma(c, b4);
            c = FloatVector.broadcast(S, w[k + 5 * n]);
            a5 = u.fma(c, a5);
            b5 = v.fma(c, b5);
            c = FloatVector.broadcast(S, w[k + 6 * n]);
            a6 = u.fma(c, a6);
            b6 = v.fma(c, b6);
            c = FloatVector.broadcast(S, w[k + 7 * n]);
            a7 = u.fma(c, a7);
            b7 = v.fma(c, b7);
        }
        a0.intoArray(out, at);
        b0.intoArray(out, at + L);
        a1.intoArray(out, at + outPlane);
        b1.intoArray(out, at + outPlane + L);
        a2.intoArray(out, at + 2 * outPlane);
        b2.intoArray(out, at + 2 * outPlane + L);
        a3.intoArray(out, at + 3 * outPlane);
        b3.intoArray(out, at + 3 * outPlane + L);
        a4.intoArray(out, at + 4 * outPlane);
        b4.intoArray(out, at + 4 * outPlane + L);
        a5.intoArray(out, at + 5 * outPlane);
        b5.intoArray(out, at + 5 * outPlane + L);
        a6.intoArray(out, at + 6 * outPlane);
        b6.intoArray(out, at + 6 * outPlane + L);
        a7.intoArray(out, at + 7 * outPlane);
        b7.intoArray(out, at + 7 * outPlane + L);
    }

    /** Output channel o at one vector of pixels. */
    private static void one(float[] x, int x0, int[] taps, float[] w, int o, float[] bias, float[] out, int at) {
        int n = taps.length;
        FloatVector a = FloatVector.broadcast(S, bias == null ? 0f : bias[o]);
        for (int j = 0; j < n; j++) {
            a = FloatVector.fromArray(S, x, x0 + taps[j]).fma(FloatVector.broadcast(S, w[o * n + j]), a);
        }
        a.intoArray(out, at);
    }

    @Override
    public void weightSums(float[] g, int gBase, int gPlane, int outC, float[] x, int xBase, int[] taps, float[] dw,
                           int length, float[] stage) {
        int n = taps.length;
        int o = 0;
        if (L >= 4) {
            for (; o + 4 <= outC; o += 4) {
                int j = 0;
                if (WIDE) {
                    for (; j + 3 <= n; j += 3) {
                        fourByThree(g, gBase + o * gPlane, gPlane, x, xBase + taps[j], xBase + taps[j + 1],
                                xBase + taps[j + 2], stage, j * L, length);
                        fold(stage, j * L, 3);
                    }
                }
                for (; j < n; j++) {
                    four(g, gBase + o * gPlane, gPlane, x, xBase + taps[j], stage, j * L, length);
                }
                for (int t = 0; t < n; t++) { // the lanes fold left the totals in
                    dw[o * n + t] += stage[t * L];
                    dw[(o + 1) * n + t] += stage[t * L + L / 2];
                    dw[(o + 2) * n + t] += stage[t * L + L / 4];
                    dw[(o + 3) * n + t] += stage[t * L + 3 * L / 4];
                }
            }
        }
        for (; o < outC; o++) {
            for (int j = 0; j < n; j++) {
                dw[o * n + j] += dot(g, gBase + o * gPlane, x, xBase + taps[j], length);
            }
        }
    }

    /**
     * The four sums Σ_p g[g0 + i·gPlane + p]·x[x0 + p], i &lt; 4, as {@link #fold} leaves them, into
     * stage[at, at + L), using stage up to at + 4L. Extracting lanes one by one (lane(i)) is not compiled to an
     * instruction on JDK 17; storing the vector is.
     */
    private static void four(float[] g, int g0, int gPlane, float[] x, int x0, float[] stage, int at, int length) {
        FloatVector s0 = FloatVector.zero(S);
        FloatVector s1 = FloatVector.zero(S);
        FloatVector s2 = FloatVector.zero(S);
        FloatVector s3 = FloatVector.zero(S);
        for (int p = 0; p < length; p += L) {
            FloatVector v = FloatVector.fromArray(S, x, x0 + p);
            s0 = FloatVector.fromArray(S, g, g0 + p).fma(v, s0);
            s1 = FloatVector.fromArray(S, g, g0 + gPlane + p).fma(v, s1);
            s2 = FloatVector.fromArray(S, g, g0 + 2 * gPlane + p).fma(v, s2);
            s3 = FloatVector.fromArray(S, g, g0 + 3 * gPlane + p).fma(v, s3);
        }
        s0.intoArray(stage, at);
        s1.intoArray(stage, at + L);
        s2.intoArray(stage, at + 2 * L);
        s3.intoArray(stage, at + 3 * L);
        fold(stage, at, 1);
    }

    /**
     * {@link #four} for three taps at once (x runs from x0, x1 and x2): 12 sums, so 7 loads feed
     * 12 multiply-adds (5 feed 4 in {@link #four}); the 12 raw sums in stage[at, at + 12L), which
     * the caller folds ({@link #fold}, 3 groups) into stage[at], [at + L] and [at + 2L].
     */
    private static void fourByThree(float[] g, int g0, int gPlane, float[] x, int x0, int x1, int x2, float[] stage,
                                    int at, int length) {
        FloatVector s0 = FloatVector.zero(S);
        FloatVector s1 = s0;
        FloatVector s2 = s0;
        FloatVector s3 = s0;
        FloatVector t0 = s0;
        FloatVector t1 = s0;
        FloatVector t2 = s0;
        FloatVector t3 = s0;
        FloatVector r0 = s0;
        FloatVector r1 = s0;
        FloatVector r2 = s0;
        FloatVector r3 = s0;
        for (int p = 0; p < length; p += L) {
            FloatVector u = FloatVector.fromArray(S, x, x0 + p);
            FloatVector v = FloatVector.fromArray(S, x, x1 + p);
            FloatVector y = FloatVector.fromArray(S, x, x2 + p);
            FloatVector h = FloatVector.fromArray(S, g, g0 + p);
            s0 = h.fma(u, s0);
            t0 = h.fma(v, t0);
            r0 = h.fma(y, r0);
            h = FloatVector.fromArray(S, g, g0 + gPlane + p);
            s1 = h.fma(u, s1);
            t1 = h.fma(v, t1);
            r1 = h.fma(y, r1);
            h = FloatVector.fromArray(S, g, g0 + 2 * gPlane + p);
            s2 = h.fma(u, s2);
            t2 = h.fma(v, t2);
            r2 = h.fma(y, r2);
            h = FloatVector.fromArray(S, g, g0 + 3 * gPlane + p);
            s3 = h.fma(u, s3);
            t3 = h.fma(v, t3);
            r3 = h.fma(y, r3);
        }
        // Stored raw and folded by the caller: with the folding inlined here as well, C2 gave up on
        // keeping the vectors in registers and boxed them (200 MB of garbage per step), and later
        // left the fold's operations to late inlining (past its parse budget, see
        // VectorProducts.PAIR_ROWS). No vector goes into or out of a method of ours: see fold.
        s0.intoArray(stage, at);
        s1.intoArray(stage, at + L);
        s2.intoArray(stage, at + 2 * L);
        s3.intoArray(stage, at + 3 * L);
        t0.intoArray(stage, at + 4 * L);
        t1.intoArray(stage, at + 5 * L);
        t2.intoArray(stage, at + 6 * L);
        t3.intoArray(stage, at + 7 * L);
        r0.intoArray(stage, at + 8 * L);
        r1.intoArray(stage, at + 9 * L);
        r2.intoArray(stage, at + 10 * L);
        r3.intoArray(stage, at + 11 * L);
    }

    /** SWAP[i]: lane j takes lane j ^ (L / 2^(i+1)); HIGH[i]: the lanes whose bit L / 2^(i+1) is set. */
    private static final VectorShuffle<Float>[] SWAP = swaps();
    private static final VectorMask<Float>[] HIGH = highs();

    @SuppressWarnings("unchecked")
    private static VectorShuffle<Float>[] swaps() {
        int levels = Integer.numberOfTrailingZeros(L);
        VectorShuffle<Float>[] s = new VectorShuffle[levels];
        for (int i = 0; i < levels; i++) {
            int h = L >> (i + 1);
            s[i] = VectorShuffle.fromOp(S, j -> j ^ h);
        }
        return s;
    }

    @SuppressWarnings("unchecked")
    private static VectorMask<Float>[] highs() {
        int levels = Integer.numberOfTrailingZeros(L);
        VectorMask<Float>[] m = new VectorMask[levels];
        for (int i = 0; i < levels; i++) {
            boolean[] bits = new boolean[L];
            for (int j = 0; j < L; j++) {
                bits[j] = (j & (L >> (i + 1))) != 0;
            }
            m[i] = VectorMask.fromArray(S, bits, 0);
        }
        return m;
    }

    /**
     * Groups of four vectors, stage[at + 4L·i, at + 4L·(i + 1)) for i &lt; groups, each folded into
     * stage[at + L·i, at + L·(i + 1)): the four vectors' lane sums at once, as a tree (reduceLanes
     * sums the lanes one after another on JDK 17, a chain of L dependent adds per sum that cost more
     * than the dot products feeding it). The first level folds s0 and s1 (s2 and s3) into one
     * vector, half each, the second folds those two, the rest halve within each quarter. The totals
     * end in lane 0 (s0), L/2 (s1), L/4 (s2) and 3L/4 (s3). 4 ≤ L ≤ 16 (the widest float species).
     * Group i writes where group 0 was read, so the groups go in order.
     *
     * <p>The vectors come in and go out through stage, never as arguments or a result: a vector
     * passed to a method C2 does not inline is boxed. This was once sumsOfFour(FloatVector…), and
     * whether C2 inlined it depended on the profile when it compiled the caller; in about one fresh
     * JVM in three the CNN's backward pass then allocated 70 KB a step for good.
     */
    private static void fold(float[] stage, int at, int groups) {
        for (int i = 0; i < groups; i++) {
            int from = at + 4 * L * i;
            FloatVector s0 = FloatVector.fromArray(S, stage, from);
            FloatVector s1 = FloatVector.fromArray(S, stage, from + L);
            FloatVector s2 = FloatVector.fromArray(S, stage, from + 2 * L);
            FloatVector s3 = FloatVector.fromArray(S, stage, from + 3 * L);
            FloatVector u01 = s0.blend(s1, HIGH[0]).add(s1.blend(s0, HIGH[0]).rearrange(SWAP[0]));
            FloatVector u23 = s2.blend(s3, HIGH[0]).add(s3.blend(s2, HIGH[0]).rearrange(SWAP[0]));
            FloatVector v = u01.blend(u23, HIGH[1]).add(u23.blend(u01, HIGH[1]).rearrange(SWAP[1]));
            if (L >= 8) { // unrolled, not a loop: a vector carried through a loop can end up boxed
                v = v.add(v.rearrange(SWAP[2]));
            }
            if (L >= 16) {
                v = v.add(v.rearrange(SWAP[3]));
            }
            v.intoArray(stage, at + L * i);
        }
    }

    @Override
    public void sums(float[] g, int gBase, int gPlane, int outC, float[] sums, int length, float[] stage) {
        int step = L >= 4 ? 4 : 1; // fold needs four lanes
        for (int o = 0; o < outC; o += step) {
            int count = Math.min(step, outC - o);
            sumFour(g, gBase + o * gPlane, gPlane, count, stage, length);
            sums[o] += stage[0];
            for (int i = 1; i < count; i++) {
                sums[o + i] += stage[i == 1 ? L / 2 : i == 2 ? L / 4 : 3 * L / 4];
            }
        }
    }

    /** The sums of {@code count} ≤ 4 runs of g, gPlane apart, as {@link #fold} leaves them in stage[0, L) (using stage[0, 4L)). */
    private static void sumFour(float[] g, int g0, int gPlane, int count, float[] stage, int length) {
        FloatVector s0 = FloatVector.zero(S);
        FloatVector s1 = s0;
        FloatVector s2 = s0;
        FloatVector s3 = s0;
        int p1 = count > 1 ? gPlane : 0; // a missing run is summed again from run 0, and ignored
        int p2 = count > 2 ? 2 * gPlane : 0;
        int p3 = count > 3 ? 3 * gPlane : 0;
        for (int p = 0; p < length; p += L) {
            s0 = s0.add(FloatVector.fromArray(S, g, g0 + p));
            s1 = s1.add(FloatVector.fromArray(S, g, g0 + p1 + p));
            s2 = s2.add(FloatVector.fromArray(S, g, g0 + p2 + p));
            s3 = s3.add(FloatVector.fromArray(S, g, g0 + p3 + p));
        }
        if (L < 4) { // count is 1
            stage[0] = s0.reduceLanes(VectorOperators.ADD);
        } else {
            s0.intoArray(stage, 0);
            s1.intoArray(stage, L);
            s2.intoArray(stage, 2 * L);
            s3.intoArray(stage, 3 * L);
            fold(stage, 0, 1);
        }
    }

    /**
     * Whole vectors, not System.arraycopy per row (its call cost more than the copy for rows of 14
     * or 28 values, 11% of the CNN's inference): a row narrower than a vector spills into the next
     * row, written after it; a row wider ends with a vector overlapping the one before.
     */
    @Override
    public void copyRows(float[] src, int srcAt, int srcStride, float[] dst, int dstAt, int width, int rows,
                         int dstLimit) {
        for (int r = 0; r < rows; r++) {
            int s = srcAt + r * srcStride;
            int d = dstAt + r * width;
            int span = Math.max(width, L);
            if (d + span > dstLimit || s + span > src.length) {
                System.arraycopy(src, s, dst, d, width);
                continue;
            }
            int x = 0;
            for (; x + L <= width; x += L) {
                FloatVector.fromArray(S, src, s + x).intoArray(dst, d + x);
            }
            if (x < width) {
                int last = Math.max(0, width - L);
                FloatVector.fromArray(S, src, s + last).intoArray(dst, d + last);
            }
        }
    }

    /** Σ_p g[g0 + p]·x[x0 + p]. */
    private static float dot(float[] g, int g0, float[] x, int x0, int length) {
        FloatVector s = FloatVector.zero(S);
        for (int p = 0; p < length; p += L) {
            s = FloatVector.fromArray(S, g, g0 + p).fma(FloatVector.fromArray(S, x, x0 + p), s);
        }
        return s.reduceLanes(VectorOperators.ADD);
    }

    @Override
    public int lanes() {
        return L;
    }
}
