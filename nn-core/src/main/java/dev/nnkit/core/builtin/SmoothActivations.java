package dev.nnkit.core.builtin;

import dev.nnkit.api.activation.ElementwiseActivation;
import dev.nnkit.core.kernel.ActivationKernels;
import org.apache.commons.numbers.gamma.Erfc;

/**
 * The smooth activations of newer networks, with PyTorch's definitions (its {@code nn.GELU},
 * {@code nn.SiLU}, {@code nn.ELU}, {@code nn.SELU} and {@code nn.Softplus}): each a pure function
 * of z computed in double and rounded once, with its derivative h′(z) written out.
 */
final class SmoothActivations {
    private SmoothActivations() {
    }

    private static final double SQRT_HALF = Math.sqrt(0.5);
    private static final double INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);

    /**
     * GELU, h(z) = z·Φ(z) with Φ(z) = ½ erfc(−z/√2): erfc rather than 1 + erf, which would lose
     * Φ's digits for negative z. h′(z) = Φ(z) + z·φ(z), φ the standard normal density.
     */
    static final ElementwiseActivation GELU = new ElementwiseActivation() {
        @Override
        public double apply(double z) {
            return z * 0.5 * Erfc.value(-z * SQRT_HALF);
        }

        @Override
        public double derivative(double z, double a) {
            return 0.5 * Erfc.value(-z * SQRT_HALF) + z * INV_SQRT_2PI * Math.exp(-0.5 * z * z);
        }
    };

    private static final double TANH_BETA = Math.sqrt(2 / Math.PI);
    private static final double TANH_KAPPA = 0.044715;

    /**
     * GELU's tanh approximation, h(z) = ½z(1 + tanh u) with u = √(2/π)(z + 0.044715z³);
     * h′(z) = ½(1 + tanh u) + ½z(1 − tanh²u)·√(2/π)(1 + 3·0.044715z²), PyTorch's backward formula.
     */
    static final ElementwiseActivation GELU_TANH = new ElementwiseActivation() {
        @Override
        public double apply(double z) {
            return 0.5 * z * (1 + Math.tanh(TANH_BETA * (z + TANH_KAPPA * z * z * z)));
        }

        @Override
        public double derivative(double z, double a) {
            double t = Math.tanh(TANH_BETA * (z + TANH_KAPPA * z * z * z));
            return 0.5 * (1 + t) + 0.5 * z * (1 - t * t) * TANH_BETA * (1 + 3 * TANH_KAPPA * z * z);
        }
    };

    /** SiLU (swish), h(z) = z·σ(z); h′(z) = σ(z)(1 + z(1 − σ(z))). */
    static final ElementwiseActivation SILU = new ElementwiseActivation() {
        @Override
        public double apply(double z) {
            return z * ActivationKernels.sigmoid(z);
        }

        @Override
        public double derivative(double z, double a) {
            double s = ActivationKernels.sigmoid(z);
            return s * (1 + z * (1 - s));
        }
    };

    /**
     * ELU scaled: h(z) = scale·z for z &gt; 0, else scale·α(eᶻ − 1); h′(z) = scale, else
     * scale·α·eᶻ (at z = 0 the left branch, as PyTorch). ELU is scale 1; SELU fixes both constants.
     */
    static ElementwiseActivation elu(double alpha, double scale) {
        return new ElementwiseActivation() {
            @Override
            public double apply(double z) {
                return z > 0 ? scale * z : scale * alpha * Math.expm1(z);
            }

            @Override
            public double derivative(double z, double a) {
                return z > 0 ? scale : scale * alpha * Math.exp(z);
            }
        };
    }

    /** SELU's α and scale (Klambauer et al., 2017), as PyTorch writes them. */
    static final double SELU_ALPHA = 1.6732632423543772848170429916717;
    static final double SELU_SCALE = 1.0507009873554804934193349852946;

    /**
     * Softplus, h(z) = ln(1 + e^{βz}) / β, and z where βz &gt; threshold; h′(z) = σ(βz), and 1
     * there.
     */
    static ElementwiseActivation softplus(double beta, double threshold) {
        return new ElementwiseActivation() {
            @Override
            public double apply(double z) {
                return z * beta > threshold ? z : Math.log1p(Math.exp(z * beta)) / beta;
            }

            @Override
            public double derivative(double z, double a) {
                return z * beta > threshold ? 1 : ActivationKernels.sigmoid(z * beta);
            }
        };
    }
}
