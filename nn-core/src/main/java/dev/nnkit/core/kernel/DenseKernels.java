package dev.nnkit.core.kernel;

import dev.nnkit.api.tensor.Float32Tensor;
import dev.nnkit.api.tensor.Float64Tensor;
import dev.nnkit.api.tensor.Tensor;

/**
 * The three matrix products of a dense layer, for float32 and float64, on row-major arrays:
 * <pre>
 *   forward          Z  = X·Wᵀ + b      X [n×in], W [out×in], Z [n×out]
 *   weight gradient  dW = δᵀ·X,  db = Σ_rows δ
 *   input gradient   dX = δ·W
 * </pre>
 * Each output element is summed in a fixed order, so results never depend on anything but the
 * inputs (not on the number of threads). Float32 accumulates in float, as PyTorch does; its kernels
 * are blocked and run on all cores for large products.
 */
public final class DenseKernels {
    private DenseKernels() {
    }

    /** Z = X·Wᵀ (+ b when {@code bias} is non-empty). */
    public static void forward(Tensor x, Tensor w, Tensor bias, boolean hasBias, Tensor z) {
        int n = x.shape().rows();
        int in = x.shape().cols();
        int out = w.shape().rows();
        if (x instanceof Float32Tensor xf) {
            forward32(xf.data(), ((Float32Tensor) w).data(), hasBias ? ((Float32Tensor) bias).data() : null,
                    ((Float32Tensor) z).data(), n, in, out);
        } else {
            double[] xa = ((Float64Tensor) x).data();
            double[] wa = ((Float64Tensor) w).data();
            double[] ba = hasBias ? ((Float64Tensor) bias).data() : null;
            double[] za = ((Float64Tensor) z).data();
            for (int i = 0; i < n; i++) {
                int xo = i * in;
                for (int o = 0; o < out; o++) {
                    int wo = o * in;
                    double s = 0;
                    for (int k = 0; k < in; k++) {
                        s += xa[xo + k] * wa[wo + k];
                    }
                    za[i * out + o] = hasBias ? s + ba[o] : s;
                }
            }
        }
    }

    /** dW = δᵀ·X, overwriting dW; and db = Σ_rows δ when {@code hasBias}. */
    public static void weightGradient(Tensor delta, Tensor x, Tensor dw, Tensor db, boolean hasBias) {
        int n = x.shape().rows();
        int in = x.shape().cols();
        int out = delta.shape().cols();
        if (x instanceof Float32Tensor xf) {
            weightGradient32(((Float32Tensor) delta).data(), xf.data(), ((Float32Tensor) dw).data(),
                    hasBias ? ((Float32Tensor) db).data() : null, n, in, out);
        } else {
            double[] xa = ((Float64Tensor) x).data();
            double[] da = ((Float64Tensor) delta).data();
            double[] ga = ((Float64Tensor) dw).data();
            java.util.Arrays.fill(ga, 0);
            for (int i = 0; i < n; i++) {
                int xo = i * in;
                for (int o = 0; o < out; o++) {
                    double d = da[i * out + o];
                    int go = o * in;
                    for (int k = 0; k < in; k++) {
                        ga[go + k] += d * xa[xo + k];
                    }
                }
            }
            if (hasBias) {
                double[] ba = ((Float64Tensor) db).data();
                java.util.Arrays.fill(ba, 0);
                for (int i = 0; i < n; i++) {
                    for (int o = 0; o < out; o++) {
                        ba[o] += da[i * out + o];
                    }
                }
            }
        }
    }

    /** dX = δ·W, overwriting dX. */
    public static void inputGradient(Tensor delta, Tensor w, Tensor dx) {
        int n = delta.shape().rows();
        int out = delta.shape().cols();
        int in = w.shape().cols();
        if (delta instanceof Float32Tensor df) {
            inputGradient32(df.data(), ((Float32Tensor) w).data(), ((Float32Tensor) dx).data(), n, in, out);
        } else {
            double[] da = ((Float64Tensor) delta).data();
            double[] wa = ((Float64Tensor) w).data();
            double[] xa = ((Float64Tensor) dx).data();
            java.util.Arrays.fill(xa, 0);
            for (int i = 0; i < n; i++) {
                int xo = i * in;
                for (int o = 0; o < out; o++) {
                    double d = da[i * out + o];
                    int wo = o * in;
                    for (int k = 0; k < in; k++) {
                        xa[xo + k] += d * wa[wo + k];
                    }
                }
            }
        }
    }

