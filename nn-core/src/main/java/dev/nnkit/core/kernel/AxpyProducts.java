package dev.nnkit.core.kernel;

import static dev.nnkit.core.kernel.AxpyLoops.axpy;
import static dev.nnkit.core.kernel.AxpyLoops.axpy4;
import static dev.nnkit.core.kernel.AxpyLoops.axpyOnce;
import static dev.nnkit.core.kernel.AxpyLoops.fma4Rows2;
import static dev.nnkit.core.kernel.AxpyLoops.fma6;
import static dev.nnkit.core.kernel.AxpyLoops.transpose;

/**
 * The portable float32 products: plain Java loops that HotSpot's C2 vectorizes on a stock JDK with
 * no flags (the fallback when the Vector API module is not enabled).
 *
 * <p>The float64 twin (the same class name with Double) is generated from this file when nn-core
 * builds (nn-core/pom.xml, {@code kernel-twins}): edit this one, never the generated file.
 */
final class AxpyProducts implements Float32Products {
    // Every product is written as row "axpy"s, acc[j] += s·src[j], between arrays that both start
    // at index 0: only that shape is vectorized by HotSpot's C2 (with different offsets into float
    // arrays it must assume the two may overlap, and stays scalar: 5 instead of 28 GFLOP/s per core
    // measured here). So source rows are copied into row arrays once per call, and each thread
    // accumulates ROWS output rows in its own row arrays, which stay in L1 while every source row
    // is reused ROWS times. Each output element is summed in the same order whatever block or
    // thread computes it, so results are identical for any thread count.

    private static final int ROWS = 4; // fma4Rows2 takes exactly this many accumulator rows
    /**
     * Where the processor has fused multiply-adds: blocks of four rows take two sources per pass
     * ({@code fma4Rows2}), rows left over six ({@code fma6}), all rounding alike; elsewhere four
     * sources per pass with separate multiplies and adds.
     */
    private static final boolean FMA = AxpyLoops.FMA;

    /**
     * Row arrays kept per shape (a network's layers alternate between a few), up to {@code SHAPES}
     * of them, reused: no allocation per step once warm.
     */
    private static final class RowCache {
        private static final int SHAPES = 8;
        private final int[] rows = new int[SHAPES];
        private final int[] cols = new int[SHAPES];
        private final float[][][] arrays = new float[SHAPES][][];
        private int next;

        float[][] rows(int r, int c) {
            for (int i = 0; i < SHAPES; i++) {
                if (arrays[i] != null && rows[i] == r && cols[i] == c) {
                    return arrays[i];
                }
            }
            int slot = next;
            next = (next + 1) % SHAPES;
            rows[slot] = r;
            cols[slot] = c;
            float[][] rowArrays = new float[r][];
            for (int i = 0; i < r; i++) {
                rowArrays[i] = new float[Scratch.coAligned(c)];
            }
            arrays[slot] = rowArrays;
            return rowArrays;
        }
    }

    /** Per-thread buffers, reused: no allocation per step once warm. */
    private static final class Scratch {
        /** Source rows copied by the calling thread before a product is split. */
        final RowCache sources = new RowCache();
        /**
         * Wᵀ for each part of a split forward pass: each part transposes all of W for itself, in
         * the same hand-off as its rows. When the transpose was split between the threads too, each
         * part then read half of Wᵀ from the other core's cache on every call, after a second
         * hand-off; on two cores, float32, alternated (5 pairs): 128×784×256 forward medians 103 →
         * 138 GFLOP/s, 128×256×128 the same (121).
         */
        final RowCache[] transposed = new RowCache[Parallel.maxParts()];
        /** The product each thread's Wᵀ belongs to: a thread given several chunks transposes once. */
        final long[] transposedFor = new long[Parallel.maxParts()];
        /** Accumulator rows per part of a split, owned by the calling thread: worker threads use
         *  their part's rows, so no thread-local state is needed on pool threads. */
        final float[][][] acc = new float[Parallel.maxParts()][ROWS][0];
        final Job job = new Job(this);

        Scratch() {
            for (int p = 0; p < transposed.length; p++) {
                transposed[p] = new RowCache();
            }
        }

        /**
         * A row length whose array object is a whole number of 64-byte lines (16-byte header). Rows
         * allocated one after another then sit at the same offset from a cache line, so when C2
         * aligns the stores into one accumulator row (its pre-loop), the other three in
         * {@code fma4Rows2} are aligned too, and the source rows load alike. Measured in float32 on
         * one core, 128×784×256: forward 82 → 88–91 GFLOP/s, weight gradient 113–118 → 132, input
         * gradient 112–115 → 124; on two, 3–10%. Not guaranteed (a new allocation buffer, a
         * collection), and only speed depends on it.
         */
        static int coAligned(int c) {
            return c + Math.floorMod(LINE - HEADER - c, LINE);
        }

        float[][] acc(int part, int c) {
            float[][] rowsOfPart = acc[part];
            if (rowsOfPart[0].length < c) {
                for (int r = 0; r < ROWS; r++) {
                    rowsOfPart[r] = new float[coAligned(c)];
                }
            }
            return rowsOfPart;
        }
    }


