package dev.nnkit.optimizers.internal;

import dev.nnkit.api.optimizer.ElementwiseOptimizer;
import dev.nnkit.api.optimizer.ParameterState;
import dev.nnkit.api.tensor.Tensor;
import dev.nnkit.optimizers.SgdConfig;
import java.util.List;

/**
 * Stochastic gradient descent as {@code torch.optim.SGD}:
 * <pre>
 *   g ← ∇θ + λθ
 *   b ← g on the first step, else μb + (1 − τ)g          (only when μ ≠ 0)
 *   g ← g + μb (Nesterov) or b
 *   θ ← θ − η g
 * </pre>
 */
final class SgdOptimizer implements ElementwiseOptimizer {
    static final String MOMENTUM_BUFFER = "momentum_buffer";
    private final SgdConfig c;

    SgdOptimizer(SgdConfig config) {
        this.c = config;
    }

    @Override
    public List<String> stateSlots() {
        return c.momentum() != 0 ? List.of(MOMENTUM_BUFFER) : List.of();
    }

    @Override
    public double learningRate() {
        return c.learningRate();
    }

    @Override
    public void updateRange(Tensor value, Tensor gradient, ParameterState state, long step, double learningRate,
                            int from, int to) {
        double lr = learningRate;
        Tensor buf = c.momentum() != 0 ? state.slot(MOMENTUM_BUFFER) : null;
        for (int i = from; i < to; i++) {
            double theta = value.get(i);
            double g = gradient.get(i) + c.weightDecay() * theta;
            if (buf != null) {
                double b = step == 1 ? g : c.momentum() * buf.get(i) + (1 - c.dampening()) * g;
                buf.set(i, b);
                g = c.nesterov() ? g + c.momentum() * b : b;
            }
            value.set(i, theta - lr * g);
        }
    }
}
