package dev.nnkit.optimizers.internal;

import dev.nnkit.api.optimizer.Optimizer;
import dev.nnkit.api.optimizer.ParameterState;
import dev.nnkit.api.optimizer.StepContext;
import dev.nnkit.api.tensor.Tensor;
import dev.nnkit.optimizers.NadamConfig;
import java.util.List;

/**
 * NAdam, Adam with Nesterov momentum (Dozat, 2016), as {@code torch.optim.NAdam}:
 * <pre>
 *   g ← ∇θ + λθ
 *   μₜ = β₁(1 − ½·0.96^{tψ}),  μₜ₊₁ likewise,  Πₜ = Πₜ₋₁·μₜ   (Π kept as scalar state)
 *   m ← β₁m + (1 − β₁)g        v ← β₂v + (1 − β₂)g²       d = √(v / (1 − β₂ᵗ)) + ε
 *   θ ← θ − η(1 − μₜ)/(1 − Πₜ) · g/d − η μₜ₊₁/(1 − Πₜ·μₜ₊₁) · m/d
 * </pre>
 */
final class NadamOptimizer implements Optimizer {
    private final NadamConfig c;

    NadamOptimizer(NadamConfig config) {
        this.c = config;
    }

    @Override
    public List<String> stateSlots() {
        return List.of("exp_avg", "exp_avg_sq");
    }

    @Override
    public List<String> scalarStateSlots() {
        return List.of("mu_product");
    }

    @Override
    public double learningRate() {
        return c.learningRate();
    }

    @Override
    public void update(Tensor value, Tensor gradient, ParameterState state, StepContext step) {
        Tensor m = state.slot("exp_avg");
        Tensor v = state.slot("exp_avg_sq");
        Tensor muProduct = state.slot("mu_product");
        long t = step.step();
        double mu = c.beta1() * (1 - 0.5 * Math.pow(0.96, t * c.momentumDecay()));
        double muNext = c.beta1() * (1 - 0.5 * Math.pow(0.96, (t + 1) * c.momentumDecay()));
        double product = (t == 1 ? 1 : muProduct.get(0)) * mu; // the slot starts at 0; Π₀ = 1
        muProduct.set(0, product);
        double productNext = product * muNext;
        double bias2 = 1 - Math.pow(c.beta2(), t);
        double lr = step.learningRate();
        for (int i = 0, n = value.size(); i < n; i++) {
            double theta = value.get(i);
            double g = gradient.get(i) + c.weightDecay() * theta;
            double mi = c.beta1() * m.get(i) + (1 - c.beta1()) * g;
            double vi = c.beta2() * v.get(i) + (1 - c.beta2()) * g * g;
            m.set(i, mi);
            v.set(i, vi);
            double d = Math.sqrt(vi / bias2) + c.epsilon();
            theta -= lr * (1 - mu) / (1 - product) * g / d;
            theta -= lr * muNext / (1 - productNext) * mi / d;
            value.set(i, theta);
        }
    }
}
