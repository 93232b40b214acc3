package dev.nnkit.optimizers;

/**
 * Settings of {@code adam}, with {@code torch.optim.Adam}'s defaults.
 *
 * @param learningRate η &gt; 0 (default 1e-3)
 * @param beta1 β₁ in [0, 1), decay of the first moment (default 0.9)
 * @param beta2 β₂ in [0, 1), decay of the second moment (default 0.999)
 * @param epsilon ε &gt; 0 added to √v̂ (default 1e-8)
 * @param weightDecay λ ≥ 0, L2 penalty added to the gradient (default 0; see AdamW for decoupled)
 * @param amsgrad use the running maximum of v (Reddi et al., 2018) (default false)
 */
public record AdamConfig(double learningRate, double beta1, double beta2, double epsilon, double weightDecay,
                         boolean amsgrad) {
    public AdamConfig {
        Checks.positive("learningRate", learningRate);
        Checks.unitInterval("beta1", beta1);
        Checks.unitInterval("beta2", beta2);
        Checks.positive("epsilon", epsilon);
        Checks.nonNegative("weightDecay", weightDecay);
    }

    /** PyTorch's defaults with learning rate η. */
    public static AdamConfig of(double learningRate) {
        return new AdamConfig(learningRate, 0.9, 0.999, 1e-8, 0, false);
    }
}
