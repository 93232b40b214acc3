package dev.nnkit.optimizers;

/**
 * Settings of {@code nadam}, with {@code torch.optim.NAdam}'s defaults.
 *
 * @param learningRate η &gt; 0 (default 2e-3)
 * @param beta1 β₁ in [0, 1) (default 0.9)
 * @param beta2 β₂ in [0, 1) (default 0.999)
 * @param epsilon ε &gt; 0 (default 1e-8)
 * @param weightDecay λ ≥ 0, L2 penalty added to the gradient (default 0)
 * @param momentumDecay ψ ≥ 0 of the momentum schedule μₜ = β₁(1 − ½·0.96^{tψ}) (default 4e-3)
 */
public record NadamConfig(double learningRate, double beta1, double beta2, double epsilon, double weightDecay,
                          double momentumDecay) {
    public NadamConfig {
        Checks.positive("learningRate", learningRate);
        Checks.unitInterval("beta1", beta1);
        Checks.unitInterval("beta2", beta2);
        Checks.positive("epsilon", epsilon);
        Checks.nonNegative("weightDecay", weightDecay);
        Checks.nonNegative("momentumDecay", momentumDecay);
    }
}
