package dev.nnkit.core.builtin;

import dev.nnkit.core.config.EluConfig;
import dev.nnkit.core.config.GeluConfig;
import dev.nnkit.core.config.LeakyReluConfig;
import dev.nnkit.core.config.SoftplusConfig;

/** The providers of the built-in activations; each is registered as a service on its own. */
public final class ActivationProviders {
    private ActivationProviders() {
    }

    /** {@code identity}: h(z) = z. */
    public static final class Identity extends SettinglessActivationProvider {
        public Identity() {
            super("identity", "Identity (linear output): h(z) = z", () -> Activations.IDENTITY);
        }
    }

    /** {@code sigmoid}: h(z) = 1 / (1 + e^−z). */
    public static final class Sigmoid extends SettinglessActivationProvider {
        public Sigmoid() {
            super("sigmoid", "Logistic sigmoid: h(z) = 1 / (1 + e^−z), h′ = h(1 − h)", () -> Activations.SIGMOID);
        }
    }

    /** {@code tanh}: h(z) = tanh z. */
    public static final class Tanh extends SettinglessActivationProvider {
        public Tanh() {
            super("tanh", "Hyperbolic tangent: h(z) = tanh z, h′ = 1 − h²", () -> Activations.TANH);
        }
    }

    /** {@code relu}: h(z) = max(0, z). */
    public static final class Relu extends SettinglessActivationProvider {
        public Relu() {
            super("relu", "Rectified linear unit: h(z) = max(0, z)", () -> Activations.leakyRelu(0));
        }
    }

    /** {@code softmax}: row-wise e^{zᵢ} / Σⱼ e^{zⱼ}. */
    public static final class Softmax extends SettinglessActivationProvider {
        public Softmax() {
            super("softmax", "Softmax over each row: aᵢ = e^{zᵢ} / Σⱼ e^{zⱼ}", () -> Activations.SOFTMAX);
        }
    }

    /** {@code leaky-relu}: h(z) = z for z &gt; 0, else slope·z. */
    public static final class LeakyRelu extends ConfiguredActivationProvider<LeakyReluConfig> {
        public LeakyRelu() {
            super("leaky-relu", "Leaky ReLU: h(z) = z if z > 0, else negativeSlope·z", LeakyReluConfig.class,
                    new LeakyReluConfig(0.01), c -> Activations.leakyRelu(c.negativeSlope()));
        }
    }

    /** {@code gelu}: h(z) = z·Φ(z), or its tanh approximation. */
    public static final class Gelu extends ConfiguredActivationProvider<GeluConfig> {
        public Gelu() {
            super("gelu", "Gaussian error linear unit: h(z) = z·Φ(z) (approximate: \"tanh\" for "
                    + "½z(1 + tanh(√(2/π)(z + 0.044715z³))))", GeluConfig.class, new GeluConfig("none"),
                    c -> c.approximate().equals("tanh") ? SmoothActivations.GELU_TANH : SmoothActivations.GELU);
        }
    }

    /** {@code silu}: h(z) = z·σ(z). */
    public static final class Silu extends SettinglessActivationProvider {
        public Silu() {
            super("silu", "Sigmoid linear unit (swish): h(z) = z·σ(z)", () -> SmoothActivations.SILU);
        }
    }

    /** {@code elu}: h(z) = z for z &gt; 0, else α(eᶻ − 1). */
    public static final class Elu extends ConfiguredActivationProvider<EluConfig> {
        public Elu() {
            super("elu", "Exponential linear unit: h(z) = z if z > 0, else alpha·(e^z − 1)", EluConfig.class,
                    new EluConfig(1.0), c -> SmoothActivations.elu(c.alpha(), 1));
        }
    }

    /** {@code selu}: h(z) = λz for z &gt; 0, else λα(eᶻ − 1), with SELU's fixed λ and α. */
    public static final class Selu extends SettinglessActivationProvider {
        public Selu() {
            super("selu", "Scaled ELU: h(z) = λz if z > 0, else λα(e^z − 1); λ ≈ 1.0507, α ≈ 1.6733",
                    () -> SmoothActivations.elu(SmoothActivations.SELU_ALPHA, SmoothActivations.SELU_SCALE));
        }
    }

    /** {@code softplus}: h(z) = ln(1 + e^{βz}) / β. */
    public static final class Softplus extends ConfiguredActivationProvider<SoftplusConfig> {
        public Softplus() {
            super("softplus", "Softplus: h(z) = ln(1 + e^(beta·z)) / beta, and z where beta·z > threshold",
                    SoftplusConfig.class, new SoftplusConfig(1, 20),
                    c -> SmoothActivations.softplus(c.beta(), c.threshold()));
        }
    }
}
