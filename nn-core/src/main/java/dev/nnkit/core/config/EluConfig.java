package dev.nnkit.core.config;

/**
 * Settings of {@code elu}, as PyTorch's {@code nn.ELU}: h(z) = z for z &gt; 0, else α(eᶻ − 1).
 *
 * @param alpha α, the value approached as z → −∞ is −α (PyTorch's default 1.0); finite
 */
public record EluConfig(double alpha) {
    public EluConfig {
        if (!Double.isFinite(alpha)) {
            throw new IllegalArgumentException("alpha must be a finite number; got " + alpha + ".");
        }
    }
}
