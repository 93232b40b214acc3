package dev.nnkit.losses;

/**
 * Settings of {@code huber}.
 *
 * @param delta δ &gt; 0 where the loss turns from quadratic to linear (default 1.0, as {@code torch.nn.HuberLoss})
 */
public record HuberConfig(double delta) {
    public HuberConfig {
        if (!(delta > 0) || Double.isInfinite(delta)) {
            throw new IllegalArgumentException("delta must be finite and > 0; got " + delta + ".");
        }
    }
}
