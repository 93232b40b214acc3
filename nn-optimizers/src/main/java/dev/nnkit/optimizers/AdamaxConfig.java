package dev.nnkit.optimizers;

/**
 * Settings of {@code adamax}, with {@code torch.optim.Adamax}'s defaults.
 *
 * @param learningRate η &gt; 0 (default 2e-3)
 * @param beta1 β₁ in [0, 1) (default 0.9)
 * @param beta2 β₂ in [0, 1), decay of the infinity norm (default 0.999)
 * @param epsilon ε &gt; 0 (default 1e-8)
 * @param weightDecay λ ≥ 0, L2 penalty added to the gradient (default 0)
 */
public record AdamaxConfig(double learningRate, double beta1, double beta2, double epsilon, double weightDecay) {
    public AdamaxConfig {
        Checks.positive("learningRate", learningRate);
        Checks.unitInterval("beta1", beta1);
        Checks.unitInterval("beta2", beta2);
        Checks.positive("epsilon", epsilon);
        Checks.nonNegative("weightDecay", weightDecay);
    }
}
