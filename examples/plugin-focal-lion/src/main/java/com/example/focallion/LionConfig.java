package com.example.focallion;

/**
 * Settings of the {@code lion} optimizer, with the paper's defaults.
 *
 * @param learningRate η &gt; 0 (default 1e-4)
 * @param beta1 β₁ in [0, 1), interpolation for the update direction (default 0.9)
 * @param beta2 β₂ in [0, 1), decay of the momentum (default 0.99)
 * @param weightDecay λ ≥ 0, decoupled (default 0)
 */
public record LionConfig(double learningRate, double beta1, double beta2, double weightDecay) {
    public LionConfig {
        if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
            throw new IllegalArgumentException("learningRate must be finite and > 0; got " + learningRate + ".");
        }
        if (!(beta1 >= 0 && beta1 < 1)) {
            throw new IllegalArgumentException("beta1 must be in [0, 1); got " + beta1 + ".");
        }
        if (!(beta2 >= 0 && beta2 < 1)) {
            throw new IllegalArgumentException("beta2 must be in [0, 1); got " + beta2 + ".");
        }
        if (!(weightDecay >= 0) || Double.isInfinite(weightDecay)) {
            throw new IllegalArgumentException("weightDecay must be finite and ≥ 0; got " + weightDecay + ".");
        }
    }
}
