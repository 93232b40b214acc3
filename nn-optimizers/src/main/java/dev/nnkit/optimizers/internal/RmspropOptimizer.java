package dev.nnkit.optimizers.internal;

import dev.nnkit.api.optimizer.ElementwiseOptimizer;
import dev.nnkit.api.optimizer.ParameterState;
import dev.nnkit.api.tensor.Tensor;
import dev.nnkit.optimizers.RmspropConfig;
import java.util.ArrayList;
import java.util.List;

/**
 * RMSProp (Hinton, lecture 6e) as {@code torch.optim.RMSprop}:
 * <pre>
 *   g ← ∇θ + λθ
 *   s ← αs + (1 − α)g²
 *   centered: a ← αa + (1 − α)g,  d = √(s − a²) + ε;   otherwise d = √s + ε
 *   momentum μ &gt; 0: b ← μb + g/d,  θ ← θ − ηb;         otherwise θ ← θ − η g/d
 * </pre>
 */
final class RmspropOptimizer implements ElementwiseOptimizer {
    private final RmspropConfig c;
    private final List<String> slots;

    RmspropOptimizer(RmspropConfig config) {
        this.c = config;
        List<String> s = new ArrayList<>(List.of("square_avg"));
        if (config.centered()) {
            s.add("grad_avg");
        }
        if (config.momentum() > 0) {
            s.add("momentum_buffer");
        }
        this.slots = List.copyOf(s);
    }

    @Override
    public List<String> stateSlots() {
        return slots;
    }

    @Override
    public double learningRate() {
        return c.learningRate();
    }

    @Override
    public void updateRange(Tensor value, Tensor gradient, ParameterState state, long step, double learningRate,
                            int from, int to) {
        Tensor sq = state.slot("square_avg");
        Tensor avg = c.centered() ? state.slot("grad_avg") : null;
        Tensor buf = c.momentum() > 0 ? state.slot("momentum_buffer") : null;
        double a = c.alpha();
        for (int i = from; i < to; i++) {
            double theta = value.get(i);
            double g = gradient.get(i) + c.weightDecay() * theta;
            double s = a * sq.get(i) + (1 - a) * g * g;
            sq.set(i, s);
            double d;
            if (avg != null) {
                double ga = a * avg.get(i) + (1 - a) * g;
                avg.set(i, ga);
                d = Math.sqrt(s - ga * ga) + c.epsilon();
            } else {
                d = Math.sqrt(s) + c.epsilon();
            }
            if (buf != null) {
                double b = c.momentum() * buf.get(i) + g / d;
                buf.set(i, b);
                value.set(i, theta - learningRate * b);
            } else {
                value.set(i, theta - learningRate * g / d);
            }
        }
    }
}
