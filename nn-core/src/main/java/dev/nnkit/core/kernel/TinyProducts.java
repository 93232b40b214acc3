package dev.nnkit.core.kernel;

/**
 * Plain loops for the products of tiny networks (the seeds' 2-4-3-1 and 3-3-3), which run in the
 * overhead regime: no copies, no buffers, no thread hand-off. The gradients are summed four
 * elements side by side ({@link #sums4}); each element is still summed in the plain dot product's
 * order, from zero (tests check this bit for bit).
 */
final class TinyProducts implements Float32Products {
    static final TinyProducts INSTANCE = new TinyProducts();

    private TinyProducts() {
    }

    @Override
    public void forward(float[] x, float[] w, float[] b, float[] z, int n, int in, int out) {
        for (int i = 0; i < n; i++) {
            for (int o = 0; o < out; o++) {
                float acc = b != null ? b[o] : 0f;
                for (int k = 0; k < in; k++) {
                    acc += x[i * in + k] * w[o * in + k];
                }
                z[i * out + o] = acc;
            }
        }
    }

    @Override
    public void weightGradient(float[] d, float[] x, float[] dw, float[] db, int n, int in, int out) {
        // dW[o][k] = Σᵢ δ[i][o]·x[i][k]: four k (or, with fewer than four inputs, four units) at once.
        if (in < 4 && out >= 4) {
            for (int k = 0; k < in; k++) {
                int o = 0;
                for (; o + 4 <= out; o += 4) {
                    sums4(x, k, in, d, o, out, 1, n, dw, o * in + k, in);
                }
                for (; o < out; o++) {
                    dw[o * in + k] = sum(x, k, in, d, o, out, n);
                }
            }
        } else {
            for (int o = 0; o < out; o++) {
                int k = 0;
                for (; k + 4 <= in; k += 4) {
                    sums4(d, o, out, x, k, in, 1, n, dw, o * in + k, 1);
                }
                for (; k < in; k++) {
                    dw[o * in + k] = sum(d, o, out, x, k, in, n);
                }
            }
        }
        if (db != null) {
            for (int o = 0; o < out; o++) {
                float acc = 0f;
                for (int i = 0; i < n; i++) {
                    acc += d[i * out + o];
                }
                db[o] = acc;
            }
        }
    }

    @Override
    public void inputGradient(float[] d, float[] w, float[] dx, int n, int in, int out) {
        // dX[i][k] = Σₒ δ[i][o]·W[o][k], four k at once.
        for (int i = 0; i < n; i++) {
            int k = 0;
            for (; k + 4 <= in; k += 4) {
                sums4(d, i * out, 1, w, k, in, 1, out, dx, i * in + k, 1);
            }
            for (; k < in; k++) {
                dx[i * in + k] = sum(d, i * out, 1, w, k, in, out);
            }
        }
    }

    /**
     * Four sums side by side, dst[dst0 + j·dstStep] = Σₜ a[a0 + t·aStride] · b[b0 + t·bStride + j·bStep]
     * for j = 0..3, each from zero in t order (so the same value as {@link #sum}): four chains of
     * additions overlap instead of each waiting on the last one's latency.
     */
    private static void sums4(float[] a, int a0, int aStride, float[] b, int b0, int bStride, int bStep, int terms,
                              float[] dst, int dst0, int dstStep) {
        float s0 = 0f;
        float s1 = 0f;
        float s2 = 0f;
        float s3 = 0f;
        for (int t = 0; t < terms; t++) {
            float s = a[a0 + t * aStride];
            int bo = b0 + t * bStride;
            s0 += s * b[bo];
            s1 += s * b[bo + bStep];
            s2 += s * b[bo + 2 * bStep];
            s3 += s * b[bo + 3 * bStep];
        }
        dst[dst0] = s0;
        dst[dst0 + dstStep] = s1;
        dst[dst0 + 2 * dstStep] = s2;
        dst[dst0 + 3 * dstStep] = s3;
    }

    /** Σₜ a[a0 + t·aStride] · b[b0 + t·bStride], from zero in t order. */
    private static float sum(float[] a, int a0, int aStride, float[] b, int b0, int bStride, int terms) {
        float acc = 0f;
        for (int t = 0; t < terms; t++) {
            acc += a[a0 + t * aStride] * b[b0 + t * bStride];
        }
        return acc;
    }

    @Override
    public String description() {
        return "plain loops (tiny products)";
    }
}
