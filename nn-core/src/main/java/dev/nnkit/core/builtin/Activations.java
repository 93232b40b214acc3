package dev.nnkit.core.builtin;

import dev.nnkit.api.activation.Activation;
import dev.nnkit.api.activation.ElementwiseActivation;
import dev.nnkit.api.tensor.Float32Tensor;
import dev.nnkit.api.tensor.Tensor;
import dev.nnkit.core.kernel.ActivationKernels;

/** The built-in activation functions, each a pure function of z (and a for the derivative). */
final class Activations {
    private Activations() {
    }

    static final ElementwiseActivation IDENTITY = new ElementwiseActivation() {
        @Override
        public double apply(double z) {
            return z;
        }

        @Override
        public double derivative(double z, double a) {
            return 1;
        }
    };

    /**
     * An activation whose float32 tensors run {@link ActivationKernels}' loops, with the derivative
     * taken from a; float64 tensors keep the interface's double loops, rounded once.
     */
    private abstract static class WithFloat32Loops implements ElementwiseActivation {
        abstract void forward(float[] z, float[] a, int n);

        abstract void backward(float[] a, float[] gradA, float[] gradZ, int n);

        @Override
        public final void forward(Tensor z, Tensor a) {
            if (z instanceof Float32Tensor zf && a instanceof Float32Tensor af) {
                forward(zf.data(), af.data(), zf.data().length);
            } else {
                ElementwiseActivation.super.forward(z, a);
            }
        }

        @Override
        public final void backward(Tensor z, Tensor a, Tensor gradA, Tensor gradZ) {
            if (a instanceof Float32Tensor af && gradA instanceof Float32Tensor gf && gradZ instanceof Float32Tensor of) {
                backward(af.data(), gf.data(), of.data(), af.data().length);
            } else {
                ElementwiseActivation.super.backward(z, a, gradA, gradZ);
            }
        }
    }

    static final ElementwiseActivation SIGMOID = new WithFloat32Loops() {
        @Override
        public double apply(double z) {
            return ActivationKernels.sigmoid(z);
        }

        @Override
        public double derivative(double z, double a) {
            return a * (1 - a);
        }

        @Override
        void forward(float[] z, float[] a, int n) {
            ActivationKernels.sigmoid(z, a, n);
        }

        @Override
        void backward(float[] a, float[] gradA, float[] gradZ, int n) {
            ActivationKernels.sigmoidBackward(a, gradA, gradZ, n); // in float, as PyTorch: g·(1 − a)·a
        }
    };

    static final ElementwiseActivation TANH = new WithFloat32Loops() {
        @Override
        public double apply(double z) {
            return Math.tanh(z); // float64 only: about 20 ns an element on JDK 17 (StrictMath's)
        }

        @Override
        public double derivative(double z, double a) {
            return 1 - a * a;
        }

        @Override
        void forward(float[] z, float[] a, int n) {
            ActivationKernels.tanh(z, a, n);
        }

        @Override
        void backward(float[] a, float[] gradA, float[] gradZ, int n) {
            ActivationKernels.tanhBackward(a, gradA, gradZ, n);
        }
    };

    /**
     * max(0, z) (or slope·z below 0); the derivative at 0 is taken as 0 (slope), as in PyTorch. On
     * float32 tensors the loops run over the arrays directly, so the JIT can vectorize them.
     */
    static ElementwiseActivation leakyRelu(double slope) {
        float slope32 = (float) slope;
        return new ElementwiseActivation() {
            @Override
            public double apply(double z) {
                return slope == 0 ? Math.max(z, 0) : z > 0 ? z : slope * z; // as the float32 kernels
            }

            @Override
            public double derivative(double z, double a) {
                return z > 0 ? 1 : slope;
            }

            @Override
            public void forward(Tensor z, Tensor a) {
                if (z instanceof Float32Tensor zf && a instanceof Float32Tensor af) {
                    ActivationKernels.leakyRelu(zf.data(), af.data(), zf.data().length, slope32);
                } else {
                    ElementwiseActivation.super.forward(z, a);
                }
            }

            @Override
            public void backward(Tensor z, Tensor a, Tensor gradA, Tensor gradZ) {
                if (z instanceof Float32Tensor zf && gradA instanceof Float32Tensor gf && gradZ instanceof Float32Tensor of) {
                    ActivationKernels.leakyReluBackward(zf.data(), gf.data(), of.data(), zf.data().length, slope32);
                } else {
                    ElementwiseActivation.super.backward(z, a, gradA, gradZ);
                }
            }
        };
    }

    /**
     * Softmax over each row: aᵢ = e^{zᵢ − max z} / Σⱼ e^{zⱼ − max z}. Its vector-Jacobian
     * product is ∂L/∂zᵢ = aᵢ (∂L/∂aᵢ − Σⱼ aⱼ ∂L/∂aⱼ).
     */
    /** A row of exps per thread for the float32 softmax: nothing allocated per call. */
    private static final ThreadLocal<double[]> SOFTMAX_ROW = ThreadLocal.withInitial(() -> new double[0]);

    static final Activation SOFTMAX = new Activation() {
        @Override
        public void forward(Tensor z, Tensor a) {
            int cols = z.shape().cols();
            if (z instanceof Float32Tensor zf && a instanceof Float32Tensor af) {
                softmax32(zf.data(), af.data(), z.shape().rows(), cols);
                return;
            }
            for (int r = 0, base = 0; r < z.shape().rows(); r++, base += cols) {
                double max = Double.NEGATIVE_INFINITY;
                for (int c = 0; c < cols; c++) {
                    max = Math.max(max, z.get(base + c));
                }
                double sum = 0;
                for (int c = 0; c < cols; c++) {
                    sum += Math.exp(z.get(base + c) - max);
                }
                for (int c = 0; c < cols; c++) {
                    a.set(base + c, Math.exp(z.get(base + c) - max) / sum);
                }
            }
        }

        /**
         * The same arithmetic on float arrays, each exp computed once (kept in double until the
         * division, so the values are those of the loop above): inference runs it on 10,000 rows.
         */
        private void softmax32(float[] z, float[] a, int rows, int cols) {
            double[] e = SOFTMAX_ROW.get();
            if (e.length < cols) {
                e = new double[cols];
                SOFTMAX_ROW.set(e);
            }
            for (int r = 0, base = 0; r < rows; r++, base += cols) {
                double max = Double.NEGATIVE_INFINITY;
                for (int c = 0; c < cols; c++) {
                    max = Math.max(max, z[base + c]);
                }
                double sum = 0;
                for (int c = 0; c < cols; c++) {
                    e[c] = Math.exp(z[base + c] - max);
                    sum += e[c];
                }
                for (int c = 0; c < cols; c++) {
                    a[base + c] = (float) (e[c] / sum);
                }
            }
        }

        @Override
        public void backward(Tensor z, Tensor a, Tensor gradA, Tensor gradZ) {
            int cols = z.shape().cols();
            for (int r = 0, base = 0; r < z.shape().rows(); r++, base += cols) {
                double dot = 0;
                for (int c = 0; c < cols; c++) {
                    dot += a.get(base + c) * gradA.get(base + c);
                }
                for (int c = 0; c < cols; c++) {
                    gradZ.set(base + c, a.get(base + c) * (gradA.get(base + c) - dot));
                }
            }
        }
    };
}
