package dev.nnkit.optimizers;

/**
 * Settings of {@code adagrad}, with {@code torch.optim.Adagrad}'s defaults.
 *
 * @param learningRate η &gt; 0 (default 1e-2)
 * @param learningRateDecay δ ≥ 0: step t uses η / (1 + (t − 1)δ) (default 0)
 * @param weightDecay λ ≥ 0, L2 penalty added to the gradient (default 0)
 * @param initialAccumulator starting value ≥ 0 of the sum of squared gradients (default 0)
 * @param epsilon ε &gt; 0 (default 1e-10)
 */
public record AdagradConfig(double learningRate, double learningRateDecay, double weightDecay,
                            double initialAccumulator, double epsilon) {
    public AdagradConfig {
        Checks.positive("learningRate", learningRate);
        Checks.nonNegative("learningRateDecay", learningRateDecay);
        Checks.nonNegative("weightDecay", weightDecay);
        Checks.nonNegative("initialAccumulator", initialAccumulator);
        Checks.positive("epsilon", epsilon);
    }
}
