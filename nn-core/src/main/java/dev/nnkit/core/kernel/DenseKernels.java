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
 * Loops run in a fixed order so results never depend on anything but the inputs. The inner loops
 * walk contiguous memory (dot products of rows, or row axpys) so the JIT can vectorize them.
 * Float32 accumulates in float, as PyTorch does.
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
            float[] xa = xf.data();
            float[] wa = ((Float32Tensor) w).data();
            float[] ba = hasBias ? ((Float32Tensor) bias).data() : null;
            float[] za = ((Float32Tensor) z).data();
            for (int i = 0; i < n; i++) {
                int xo = i * in;
                for (int o = 0; o < out; o++) {
                    int wo = o * in;
                    float s = 0f;
                    for (int k = 0; k < in; k++) {
                        s += xa[xo + k] * wa[wo + k];
                    }
                    za[i * out + o] = hasBias ? s + ba[o] : s;
                }
            }
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
            float[] xa = xf.data();
            float[] da = ((Float32Tensor) delta).data();
            float[] ga = ((Float32Tensor) dw).data();
            java.util.Arrays.fill(ga, 0f);
            for (int i = 0; i < n; i++) {
                int xo = i * in;
                for (int o = 0; o < out; o++) {
                    float d = da[i * out + o];
                    int go = o * in;
                    for (int k = 0; k < in; k++) {
                        ga[go + k] += d * xa[xo + k];
                    }
                }
            }
            if (hasBias) {
                float[] ba = ((Float32Tensor) db).data();
                java.util.Arrays.fill(ba, 0f);
                for (int i = 0; i < n; i++) {
                    for (int o = 0; o < out; o++) {
                        ba[o] += da[i * out + o];
                    }
                }
            }
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
            float[] da = df.data();
            float[] wa = ((Float32Tensor) w).data();
            float[] xa = ((Float32Tensor) dx).data();
            java.util.Arrays.fill(xa, 0f);
            for (int i = 0; i < n; i++) {
                int xo = i * in;
                for (int o = 0; o < out; o++) {
                    float d = da[i * out + o];
                    int wo = o * in;
                    for (int k = 0; k < in; k++) {
                        xa[xo + k] += d * wa[wo + k];
                    }
                }
            }
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
}
