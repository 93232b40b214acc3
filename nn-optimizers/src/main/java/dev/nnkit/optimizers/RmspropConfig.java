package dev.nnkit.optimizers;

/**
 * Settings of {@code rmsprop}, with {@code torch.optim.RMSprop}'s defaults.
 *
 * @param learningRate η &gt; 0 (default 1e-2)
 * @param alpha α in [0, 1), decay of the squared-gradient average (default 0.99)
 * @param epsilon ε &gt; 0 (default 1e-8)
 * @param weightDecay λ ≥ 0, L2 penalty added to the gradient (default 0)
 * @param momentum μ in [0, 1) (default 0)
 * @param centered divide by the estimated variance E[g²] − E[g]² instead of E[g²] (default false)
 */
public record RmspropConfig(double learningRate, double alpha, double epsilon, double weightDecay, double momentum,
                            boolean centered) {
    public RmspropConfig {
        Checks.positive("learningRate", learningRate);
        Checks.unitInterval("alpha", alpha);
        Checks.positive("epsilon", epsilon);
        Checks.nonNegative("weightDecay", weightDecay);
        Checks.unitInterval("momentum", momentum);
    }
}
