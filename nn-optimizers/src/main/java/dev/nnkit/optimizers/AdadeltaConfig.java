package dev.nnkit.optimizers;

/**
 * Settings of {@code adadelta}, with {@code torch.optim.Adadelta}'s defaults.
 *
 * @param learningRate η &gt; 0 scaling the update (default 1.0)
 * @param rho ρ in [0, 1), decay of both running averages (default 0.9)
 * @param epsilon ε &gt; 0 (default 1e-6)
 * @param weightDecay λ ≥ 0, L2 penalty added to the gradient (default 0)
 */
public record AdadeltaConfig(double learningRate, double rho, double epsilon, double weightDecay) {
    public AdadeltaConfig {
        Checks.positive("learningRate", learningRate);
        Checks.unitInterval("rho", rho);
        Checks.positive("epsilon", epsilon);
        Checks.nonNegative("weightDecay", weightDecay);
    }
}