    // ---- float32: the training path, blocked and split across cores ----
    //
    // Every product is written as row "axpy"s, acc[j] += s·src[j], between arrays that both start
    // at index 0: only that shape is vectorized by HotSpot's C2 (with different offsets into float
    // arrays it must assume the two may overlap, and stays scalar: 5 instead of 28 GFLOP/s per core
    // measured here). So source rows are copied into row arrays once per call, and each thread
    // accumulates ROWS output rows in its own row arrays, which stay in L1 while every source row
    // is reused ROWS times. Each output element is summed in the same order whatever block or
    // thread computes it, so results are identical for any thread count.

    private static final int ROWS = 4;
    /** Below this many multiply-adds (tiny networks) the plain loops win: no copies, no buffers. */
    private static final long SMALL = 1 << 12;

    /**
     * Per-thread row buffers, reused: no allocation per step once warm. Source buffers are kept per
     * shape (a network's layers alternate between a few), up to {@code SHAPES} of them.
     */
    private static final class Scratch {
        private static final int SHAPES = 8;
        private final int[] rows = new int[SHAPES];
        private final int[] cols = new int[SHAPES];
        private final float[][][] sources = new float[SHAPES][][];
        private int next;
        /** Accumulator rows per part of a split, owned by the calling thread: worker threads use
         *  their part's rows, so no thread-local state is needed on pool threads. */
        final float[][][] acc = new float[Parallel.maxParts()][ROWS][0];

        float[][] source(int r, int c) {
            for (int i = 0; i < SHAPES; i++) {
                if (sources[i] != null && rows[i] == r && cols[i] == c) {
                    return sources[i];
                }
            }
            int slot = next;
            next = (next + 1) % SHAPES;
            rows[slot] = r;
            cols[slot] = c;
            sources[slot] = new float[r][c];
            return sources[slot];
        }

