package dev.nnkit.optimizers.internal;

import dev.nnkit.api.optimizer.ElementwiseOptimizer;
import dev.nnkit.api.optimizer.ParameterState;
import dev.nnkit.api.tensor.Tensor;
import dev.nnkit.optimizers.AdamaxConfig;
import java.util.List;

/**
 * Adamax, Adam with the infinity norm (Kingma and Ba, 2015, section 7.1), as {@code torch.optim.Adamax}:
 * <pre>
 *   g ← ∇θ + λθ
 *   m ← β₁m + (1 − β₁)g        u ← max(β₂u, |g| + ε)
 *   θ ← θ − (η / (1 − β₁ᵗ)) · m / u
 * </pre>
 */
final class AdamaxOptimizer implements ElementwiseOptimizer {
    private final AdamaxConfig c;

    AdamaxOptimizer(AdamaxConfig config) {
        this.c = config;
    }

    @Override
    public List<String> stateSlots() {
        return List.of("exp_avg", "exp_inf");
    }

    @Override
    public double learningRate() {
        return c.learningRate();
    }

    @Override
    public void updateRange(Tensor value, Tensor gradient, ParameterState state, long step, double learningRate,
                            int from, int to) {
        Tensor m = state.slot("exp_avg");
        Tensor u = state.slot("exp_inf");
        double clr = learningRate / (1 - Math.pow(c.beta1(), step));
        for (int i = from; i < to; i++) {
            double theta = value.get(i);
            double g = gradient.get(i) + c.weightDecay() * theta;
            m.set(i, c.beta1() * m.get(i) + (1 - c.beta1()) * g);
            u.set(i, Math.max(c.beta2() * u.get(i), Math.abs(g) + c.epsilon()));
            value.set(i, theta - clr * m.get(i) / u.get(i));
        }
    }
}
