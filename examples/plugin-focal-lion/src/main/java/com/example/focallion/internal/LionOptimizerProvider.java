package com.example.focallion.internal;

import com.example.focallion.LionConfig;
import dev.nnkit.api.optimizer.ElementwiseOptimizer;
import dev.nnkit.api.optimizer.Optimizer;
import dev.nnkit.api.optimizer.OptimizerProvider;
import dev.nnkit.api.optimizer.ParameterState;
import dev.nnkit.api.tensor.Tensor;
import java.util.List;

/**
 * {@code lion}: EvoLved Sign Momentum (Chen et al., 2023, "Symbolic Discovery of Optimization
 * Algorithms"):
 * <pre>
 *   c = β₁m + (1 − β₁)g
 *   θ ← θ − η (sign(c) + λθ)
 *   m ← β₂m + (1 − β₂)g
 * </pre>
 * Its one state slot, the momentum, is named {@code exp_avg} as in the reference implementation.
 * Each weight's update reads and writes that weight alone, so it is an {@link ElementwiseOptimizer}:
 * nnkit then updates large parameters in ranges on all cores.
 */
public final class LionOptimizerProvider implements OptimizerProvider<LionConfig> {
    @Override
    public int spiVersion() {
        return SPI_VERSION;
    }

    @Override
    public String id() {
        return "lion";
    }

    @Override
    public String description() {
        return "Lion: θ ← θ − η(sign(β₁m + (1−β₁)g) + λθ), m ← β₂m + (1−β₂)g";
    }

    @Override
    public Class<LionConfig> configType() {
        return LionConfig.class;
    }

    @Override
    public LionConfig defaultConfig() {
        return new LionConfig(1e-4, 0.9, 0.99, 0);
    }

    @Override
    public Optimizer create(LionConfig c) {
        return new ElementwiseOptimizer() {
            @Override
            public List<String> stateSlots() {
                return List.of("exp_avg");
            }

            @Override
            public double learningRate() {
                return c.learningRate();
            }

            @Override
            public void updateRange(Tensor value, Tensor gradient, ParameterState state, long step, double lr,
                                    int from, int to) {
                Tensor m = state.slot("exp_avg");
                for (int i = from; i < to; i++) {
                    double g = gradient.get(i);
                    double theta = value.get(i);
                    double direction = Math.signum(c.beta1() * m.get(i) + (1 - c.beta1()) * g);
                    value.set(i, theta - lr * (direction + c.weightDecay() * theta));
                    m.set(i, c.beta2() * m.get(i) + (1 - c.beta2()) * g);
                }
            }
        };
    }
}
