package dev.nnkit.losses;

/**
 * Settings of {@code smooth-l1}.
 *
 * @param beta β &gt; 0 where the loss turns from quadratic to linear (default 1.0, as {@code torch.nn.SmoothL1Loss})
 */
public record SmoothL1Config(double beta) {
    public SmoothL1Config {
        if (!(beta > 0) || Double.isInfinite(beta)) {
            throw new IllegalArgumentException("beta must be finite and > 0; got " + beta + ".");
        }
    }
}
