package dev.nnkit.core.config;

/**
 * Settings of {@code softplus}, as PyTorch's {@code nn.Softplus}: h(z) = ln(1 + e^{βz}) / β, and z
 * itself where βz &gt; threshold (where the two agree to float precision).
 *
 * @param beta β (PyTorch's default 1), finite and &gt; 0
 * @param threshold where the linear branch takes over (PyTorch's default 20), finite
 */
public record SoftplusConfig(double beta, double threshold) {
    public SoftplusConfig {
        if (!(beta > 0) || Double.isInfinite(beta)) {
            throw new IllegalArgumentException("beta must be finite and > 0; got " + beta + ".");
        }
        if (!Double.isFinite(threshold)) {
            throw new IllegalArgumentException("threshold must be a finite number; got " + threshold + ".");
        }
    }
}
