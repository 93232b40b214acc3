package dev.nnkit.optimizers;

/**
 * Settings of {@code adamw}, with {@code torch.optim.AdamW}'s defaults.
 *
 * @param learningRate η &gt; 0 (default 1e-3)
 * @param beta1 β₁ in [0, 1) (default 0.9)
 * @param beta2 β₂ in [0, 1) (default 0.999)
 * @param epsilon ε &gt; 0 (default 1e-8)
 * @param weightDecay λ ≥ 0, decoupled: θ ← θ(1 − ηλ) before the Adam step (default 1e-2)
 * @param amsgrad use the running maximum of v (default false)
 */
public record AdamWConfig(double learningRate, double beta1, double beta2, double epsilon, double weightDecay,
                          boolean amsgrad) {
    public AdamWConfig {
        Checks.positive("learningRate", learningRate);
        Checks.unitInterval("beta1", beta1);
        Checks.unitInterval("beta2", beta2);
        Checks.positive("epsilon", epsilon);
        Checks.nonNegative("weightDecay", weightDecay);
    }
}
