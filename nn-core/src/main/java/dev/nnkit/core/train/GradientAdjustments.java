package dev.nnkit.core.train;

import dev.nnkit.api.layer.Parameter;
import dev.nnkit.api.tensor.Tensor;
import dev.nnkit.core.network.NamedParameter;
import java.util.List;

/**
 * What the trainer does to gradients between back propagation and the optimizer: weight
 * penalties (Keras' kernel regularizers) and global-norm clipping ({@code clip_grad_norm_}).
 * Pure functions over the network's parameters; sums accumulate in double.
 */
final class GradientAdjustments {
    /** PyTorch's guard in clip_grad_norm_: scale = max / (norm + 1e-6). */
    private static final double CLIP_EPS = 1e-6;

    private GradientAdjustments() {
    }

    /**
     * Whether a parameter is penalized: a weight (kernel), whatever its layer calls it; biases,
     * scales and shifts are not, as in Keras' kernel regularizers.
     */
    static boolean isWeight(NamedParameter p) {
        return p.parameter().role() == Parameter.Role.WEIGHT;
    }

    /**
     * Adds λ₁ sign(w) + 2λ₂ w to each weight gradient and returns the penalty λ₁Σ|w| + λ₂Σw² that
     * joins the loss.
     */
    static double addPenalties(List<NamedParameter> parameters, double l1, double l2) {
        if (l1 == 0 && l2 == 0) {
            return 0;
        }
        double penalty = 0;
        for (NamedParameter p : parameters) {
            if (!isWeight(p)) {
                continue;
            }
            Tensor w = p.parameter().value();
            Tensor g = p.parameter().gradient();
            for (int i = 0; i < w.size(); i++) {
                double v = w.get(i);
                penalty += l1 * Math.abs(v) + l2 * v * v;
                g.set(i, g.get(i) + l1 * Math.signum(v) + 2 * l2 * v);
            }
        }
        return penalty;
    }

    /** Scales every gradient by max / (‖g‖ + 1e-6) when the global norm ‖g‖ exceeds {@code max}; returns ‖g‖. */
    static double clipGlobalNorm(List<NamedParameter> parameters, double max) {
        double squares = 0;
        for (NamedParameter p : parameters) {
            Tensor g = p.parameter().gradient();
            for (int i = 0; i < g.size(); i++) {
                squares += g.get(i) * g.get(i);
            }
        }
        double norm = Math.sqrt(squares);
        double scale = max / (norm + CLIP_EPS);
        if (scale < 1) {
            for (NamedParameter p : parameters) {
                Tensor g = p.parameter().gradient();
                for (int i = 0; i < g.size(); i++) {
                    g.set(i, g.get(i) * scale);
                }
            }
        }
        return norm;
    }
}
