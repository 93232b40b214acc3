package dev.nnkit.optimizers.internal;

import dev.nnkit.api.optimizer.Optimizer;
import dev.nnkit.api.optimizer.OptimizerProvider;
import dev.nnkit.optimizers.AdamConfig;
import dev.nnkit.optimizers.SgdConfig;

/** Providers of the built-in optimizers. */
public final class OptimizerProviders {
    private OptimizerProviders() {
    }

    /** {@code sgd}: gradient descent with optional momentum, Nesterov and weight decay. */
    public static final class Sgd implements OptimizerProvider<SgdConfig> {
        @Override
        public String id() {
            return "sgd";
        }

        @Override
        public String description() {
            return "Stochastic gradient descent: θ ← θ − η·g (momentum, Nesterov, weight decay optional)";
        }

        @Override
        public Class<SgdConfig> configType() {
            return SgdConfig.class;
        }

        @Override
        public SgdConfig defaultConfig() {
            return SgdConfig.of(1e-3);
        }

        @Override
        public Optimizer create(SgdConfig config) {
            return new SgdOptimizer(config);
        }
    }

    /** {@code adam}: Adam with bias-corrected moments and PyTorch's defaults. */
    public static final class Adam implements OptimizerProvider<AdamConfig> {
        @Override
        public String id() {
            return "adam";
        }

        @Override
        public String description() {
            return "Adam: θ ← θ − η·m̂/(√v̂ + ε), bias-corrected moments (Kingma & Ba, 2015)";
        }

        @Override
        public Class<AdamConfig> configType() {
            return AdamConfig.class;
        }

        @Override
        public AdamConfig defaultConfig() {
            return AdamConfig.of(1e-3);
        }

        @Override
        public Optimizer create(AdamConfig config) {
            return new AdamOptimizer(config);
        }
    }
}
