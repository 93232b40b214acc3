package dev.nnkit.losses;

/**
 * Settings of {@code poisson}, as {@code torch.nn.PoissonNLLLoss}.
 *
 * @param logInput predictions are log-rates (ℓ = e^ŷ − yŷ) rather than rates (ℓ = ŷ − y log(ŷ + ε)) (default true)
 * @param full add Stirling's approximation of log(y!) for y &gt; 1 (default false)
 * @param epsilon ε &gt; 0 inside the log for rate predictions (default 1e-8)
 */
public record PoissonConfig(boolean logInput, boolean full, double epsilon) {
    public PoissonConfig {
        if (!(epsilon > 0) || Double.isInfinite(epsilon)) {
            throw new IllegalArgumentException("epsilon must be finite and > 0; got " + epsilon + ".");
        }
    }
}
