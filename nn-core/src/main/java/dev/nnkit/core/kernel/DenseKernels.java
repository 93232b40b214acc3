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
 * inputs (not on the number of threads). Float32 accumulates in float, as PyTorch does. Above the
 * tiny-network size both dtypes use blocked kernels that run on all cores; below it, plain loops.
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
            float32((long) n * in * out).forward(xf.data(), ((Float32Tensor) w).data(), hasBias ? ((Float32Tensor) bias).data() : null,
                    ((Float32Tensor) z).data(), n, in, out);
        } else if ((long) n * in * out >= SMALL) {
            Float32Kernels.FLOAT64.forward(((Float64Tensor) x).data(), ((Float64Tensor) w).data(),
                    hasBias ? ((Float64Tensor) bias).data() : null, ((Float64Tensor) z).data(), n, in, out);
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
            float32((long) n * in * out).weightGradient(((Float32Tensor) delta).data(), xf.data(), ((Float32Tensor) dw).data(),
                    hasBias ? ((Float32Tensor) db).data() : null, n, in, out);
        } else if ((long) n * in * out >= SMALL) {
            Float32Kernels.FLOAT64.weightGradient(((Float64Tensor) delta).data(), ((Float64Tensor) x).data(),
                    ((Float64Tensor) dw).data(), hasBias ? ((Float64Tensor) db).data() : null, n, in, out);
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
            float32((long) n * in * out).inputGradient(df.data(), ((Float32Tensor) w).data(), ((Float32Tensor) dx).data(), n, in, out);
        } else if ((long) n * in * out >= SMALL) {
            Float32Kernels.FLOAT64.inputGradient(((Float64Tensor) delta).data(), ((Float64Tensor) w).data(),
                    ((Float64Tensor) dx).data(), n, in, out);
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

    /** Below this many multiply-adds (tiny networks) plain loops win: no copies, no buffers, no threads. */
    private static final long SMALL = 1 << 12;

    /** Whether a product of this many multiply-adds runs on the tiny-network loops. */
    static boolean isTiny(long work) {
        return work < SMALL;
    }

    private static Float32Products float32(long work) {
        return work < SMALL ? TinyProducts.INSTANCE : Float32Kernels.CHOSEN;
    }

    /** Names the float32 path this JVM uses for products above the tiny-network size. */
    public static String float32Path() {
        return Float32Kernels.CHOSEN.description();
    }
}
