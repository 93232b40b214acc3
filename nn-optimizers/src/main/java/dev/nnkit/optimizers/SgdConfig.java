package dev.nnkit.optimizers;

/**
 * Settings of {@code sgd}, with PyTorch's names for the math and its defaults.
 *
 * @param learningRate η, &gt; 0 (default 1e-3, as {@code torch.optim.SGD} since 2.2)
 * @param momentum μ in [0, 1) (default 0: plain gradient descent; 1 or more never forgets a gradient)
 * @param dampening τ in [0, 1] applied to new gradients in the momentum buffer (default 0)
 * @param weightDecay λ ≥ 0, an L2 penalty added to the gradient: g + λθ (default 0)
 * @param nesterov Nesterov momentum; needs momentum &gt; 0 and dampening 0 (default false)
 */
public record SgdConfig(double learningRate, double momentum, double dampening, double weightDecay, boolean nesterov) {
    public SgdConfig {
        Checks.positive("learningRate", learningRate);
        Checks.unitInterval("momentum", momentum);
        Checks.nonNegative("weightDecay", weightDecay);
        if (!(dampening >= 0 && dampening <= 1)) {
            throw new IllegalArgumentException("dampening must be in [0, 1]; got " + dampening + ".");
        }
        if (nesterov && (momentum <= 0 || dampening != 0)) {
            throw new IllegalArgumentException("nesterov needs momentum > 0 and dampening = 0; got momentum "
                    + momentum + ", dampening " + dampening + ".");
        }
    }

    /** Plain SGD with learning rate η. */
    public static SgdConfig of(double learningRate) {
        return new SgdConfig(learningRate, 0, 0, 0, false);
    }
}