    /**
     * The arguments of the product being split, one object per calling thread, reused: a lambda
     * capturing them would be allocated on every product of every step.
     */
    private static final class Job implements Parallel.Rows {
        static final int FORWARD = 0;
        static final int WEIGHT_GRADIENT = 1;
        static final int INPUT_GRADIENT = 2;
        final Scratch scratch;
        int kind;
        /** Counts the products set up on this thread (for {@link Scratch#transposedFor}). */
        long sequence;
        float[] x;
        float[] w;
        float[][] sources;
        float[] bias;
        float[] result;
        int n;
        int in;
        int out;

        Job(Scratch scratch) {
            this.scratch = scratch;
        }

        Job set(int k, float[] rowSource, float[][] rows, float[] b, float[] r, int nn, int ii, int oo) {
            kind = k;
            sequence++;
            x = rowSource;
            sources = rows;
            bias = b;
            result = r;
            n = nn;
            in = ii;
            out = oo;
            w = null;
            return this;
        }

        Job weights(float[] weights) {
            w = weights;
            return this;
        }

        @Override
        public void run(int part, int from, int to) {
            switch (kind) {
                case FORWARD -> forwardRows(this, part, from, to);
                case WEIGHT_GRADIENT -> weightGradientRows(this, part, from, to);
                default -> inputGradientRows(this, part, from, to);
            }
        }
    }

    /** Elements per 64-byte cache line, and in an array's 16-byte header. */
    private static final int LINE = 64 / Float.BYTES;
    private static final int HEADER = 16 / Float.BYTES;

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    static final AxpyProducts INSTANCE = new AxpyProducts();

    AxpyProducts() {
    }

    @Override
    public void forward(float[] x, float[] w, float[] b, float[] z, int n, int in, int out) {
        Scratch scratch = SCRATCH.get();
        Parallel.rows(n, ROWS, (long) n * in * out, scratch.job.set(Job.FORWARD, x, null, b, z, n, in, out).weights(w));
    }

    @Override
    public void weightGradient(float[] d, float[] x, float[] dw, float[] db, int n, int in, int out) {
        Scratch scratch = SCRATCH.get();
        float[][] xr = scratch.sources.rows(n, in);
        for (int i = 0; i < n; i++) {
            System.arraycopy(x, i * in, xr[i], 0, in);
        }
        Parallel.rows(out, ROWS, (long) n * in * out, scratch.job.set(Job.WEIGHT_GRADIENT, d, xr, db, dw, n, in, out));
    }

    @Override
    public void inputGradient(float[] d, float[] w, float[] dx, int n, int in, int out) {
        Scratch scratch = SCRATCH.get();
        float[][] wr = scratch.sources.rows(out, in);
        for (int o = 0; o < out; o++) {
            System.arraycopy(w, o * in, wr[o], 0, in);
        }
        Parallel.rows(n, ROWS, (long) n * in * out, scratch.job.set(Job.INPUT_GRADIENT, d, wr, null, dx, n, in, out));
    }

    private static void forwardRows(Job j, int part, int from, int to) {
        float[] x = j.x;
        float[][] wt = j.scratch.transposed[part].rows(j.in, j.out);
        if (j.scratch.transposedFor[part] != j.sequence) {
            transpose(j.w, wt, j.in, j.out);
            j.scratch.transposedFor[part] = j.sequence;
        }
        float[] b = j.bias;
        float[] z = j.result;
        int in = j.in;
        int out = j.out;
        Scratch scratch = j.scratch;
        float[][] acc = scratch.acc(part, out);
        for (int i0 = from; i0 < to; i0 += ROWS) {
            int rows = Math.min(ROWS, to - i0);
            for (int r = 0; r < rows; r++) {
                if (b != null) {
                    System.arraycopy(b, 0, acc[r], 0, out);
                } else {
                    java.util.Arrays.fill(acc[r], 0, out, 0f);
                }
            }
            int k = 0;
            if (FMA && rows == ROWS) {
                for (; k + 2 <= in; k += 2) {
                    fma4Rows2(acc, x, i0 * in + k, in, 1, wt[k], wt[k + 1], out);
                }
            }
            for (; FMA && k + 6 <= in; k += 6) {
                for (int r = 0; r < rows; r++) {
                    int xo = (i0 + r) * in + k;
                    fma6(acc[r], x[xo], wt[k], x[xo + 1], wt[k + 1], x[xo + 2], wt[k + 2], x[xo + 3], wt[k + 3],
                            x[xo + 4], wt[k + 4], x[xo + 5], wt[k + 5], out);
                }
            }
            for (; !FMA && k + 4 <= in; k += 4) {
                for (int r = 0; r < rows; r++) {
                    int xo = (i0 + r) * in + k;
                    axpy4(acc[r], x[xo], wt[k], x[xo + 1], wt[k + 1], x[xo + 2], wt[k + 2], x[xo + 3], wt[k + 3], out);
                }
            }
            for (; k < in; k++) {
                for (int r = 0; r < rows; r++) {
                    axpyOnce(acc[r], x[(i0 + r) * in + k], wt[k], out);
                }
            }
            for (int r = 0; r < rows; r++) {
                System.arraycopy(acc[r], 0, z, (i0 + r) * out, out);
            }
        }
    }

