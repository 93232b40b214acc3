package dev.nnkit.core.config;

/**
 * Settings of {@code leaky-relu}: h(z) = z for z &gt; 0, else slope·z.
 *
 * @param negativeSlope the slope for z ≤ 0 (PyTorch's default 0.01), finite and ≥ 0
 */
public record LeakyReluConfig(double negativeSlope) {
    public LeakyReluConfig {
        if (!(negativeSlope >= 0) || Double.isInfinite(negativeSlope)) {
            throw new IllegalArgumentException("negativeSlope must be finite and ≥ 0; got " + negativeSlope + ".");
        }
    }
}