        float[][] acc(int part, int c) {
            float[][] rowsOfPart = acc[part];
            if (rowsOfPart[0].length < c) {
                for (int r = 0; r < ROWS; r++) {
                    rowsOfPart[r] = new float[c];
                }
            }
            return rowsOfPart;
        }
    }

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    private static void forward32(float[] x, float[] w, float[] b, float[] z, int n, int in, int out) {
        if ((long) n * in * out < SMALL) {
            for (int i = 0; i < n; i++) {
                for (int o = 0; o < out; o++) {
                    float acc = b != null ? b[o] : 0f;
                    for (int k = 0; k < in; k++) {
                        acc += x[i * in + k] * w[o * in + k];
                    }
                    z[i * out + o] = acc;
                }
            }
            return;
        }
        Scratch scratch = SCRATCH.get();
        float[][] wt = scratch.source(in, out); // Wᵀ as rows: wt[k][o] = W[o][k]
        // In 32×32 tiles, so the strided side of the transpose stays in cache.
        for (int o0 = 0; o0 < out; o0 += 32) {
            int o1 = Math.min(out, o0 + 32);
            for (int k0 = 0; k0 < in; k0 += 32) {
                int k1 = Math.min(in, k0 + 32);
                for (int k = k0; k < k1; k++) {
                    float[] row = wt[k];
                    for (int o = o0; o < o1; o++) {
                        row[o] = w[o * in + k];
                    }
                }
            }
        }
        Parallel.rows(n, ROWS, (long) n * in * out, (part, from, to) -> {
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
                for (; k + 4 <= in; k += 4) {
                    for (int r = 0; r < rows; r++) {
                        int xo = (i0 + r) * in + k;
                        axpy4(acc[r], x[xo], wt[k], x[xo + 1], wt[k + 1], x[xo + 2], wt[k + 2], x[xo + 3], wt[k + 3], out);
                    }
                }
                for (; k < in; k++) {
                    for (int r = 0; r < rows; r++) {
                        axpy(acc[r], x[(i0 + r) * in + k], wt[k], out);
                    }
                }
                for (int r = 0; r < rows; r++) {
                    System.arraycopy(acc[r], 0, z, (i0 + r) * out, out);
                }
            }
        });
    }

    private static void weightGradient32(float[] d, float[] x, float[] dw, float[] db, int n, int in, int out) {
        if ((long) n * in * out < SMALL) {
            for (int o = 0; o < out; o++) {
                for (int k = 0; k < in; k++) {
                    float acc = 0f;
                    for (int i = 0; i < n; i++) {
                        acc += d[i * out + o] * x[i * in + k];
                    }
                    dw[o * in + k] = acc;
                }
                if (db != null) {
                    float acc = 0f;
                    for (int i = 0; i < n; i++) {
                        acc += d[i * out + o];
                    }
                    db[o] = acc;
                }
            }
            return;
        }
        Scratch scratch = SCRATCH.get();
        float[][] xr = scratch.source(n, in);
        for (int i = 0; i < n; i++) {
            System.arraycopy(x, i * in, xr[i], 0, in);
        }
        Parallel.rows(out, ROWS, (long) n * in * out, (part, from, to) -> {
            float[][] acc = scratch.acc(part, in);
            for (int o0 = from; o0 < to; o0 += ROWS) {
                int rows = Math.min(ROWS, to - o0);
                for (int r = 0; r < rows; r++) {
                    java.util.Arrays.fill(acc[r], 0, in, 0f);
                }
                int i = 0;
                for (; i + 4 <= n; i += 4) {
                    for (int r = 0; r < rows; r++) {
                        int o = o0 + r;
                        axpy4(acc[r], d[i * out + o], xr[i], d[(i + 1) * out + o], xr[i + 1], d[(i + 2) * out + o],
                                xr[i + 2], d[(i + 3) * out + o], xr[i + 3], in);
                    }
                }
                for (; i < n; i++) {
                    for (int r = 0; r < rows; r++) {
                        axpy(acc[r], d[i * out + o0 + r], xr[i], in);
                    }
                }
                for (int r = 0; r < rows; r++) {
                    System.arraycopy(acc[r], 0, dw, (o0 + r) * in, in);
                }
            }
            if (db != null) {
                for (int o = from; o < to; o++) {
                    float s = 0f;
                    for (int i = 0; i < n; i++) {
                        s += d[i * out + o];
                    }
                    db[o] = s;
                }
            }
        });
    }

    private static void inputGradient32(float[] d, float[] w, float[] dx, int n, int in, int out) {
        if ((long) n * in * out < SMALL) {
            for (int i = 0; i < n; i++) {
                for (int k = 0; k < in; k++) {
                    float acc = 0f;
                    for (int o = 0; o < out; o++) {
                        acc += d[i * out + o] * w[o * in + k];
                    }
                    dx[i * in + k] = acc;
                }
            }
            return;
        }
        Scratch scratch = SCRATCH.get();
        float[][] wr = scratch.source(out, in);
        for (int o = 0; o < out; o++) {
            System.arraycopy(w, o * in, wr[o], 0, in);
        }
        Parallel.rows(n, ROWS, (long) n * in * out, (part, from, to) -> {
            float[][] acc = scratch.acc(part, in);
            for (int i0 = from; i0 < to; i0 += ROWS) {
                int rows = Math.min(ROWS, to - i0);
                for (int r = 0; r < rows; r++) {
                    java.util.Arrays.fill(acc[r], 0, in, 0f);
                }
                int o = 0;
                for (; o + 4 <= out; o += 4) {
                    for (int r = 0; r < rows; r++) {
                        int dOff = (i0 + r) * out + o;
                        axpy4(acc[r], d[dOff], wr[o], d[dOff + 1], wr[o + 1], d[dOff + 2], wr[o + 2], d[dOff + 3], wr[o + 3],
                                in);
                    }
                }
                for (; o < out; o++) {
                    for (int r = 0; r < rows; r++) {
                        axpy(acc[r], d[(i0 + r) * out + o], wr[o], in);
                    }
                }
                for (int r = 0; r < rows; r++) {
                    System.arraycopy(acc[r], 0, dx, (i0 + r) * in, in);
                }
            }
        });
    }

    /**
     * acc[j] += s0·a[j] + s1·b[j] + s2·c[j] + s3·e[j]: four multiply-adds per load and store of acc,
     * which is what bounds these loops.
     */
    private static void axpy4(float[] acc, float s0, float[] a, float s1, float[] b, float s2, float[] c, float s3,
                              float[] e, int len) {
        for (int j = 0; j < len; j++) {
            acc[j] += s0 * a[j] + s1 * b[j] + s2 * c[j] + s3 * e[j];
        }
    }

    /** acc[j] += s · src[j] for j &lt; len: both arrays from index 0, the loop C2 vectorizes. */
    private static void axpy(float[] acc, float s, float[] src, int len) {
        for (int j = 0; j < len; j++) {
            acc[j] += s * src[j];
        }
    }
}
