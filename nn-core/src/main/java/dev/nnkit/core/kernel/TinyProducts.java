package dev.nnkit.core.kernel;

/**
 * Plain loops for the products of tiny networks (the seeds' 2-4-3-1 and 3-3-3), which run in the
 * overhead regime: no copies, no buffers, no thread hand-off. A tiny layer's dot products have one
 * to four terms, too few for a loop of their own, so every loop here runs over the batch, for two
 * units and four inputs at a time with their weights in registers. Each element is still summed
 * in the plain dot product's order (tests check this bit for bit): only the loop nest differs.
 *
 * <p>Past the last unit or input the reads repeat it (indices are clamped): the repeated sums
 * are equal to the real ones and are either dropped or written over the same element.
 */
final class TinyProducts implements Float32Products {
    static final TinyProducts INSTANCE = new TinyProducts();

    private TinyProducts() {
    }

    @Override
    public void forward(float[] x, float[] w, float[] b, float[] z, int n, int in, int out) {
        // z[i][o] = b[o] + Σₖ x[i][k]·W[o][k] in k order; later groups of k continue from z.
        for (int o = 0; o < out; o += 2) {
            int p = Math.min(o + 1, out - 1);
            for (int k0 = 0; k0 < in; k0 += 4) {
                int width = Math.min(4, in - k0);
                int k1 = k0 + Math.min(1, width - 1);
                int k2 = k0 + Math.min(2, width - 1);
                int k3 = k0 + Math.min(3, width - 1);
                float a0 = w[o * in + k0], a1 = w[o * in + k1], a2 = w[o * in + k2], a3 = w[o * in + k3];
                float c0 = w[p * in + k0], c1 = w[p * in + k1], c2 = w[p * in + k2], c3 = w[p * in + k3];
                float startA = b != null ? b[o] : 0f;
                float startC = b != null ? b[p] : 0f;
                for (int i = 0; i < n; i++) {
                    int xo = i * in;
                    float x0 = x[xo + k0], x1 = x[xo + k1], x2 = x[xo + k2], x3 = x[xo + k3];
                    float a = k0 == 0 ? startA : z[i * out + o];
                    float c = k0 == 0 ? startC : z[i * out + p];
                    a += x0 * a0;
                    c += x0 * c0;
                    if (width > 1) {
                        a += x1 * a1;
                        c += x1 * c1;
                    }
                    if (width > 2) {
                        a += x2 * a2;
                        c += x2 * c2;
                    }
                    if (width > 3) {
                        a += x3 * a3;
                        c += x3 * c3;
                    }
                    z[i * out + p] = c;
                    z[i * out + o] = a;
                }
            }
        }
    }

    @Override
    public void weightGradient(float[] d, float[] x, float[] dw, float[] db, int n, int in, int out) {
        // dW[o][k] = Σᵢ δ[i][o]·x[i][k] and db[o] = Σᵢ δ[i][o], from zero in i order: ten sums side
        // by side (two units × four k and their biases), so ten chains of additions overlap
        // instead of each waiting on the latency of the last.
        for (int o = 0; o < out; o += 2) {
            int p = Math.min(o + 1, out - 1);
            for (int k0 = 0; k0 < in; k0 += 4) {
                int k1 = Math.min(k0 + 1, in - 1);
                int k2 = Math.min(k0 + 2, in - 1);
                int k3 = Math.min(k0 + 3, in - 1);
                float a0 = 0f, a1 = 0f, a2 = 0f, a3 = 0f, biasA = 0f;
                float c0 = 0f, c1 = 0f, c2 = 0f, c3 = 0f, biasC = 0f;
                for (int i = 0; i < n; i++) {
                    float da = d[i * out + o];
                    float dc = d[i * out + p];
                    int xo = i * in;
                    float x0 = x[xo + k0], x1 = x[xo + k1], x2 = x[xo + k2], x3 = x[xo + k3];
                    a0 += da * x0;
                    a1 += da * x1;
                    a2 += da * x2;
                    a3 += da * x3;
                    biasA += da;
                    c0 += dc * x0;
                    c1 += dc * x1;
                    c2 += dc * x2;
                    c3 += dc * x3;
                    biasC += dc;
                }
                store(dw, p * in, k0, in, c0, c1, c2, c3);
                store(dw, o * in, k0, in, a0, a1, a2, a3);
                if (k0 == 0 && db != null) {
                    db[p] = biasC;
                    db[o] = biasA;
                }
            }
        }
    }

    /** row[k0..k0+3] = s0..s3, the ones before {@code in}. */
    private static void store(float[] dw, int row, int k0, int in, float s0, float s1, float s2, float s3) {
        dw[row + k0] = s0;
        if (k0 + 1 < in) {
            dw[row + k0 + 1] = s1;
        }
        if (k0 + 2 < in) {
            dw[row + k0 + 2] = s2;
        }
        if (k0 + 3 < in) {
            dw[row + k0 + 3] = s3;
        }
    }

    @Override
    public void inputGradient(float[] d, float[] w, float[] dx, int n, int in, int out) {
        // dX[i][k] = Σₒ δ[i][o]·W[o][k] in o order, from zero: accumulated in dX, two units per
        // pass over the batch (the second only when there is one: here a repeat would add twice).
        java.util.Arrays.fill(dx, 0, n * in, 0f);
        for (int o = 0; o < out; o += 2) {
            boolean two = o + 1 < out;
            int p = two ? o + 1 : o;
            for (int k0 = 0; k0 < in; k0 += 4) {
                int width = Math.min(4, in - k0);
                int k1 = k0 + Math.min(1, width - 1);
                int k2 = k0 + Math.min(2, width - 1);
                int k3 = k0 + Math.min(3, width - 1);
                float a0 = w[o * in + k0], a1 = w[o * in + k1], a2 = w[o * in + k2], a3 = w[o * in + k3];
                float c0 = w[p * in + k0], c1 = w[p * in + k1], c2 = w[p * in + k2], c3 = w[p * in + k3];
                for (int i = 0; i < n; i++) {
                    float da = d[i * out + o];
                    float dc = two ? d[i * out + p] : 0f;
                    int xo = i * in;
                    dx[xo + k0] = two ? dx[xo + k0] + da * a0 + dc * c0 : dx[xo + k0] + da * a0;
                    if (width > 1) {
                        dx[xo + k1] = two ? dx[xo + k1] + da * a1 + dc * c1 : dx[xo + k1] + da * a1;
                    }
                    if (width > 2) {
                        dx[xo + k2] = two ? dx[xo + k2] + da * a2 + dc * c2 : dx[xo + k2] + da * a2;
                    }
                    if (width > 3) {
                        dx[xo + k3] = two ? dx[xo + k3] + da * a3 + dc * c3 : dx[xo + k3] + da * a3;
                    }
                }
            }
        }
    }

    @Override
    public String description() {
        return "plain loops (tiny products)";
    }
}
