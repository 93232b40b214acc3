package dev.nnkit.core.kernel;

/**
 * Plain loops for the products of tiny networks (the seeds' 2-4-3-1 and 3-3-3), which run in the
 * overhead regime: no copies, no buffers, no thread hand-off.
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
    }

    @Override
    public void inputGradient(float[] d, float[] w, float[] dx, int n, int in, int out) {
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < in; k++) {
                float acc = 0f;
                for (int o = 0; o < out; o++) {
                    acc += d[i * out + o] * w[o * in + k];
                }
                dx[i * in + k] = acc;
            }
        }
    }

    @Override
    public String description() {
        return "plain loops (tiny products)";
    }
}