    private static void weightGradientRows(Job j, int part, int from, int to) {
        float[] d = j.x;
        float[][] xr = j.sources;
        float[] db = j.bias;
        float[] dw = j.result;
        int n = j.n;
        int in = j.in;
        int out = j.out;
        Scratch scratch = j.scratch;
        float[][] acc = scratch.acc(part, Math.max(in, to - from)); // rows of dW, then the bias sums
        for (int o0 = from; o0 < to; o0 += ROWS) {
            int rows = Math.min(ROWS, to - o0);
            for (int r = 0; r < rows; r++) {
                java.util.Arrays.fill(acc[r], 0, in, 0f);
            }
            int i = 0;
            if (FMA && rows == ROWS) {
                for (; i + 2 <= n; i += 2) {
                    fma4Rows2(acc, d, i * out + o0, 1, out, xr[i], xr[i + 1], in);
                }
            }
            for (; FMA && i + 6 <= n; i += 6) {
                for (int r = 0; r < rows; r++) {
                    int o = o0 + r;
                    fma6(acc[r], d[i * out + o], xr[i], d[(i + 1) * out + o], xr[i + 1], d[(i + 2) * out + o], xr[i + 2],
                            d[(i + 3) * out + o], xr[i + 3], d[(i + 4) * out + o], xr[i + 4], d[(i + 5) * out + o],
                            xr[i + 5], in);
                }
            }
            for (; !FMA && i + 4 <= n; i += 4) {
                for (int r = 0; r < rows; r++) {
                    int o = o0 + r;
                    axpy4(acc[r], d[i * out + o], xr[i], d[(i + 1) * out + o], xr[i + 1], d[(i + 2) * out + o],
                            xr[i + 2], d[(i + 3) * out + o], xr[i + 3], in);
                }
            }
            for (; i < n; i++) {
                for (int r = 0; r < rows; r++) {
                    axpyOnce(acc[r], d[i * out + o0 + r], xr[i], in);
                }
            }
            for (int r = 0; r < rows; r++) {
                System.arraycopy(acc[r], 0, dw, (o0 + r) * in, in);
            }
        }
        if (db != null) {
            // db[o] = Σᵢ δ[i][o] in i order, as row axpys over this part's units (δ's row slice is
            // copied to index 0 first, the shape C2 vectorizes): one long chain of additions per
            // unit was a fifth of the whole product.
            float[] sum = acc[0];
            float[] row = acc[1];
            int units = to - from;
            java.util.Arrays.fill(sum, 0, units, 0f);
            for (int i = 0; i < n; i++) {
                System.arraycopy(d, i * out + from, row, 0, units);
                axpy(sum, 1f, row, units);
            }
            System.arraycopy(sum, 0, db, from, units);
        }
    }

    private static void inputGradientRows(Job j, int part, int from, int to) {
        float[] d = j.x;
        float[][] wr = j.sources;
        float[] dx = j.result;
        int in = j.in;
        int out = j.out;
        Scratch scratch = j.scratch;
        float[][] acc = scratch.acc(part, in);
        for (int i0 = from; i0 < to; i0 += ROWS) {
            int rows = Math.min(ROWS, to - i0);
            for (int r = 0; r < rows; r++) {
                java.util.Arrays.fill(acc[r], 0, in, 0f);
            }
            int o = 0;
            if (FMA && rows == ROWS) {
                for (; o + 2 <= out; o += 2) {
                    fma4Rows2(acc, d, i0 * out + o, out, 1, wr[o], wr[o + 1], in);
                }
            }
            for (; FMA && o + 6 <= out; o += 6) {
                for (int r = 0; r < rows; r++) {
                    int dOff = (i0 + r) * out + o;
                    fma6(acc[r], d[dOff], wr[o], d[dOff + 1], wr[o + 1], d[dOff + 2], wr[o + 2], d[dOff + 3], wr[o + 3],
                            d[dOff + 4], wr[o + 4], d[dOff + 5], wr[o + 5], in);
                }
            }
            for (; !FMA && o + 4 <= out; o += 4) {
                for (int r = 0; r < rows; r++) {
                    int dOff = (i0 + r) * out + o;
                    axpy4(acc[r], d[dOff], wr[o], d[dOff + 1], wr[o + 1], d[dOff + 2], wr[o + 2], d[dOff + 3], wr[o + 3],
                            in);
                }
            }
            for (; o < out; o++) {
                for (int r = 0; r < rows; r++) {
                    axpyOnce(acc[r], d[(i0 + r) * out + o], wr[o], in);
                }
            }
            for (int r = 0; r < rows; r++) {
                System.arraycopy(acc[r], 0, dx, (i0 + r) * in, in);
            }
        }
    }

    @Override
    public String description() {
        return (FMA ? "portable loops (C2 auto-vectorized, fused multiply-adds)" : "portable loops (C2 auto-vectorized)")
                + (Float.BYTES == 8 ? ", float64" : "");
    }
}
