package dev.nnkit.optimizers.internal;

import dev.nnkit.api.optimizer.ElementwiseOptimizer;
import dev.nnkit.api.optimizer.ParameterState;
import dev.nnkit.api.tensor.Tensor;
import dev.nnkit.optimizers.AdagradConfig;
import java.util.List;

/**
 * AdaGrad (Duchi, Hazan and Singer, 2011) as {@code torch.optim.Adagrad}:
 * <pre>
 *   g ← ∇θ + λθ
 *   s ← s + g²                    (s starts at the initial accumulator value)
 *   θ ← θ − η / (1 + (t − 1)δ) · g / (√s + ε)
 * </pre>
 */
final class AdagradOptimizer implements ElementwiseOptimizer {
    private final AdagradConfig c;

    AdagradOptimizer(AdagradConfig config) {
        this.c = config;
    }

    @Override
    public List<String> stateSlots() {
        return List.of("sum");
    }

    @Override
    public double learningRate() {
        return c.learningRate();
    }

    @Override
    public void updateRange(Tensor value, Tensor gradient, ParameterState state, long step, double learningRate,
                            int from, int to) {
        Tensor sum = state.slot("sum");
        double clr = learningRate / (1 + (step - 1) * c.learningRateDecay());
        for (int i = from; i < to; i++) {
            double theta = value.get(i);
            double g = gradient.get(i) + c.weightDecay() * theta;
            // Slots start at zero, so the configured starting value enters on the first step.
            double s = (step == 1 ? c.initialAccumulator() : sum.get(i)) + g * g;
            sum.set(i, s);
            value.set(i, theta - clr * g / (Math.sqrt(sum.get(i)) + c.epsilon()));
        }
    }
}
