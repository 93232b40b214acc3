package dev.nnkit.optimizers.internal;

import dev.nnkit.optimizers.AdadeltaConfig;
import dev.nnkit.optimizers.AdagradConfig;
import dev.nnkit.optimizers.AdamConfig;
import dev.nnkit.optimizers.AdamWConfig;
import dev.nnkit.optimizers.AdamaxConfig;
import dev.nnkit.optimizers.NadamConfig;
import dev.nnkit.optimizers.RmspropConfig;
import dev.nnkit.optimizers.SgdConfig;

/** Providers of the built-in optimizers, each with PyTorch's defaults. */
public final class OptimizerProviders {
    private OptimizerProviders() {
    }

    /** {@code sgd}: gradient descent with optional momentum, dampening, Nesterov and weight decay. */
    public static final class Sgd extends OptimizerProviderBase<SgdConfig> {
        public Sgd() {
            super("sgd", "Stochastic gradient descent: θ ← θ − η·g (momentum, Nesterov, weight decay optional)",
                    SgdConfig.class, SgdConfig.of(1e-3), SgdOptimizer::new);
        }
    }

    /** {@code adam}: bias-corrected moments (Kingma and Ba, 2015). */
    public static final class Adam extends OptimizerProviderBase<AdamConfig> {
        public Adam() {
            super("adam", "Adam: θ ← θ − η·m̂/(√v̂ + ε), bias-corrected moments (Kingma & Ba, 2015)",
                    AdamConfig.class, AdamConfig.of(1e-3), c -> new AdamOptimizer(new AdamOptimizer.Settings(
                            c.learningRate(), c.beta1(), c.beta2(), c.epsilon(), c.weightDecay(), c.amsgrad(), false)));
        }
    }

    /** {@code adamw}: Adam with decoupled weight decay (Loshchilov and Hutter, 2019). */
    public static final class AdamW extends OptimizerProviderBase<AdamWConfig> {
        public AdamW() {
            super("adamw", "AdamW: θ ← θ(1 − ηλ), then the Adam step (decoupled weight decay)",
                    AdamWConfig.class, new AdamWConfig(1e-3, 0.9, 0.999, 1e-8, 1e-2, false),
                    c -> new AdamOptimizer(new AdamOptimizer.Settings(
                            c.learningRate(), c.beta1(), c.beta2(), c.epsilon(), c.weightDecay(), c.amsgrad(), true)));
        }
    }

    /** {@code adamax}: Adam with the infinity norm. */
    public static final class Adamax extends OptimizerProviderBase<AdamaxConfig> {
        public Adamax() {
            super("adamax", "Adamax: θ ← θ − η/(1 − β₁ᵗ)·m/u, u = max(β₂u, |g| + ε)",
                    AdamaxConfig.class, new AdamaxConfig(2e-3, 0.9, 0.999, 1e-8, 0), AdamaxOptimizer::new);
        }
    }

    /** {@code nadam}: Adam with Nesterov momentum. */
    public static final class Nadam extends OptimizerProviderBase<NadamConfig> {
        public Nadam() {
            super("nadam", "NAdam: Adam with Nesterov momentum and a momentum schedule (Dozat, 2016)",
                    NadamConfig.class, new NadamConfig(2e-3, 0.9, 0.999, 1e-8, 0, 4e-3), NadamOptimizer::new);
        }
    }

    /** {@code adagrad}: per-weight rates from the sum of squared gradients. */
    public static final class Adagrad extends OptimizerProviderBase<AdagradConfig> {
        public Adagrad() {
            super("adagrad", "AdaGrad: s ← s + g², θ ← θ − η·g/(√s + ε) (Duchi et al., 2011)",
                    AdagradConfig.class, new AdagradConfig(1e-2, 0, 0, 0, 1e-10), AdagradOptimizer::new);
        }
    }

    /** {@code rmsprop}: per-weight rates from a moving average of squared gradients. */
    public static final class Rmsprop extends OptimizerProviderBase<RmspropConfig> {
        public Rmsprop() {
            super("rmsprop", "RMSProp: s ← αs + (1 − α)g², θ ← θ − η·g/(√s + ε) (centered and momentum optional)",
                    RmspropConfig.class, new RmspropConfig(1e-2, 0.99, 1e-8, 0, 0, false), RmspropOptimizer::new);
        }
    }

    /** {@code adadelta}: unit-corrected rates from two running averages. */
    public static final class Adadelta extends OptimizerProviderBase<AdadeltaConfig> {
        public Adadelta() {
            super("adadelta", "Adadelta: Δ = √(u + ε)/√(s + ε)·g, θ ← θ − ηΔ (Zeiler, 2012)",
                    AdadeltaConfig.class, new AdadeltaConfig(1.0, 0.9, 1e-6, 0), AdadeltaOptimizer::new);
        }
    }
}
