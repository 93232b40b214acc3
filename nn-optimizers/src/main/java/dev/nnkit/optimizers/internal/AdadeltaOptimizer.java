package dev.nnkit.optimizers.internal;

import dev.nnkit.api.optimizer.ElementwiseOptimizer;
import dev.nnkit.api.optimizer.ParameterState;
import dev.nnkit.api.tensor.Tensor;
import dev.nnkit.optimizers.AdadeltaConfig;
import java.util.List;

/**
 * Adadelta (Zeiler, 2012) as {@code torch.optim.Adadelta}:
 * <pre>
 *   g ← ∇θ + λθ
 *   s ← ρs + (1 − ρ)g²
 *   Δ = √(u + ε) / √(s + ε) · g
 *   u ← ρu + (1 − ρ)Δ²
 *   θ ← θ − ηΔ
 * </pre>
 */
final class AdadeltaOptimizer implements ElementwiseOptimizer {
    private final AdadeltaConfig c;

    AdadeltaOptimizer(AdadeltaConfig config) {
        this.c = config;
    }

    @Override
    public List<String> stateSlots() {
        return List.of("square_avg", "acc_delta");
    }

    @Override
    public double learningRate() {
        return c.learningRate();
    }

    @Override
    public void updateRange(Tensor value, Tensor gradient, ParameterState state, long step, double learningRate,
                            int from, int to) {
        Tensor sq = state.slot("square_avg");
        Tensor acc = state.slot("acc_delta");
        double rho = c.rho();
        for (int i = from; i < to; i++) {
            double theta = value.get(i);
            double g = gradient.get(i) + c.weightDecay() * theta;
            double s = rho * sq.get(i) + (1 - rho) * g * g;
            sq.set(i, s);
            double delta = Math.sqrt(acc.get(i) + c.epsilon()) / Math.sqrt(s + c.epsilon()) * g;
            acc.set(i, rho * acc.get(i) + (1 - rho) * delta * delta);
            value.set(i, theta - learningRate * delta);
        }
    }
}
