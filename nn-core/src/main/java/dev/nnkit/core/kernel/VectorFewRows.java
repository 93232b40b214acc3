package dev.nnkit.core.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link VectorProducts}' products with fewer rows than its register tile: one prediction, or a
 * training step on a batch of one. There, packing B costs more than the product itself (the
 * forward pass of a single 784-feature row spent most of its time transposing the 784×256
 * weights), so these read B where it lies:
 * <ul>
 *   <li>{@link #rowMajor}: B's rows are contiguous (an input gradient, δ·W). Each element gets the
 *       packed path's very sums, bias + Σₖ in k order with FMA, so results do not change.</li>
 *   <li>{@link #dot}: B = Wᵀ with W's rows contiguous (a dense layer's forward pass). Each output is
 *       x·W[o] as four vector accumulators over k, added in a fixed tree, then the bias: an order
 *       that depends only on the shapes, as every product's must, but not the packed path's, so a
 *       row predicted alone may differ in the last bits from the same row in a larger batch (as in
 *       PyTorch, whose one-row products take another BLAS routine too).</li>
 * </ul>
 * Wide layers are split across threads by columns or outputs, which leaves every sum unchanged.
 * Nothing is allocated: the jobs are per calling thread and reused.
 */
final class VectorFewRows {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /** Forward products with at most this many rows take {@link #dot}; more pack Wᵀ once and share it. */
    static final int MAX_DOT_ROWS = 1;
    private VectorFewRows() {
    }

    /** The jobs of the calling thread, reused so that a split allocates nothing. */
    private static final class Jobs {
        final Dot dot = new Dot();
        final RowMajor rowMajor = new RowMajor();
    }

    private static final ThreadLocal<Jobs> JOBS = ThreadLocal.withInitial(Jobs::new);

    /** z[o] = x·W[o] + b[o] for one row: x [in], W [out × in] row-major, b [out] or null. */
    static void dot(float[] x, int x0, float[] w, float[] b, float[] z, int z0, int in, int out) {
        Dot job = JOBS.get().dot.set(x, x0, w, b, z, z0, in);
        Parallel.rows(out, 1, (long) in * out, job);
    }

    /**
     * C[m×cols] = A[m×k]·B + bias, B(kk, j) = b[kk·rowStride + j], as {@link VectorProducts}'
     * packed path computes it, element for element.
     */
    static void rowMajor(float[] a, int m, int k, float[] b, int rowStride, int cols, float[] bias, float[] c) {
        RowMajor job = JOBS.get().rowMajor.set(a, m, k, b, rowStride, cols, bias, c);
        Parallel.rows(cols, 4 * L, (long) m * k * cols, job);
    }

    private static final class Dot implements Parallel.Rows {
        private float[] x;
        private int x0;
        private float[] w;
        private float[] b;
        private float[] z;
        private int z0;
        private int in;
        /** Each part's vectors of lane sums, one per output, summed in scalars after its products ({@link #laneSum}). */
        private final float[][] lanes = new float[Parallel.maxParts()][0];

        Dot set(float[] x, int x0, float[] w, float[] b, float[] z, int z0, int in) {
            this.x = x;
            this.x0 = x0;
            this.w = w;
            this.b = b;
            this.z = z;
            this.z0 = z0;
            this.in = in;
            return this;
        }

        @Override
        public void run(int part, int from, int to) {
            if (lanes[part].length < (to - from) * L) {
                lanes[part] = new float[(to - from) * L];
            }
            float[] sums = lanes[part];
            int o = from;
            for (; o + 1 < to; o += 2) { // two outputs at a time: eight chains of FMAs keep both FMA units busy
                dotTwoRows(x, x0, w, o * in, in, sums, (o - from) * L);
            }
            if (o < to) {
                dotRow(x, x0, w, o * in, in, sums, (o - from) * L);
            }
            // The lanes are summed once all the products are done: read back straight after its
            // store, a vector's lanes cost a stall each (a one-row prediction ran 20% slower).
            int tail = in / L * L;
            for (o = from; o < to; o++) {
                float s = laneSum(sums, (o - from) * L);
                for (int kk = tail; kk < in; kk++) {
                    s = Math.fma(x[x0 + kk], w[o * in + kk], s);
                }
                z[z0 + o] = b != null ? s + b[o] : s;
            }
        }
    }

    /**
     * The vector parts of x·W's rows at w0 and w0 + n, into lanes[at, at + L) and [at + L, at + 2L),
     * each summed exactly as {@link #dotRow} sums it (the same four accumulators and tree), so
     * pairing changes no bit; {@link Dot#run} then sums the lanes and adds the tail and the bias.
     */
    private static void dotTwoRows(float[] x, int x0, float[] w, int w0, int n, float[] lanes, int at) {
        int w1 = w0 + n;
        FloatVector a0 = FloatVector.zero(S);
        FloatVector a1 = FloatVector.zero(S);
        FloatVector a2 = FloatVector.zero(S);
        FloatVector a3 = FloatVector.zero(S);
        FloatVector b0 = FloatVector.zero(S);
        FloatVector b1 = FloatVector.zero(S);
        FloatVector b2 = FloatVector.zero(S);
        FloatVector b3 = FloatVector.zero(S);
        int kk = 0;
        for (; kk + 4 * L <= n; kk += 4 * L) {
            FloatVector v0 = FloatVector.fromArray(S, x, x0 + kk);
            FloatVector v1 = FloatVector.fromArray(S, x, x0 + kk + L);
            FloatVector v2 = FloatVector.fromArray(S, x, x0 + kk + 2 * L);
            FloatVector v3 = FloatVector.fromArray(S, x, x0 + kk + 3 * L);
            a0 = v0.fma(FloatVector.fromArray(S, w, w0 + kk), a0);
            b0 = v0.fma(FloatVector.fromArray(S, w, w1 + kk), b0);
            a1 = v1.fma(FloatVector.fromArray(S, w, w0 + kk + L), a1);
            b1 = v1.fma(FloatVector.fromArray(S, w, w1 + kk + L), b1);
            a2 = v2.fma(FloatVector.fromArray(S, w, w0 + kk + 2 * L), a2);
            b2 = v2.fma(FloatVector.fromArray(S, w, w1 + kk + 2 * L), b2);
            a3 = v3.fma(FloatVector.fromArray(S, w, w0 + kk + 3 * L), a3);
            b3 = v3.fma(FloatVector.fromArray(S, w, w1 + kk + 3 * L), b3);
        }
        for (; kk + L <= n; kk += L) {
            FloatVector v0 = FloatVector.fromArray(S, x, x0 + kk);
            a0 = v0.fma(FloatVector.fromArray(S, w, w0 + kk), a0);
            b0 = v0.fma(FloatVector.fromArray(S, w, w1 + kk), b0);
        }
        a0.add(a1).add(a2.add(a3)).intoArray(lanes, at);
        b0.add(b1).add(b2.add(b3)).intoArray(lanes, at + L);
    }

    /** x[x0 ..]·w[w0 ..] over the whole vectors of n values: four accumulators added in a fixed tree, into lanes[at, at + L). */
    private static void dotRow(float[] x, int x0, float[] w, int w0, int n, float[] lanes, int at) {
        FloatVector acc0 = FloatVector.zero(S);
        FloatVector acc1 = FloatVector.zero(S);
        FloatVector acc2 = FloatVector.zero(S);
        FloatVector acc3 = FloatVector.zero(S);
        int kk = 0;
        for (; kk + 4 * L <= n; kk += 4 * L) {
            acc0 = FloatVector.fromArray(S, x, x0 + kk).fma(FloatVector.fromArray(S, w, w0 + kk), acc0);
            acc1 = FloatVector.fromArray(S, x, x0 + kk + L).fma(FloatVector.fromArray(S, w, w0 + kk + L), acc1);
            acc2 = FloatVector.fromArray(S, x, x0 + kk + 2 * L).fma(FloatVector.fromArray(S, w, w0 + kk + 2 * L), acc2);
            acc3 = FloatVector.fromArray(S, x, x0 + kk + 3 * L).fma(FloatVector.fromArray(S, w, w0 + kk + 3 * L), acc3);
        }
        for (; kk + L <= n; kk += L) {
            acc0 = FloatVector.fromArray(S, x, x0 + kk).fma(FloatVector.fromArray(S, w, w0 + kk), acc0);
        }
        acc0.add(acc1).add(acc2.add(acc3)).intoArray(lanes, at);
    }

    /**
     * Lane 0 of a rotate-and-add tree over lanes[at .. at + L) (by L/2 lanes, then L/4, … 1), in
     * place: the same additions, in the same order, as adding a vector to itself rotated. In
     * scalars rather than with vector shuffles, whose many operations pushed the dot products past
     * what C2 inlines while parsing (see VectorProducts.PAIR_ROWS): their lane sums were left to
     * late inlining, and a one-row step was seen allocating at every call.
     */
    private static float laneSum(float[] v, int at) {
        if (L == 16) { // AVX-512, unrolled into independent additions (the loop below, written out)
            float t0 = v[at] + v[at + 8];
            float t1 = v[at + 1] + v[at + 9];
            float t2 = v[at + 2] + v[at + 10];
            float t3 = v[at + 3] + v[at + 11];
            float t4 = v[at + 4] + v[at + 12];
            float t5 = v[at + 5] + v[at + 13];
            float t6 = v[at + 6] + v[at + 14];
            float t7 = v[at + 7] + v[at + 15];
            float u0 = t0 + t4;
            float u1 = t1 + t5;
            float u2 = t2 + t6;
            float u3 = t3 + t7;
            return (u0 + u2) + (u1 + u3);
        }
        for (int half = L / 2; half >= 1; half /= 2) {
            for (int i = 0; i < half; i++) {
                v[at + i] += v[at + i + half];
            }
        }
        return v[at];
    }

    private static final class RowMajor implements Parallel.Rows {
        private float[] a;
        private int m;
        private int k;
        private float[] b;
        private int rowStride;
        private int cols;
        private float[] bias;
        private float[] c;

        RowMajor set(float[] a, int m, int k, float[] b, int rowStride, int cols, float[] bias, float[] c) {
            this.a = a;
            this.m = m;
            this.k = k;
            this.b = b;
            this.rowStride = rowStride;
            this.cols = cols;
            this.bias = bias;
            this.c = c;
            return this;
        }

        /** Columns [from, to) of every row: four vectors of columns at a time, their sums kept in registers over k. */
        @Override
        public void run(int part, int from, int to) {
            for (int i = 0; i < m; i++) {
                int a0 = i * k;
                int c0 = i * cols;
                int j = from;
                for (; j + 4 * L <= to; j += 4 * L) {
                    FloatVector s0 = bias != null ? FloatVector.fromArray(S, bias, j) : FloatVector.zero(S);
                    FloatVector s1 = bias != null ? FloatVector.fromArray(S, bias, j + L) : FloatVector.zero(S);
                    FloatVector s2 = bias != null ? FloatVector.fromArray(S, bias, j + 2 * L) : FloatVector.zero(S);
                    FloatVector s3 = bias != null ? FloatVector.fromArray(S, bias, j + 3 * L) : FloatVector.zero(S);
                    for (int kk = 0; kk < k; kk++) {
                        FloatVector x = FloatVector.broadcast(S, a[a0 + kk]);
                        int r = kk * rowStride + j;
                        s0 = x.fma(FloatVector.fromArray(S, b, r), s0);
                        s1 = x.fma(FloatVector.fromArray(S, b, r + L), s1);
                        s2 = x.fma(FloatVector.fromArray(S, b, r + 2 * L), s2);
                        s3 = x.fma(FloatVector.fromArray(S, b, r + 3 * L), s3);
                    }
                    s0.intoArray(c, c0 + j);
                    s1.intoArray(c, c0 + j + L);
                    s2.intoArray(c, c0 + j + 2 * L);
                    s3.intoArray(c, c0 + j + 3 * L);
                }
                for (; j + L <= to; j += L) {
                    FloatVector s0 = bias != null ? FloatVector.fromArray(S, bias, j) : FloatVector.zero(S);
                    for (int kk = 0; kk < k; kk++) {
                        s0 = FloatVector.broadcast(S, a[a0 + kk]).fma(FloatVector.fromArray(S, b, kk * rowStride + j), s0);
                    }
                    s0.intoArray(c, c0 + j);
                }
                for (; j < to; j++) {
                    float s = bias != null ? bias[j] : 0f;
                    for (int kk = 0; kk < k; kk++) {
                        s = Math.fma(a[a0 + kk], b[kk * rowStride + j], s);
                    }
                    c[c0 + j] = s;
                }
            }
        }
    }
}
