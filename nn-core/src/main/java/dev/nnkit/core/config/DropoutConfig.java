package dev.nnkit.core.config;

/**
 * Settings of {@code dropout}, as PyTorch's {@code nn.Dropout}: in training each value is zeroed
 * with probability p and the rest scaled by 1/(1 − p); in inference it passes unchanged.
 *
 * @param p the probability of zeroing a value, in [0, 1] (PyTorch's default 0.5)
 */
public record DropoutConfig(double p) {
    public DropoutConfig {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException("p must be a probability in [0, 1]; got " + p + ".");
        }
    }
}
