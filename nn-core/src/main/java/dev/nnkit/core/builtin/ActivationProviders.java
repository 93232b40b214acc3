package dev.nnkit.core.builtin;

import dev.nnkit.api.activation.Activation;
import dev.nnkit.api.activation.ActivationProvider;
import dev.nnkit.core.config.LeakyReluConfig;

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
    public static final class LeakyRelu implements ActivationProvider<LeakyReluConfig> {
        @Override
        public int spiVersion() {
            return SPI_VERSION;
        }

        @Override
        public String id() {
            return "leaky-relu";
        }

        @Override
        public Class<LeakyReluConfig> configType() {
            return LeakyReluConfig.class;
        }

        @Override
        public LeakyReluConfig defaultConfig() {
            return new LeakyReluConfig(0.01);
        }

        @Override
        public String description() {
            return "Leaky ReLU: h(z) = z if z > 0, else negativeSlope·z";
        }

        @Override
        public Activation create(LeakyReluConfig config) {
            return Activations.leakyRelu(config.negativeSlope());
        }
    }
}
